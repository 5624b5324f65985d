/*
 * The tagged layout of baton's prompts, written by the orchestrators' role prompts and read back by the
 * simulated pool (and by anyone reading a trace): a `[baton role: …]` line opens the system message,
 * the task, subtask, pool, analysis and earlier outputs are wrapped in tags. One module owns the layout
 * so the writer and the reader cannot drift apart.
 */

/** A chat message as far as the layout is concerned. */
interface Message {
  role: string;
  content: string;
}

const ROLE_TAG = /^\[baton role: ([a-z]+)\]/;

export interface VisibleOutput {
  /** Index shown to the model (panel member number, plan step index, turn number). */
  index: number;
  agentId: string;
  text: string;
  /** The role it was written in, where roles vary (TRINITY-style turns). */
  role?: string | undefined;
}

/** The first line of a role's system message. */
export function roleLine(role: string): string {
  return `[baton role: ${role}]`;
}

/** `<tag>\nbody\n</tag>` (task, subtask, analysis, pool). */
export function tagged(tag: 'task' | 'subtask' | 'analysis' | 'pool', body: string): string {
  return `<${tag}>\n${body}\n</${tag}>`;
}

/** The pool a coordinator chooses from, one `- id: description` line per member. */
export function poolBlock(members: readonly { id: string; description: string }[]): string {
  return tagged('pool', members.map((m) => `- ${m.id}: ${m.description}`).join('\n'));
}

export function outputsBlock(outputs: readonly VisibleOutput[]): string {
  return outputs
    .map((o) => {
      const role = o.role ? ` role="${o.role}"` : '';
      return `<output index="${o.index}" agent="${o.agentId}"${role}>\n${o.text}\n</output>`;
    })
    .join('\n');
}

/** What a call's messages contain, read back from the tags. */
export interface ReadTranscript {
  /** The role named on the system message's first line (not checked against baton's roles). */
  role: string | undefined;
  task: string | undefined;
  subtask: string | undefined;
  outputs: VisibleOutput[];
  analysis: string | undefined;
  pool: { id: string; description: string }[];
}

export function readTranscript(messages: readonly Message[]): ReadTranscript {
  const systemText = messages.find((m) => m.role === 'system')?.content ?? '';
  const user = messages
    .filter((m) => m.role === 'user')
    .map((m) => m.content)
    .join('\n');
  const outputs: VisibleOutput[] = [];
  for (const m of user.matchAll(
    /<output index="(\d+)" agent="([^"]*)"(?: role="([a-z]+)")?>\n([\s\S]*?)\n<\/output>/g,
  )) {
    outputs.push({ index: Number(m[1]), agentId: m[2] ?? '', role: m[3], text: m[4] ?? '' });
  }
  const pool = [...(between(user, 'pool') ?? '').matchAll(/^- ([^:]+): (.*)$/gm)].map((m) => ({
    id: m[1] ?? '',
    description: m[2] ?? '',
  }));
  return {
    role: ROLE_TAG.exec(systemText)?.[1],
    task: between(user, 'task'),
    subtask: between(user, 'subtask'),
    outputs,
    analysis: between(user, 'analysis'),
    pool,
  };
}

function between(text: string, tag: string): string | undefined {
  const start = text.indexOf(`<${tag}>\n`);
  if (start < 0) return undefined;
  const from = start + tag.length + 3;
  const end = text.indexOf(`\n</${tag}>`, from);
  return end < 0 ? undefined : text.slice(from, end);
}
