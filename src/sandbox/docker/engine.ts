import Docker from 'dockerode';

export type EngineCheck = { ok: true; docker: Docker } | { ok: false; reason: string };

/** Whether a Docker engine answers (DOCKER_HOST or the default socket) and holds the sandbox image. */
export async function checkDocker(image: string, timeoutMs = 2000): Promise<EngineCheck> {
  const docker = new Docker({ timeout: timeoutMs });
  try {
    await docker.ping();
  } catch (error) {
    return {
      ok: false,
      reason: `no Docker engine answers (${error instanceof Error ? error.message : String(error)})`,
    };
  }
  try {
    await docker.getImage(image).inspect();
  } catch {
    return {
      ok: false,
      reason: `the sandbox image ${image} is missing (build it with npm run sandbox:setup)`,
    };
  }
  // A fresh client without the short timeout: attached job streams stay open for a whole run.
  return { ok: true, docker: new Docker() };
}
