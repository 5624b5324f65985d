import type { Command } from 'commander';
import { loadYamlFile } from '../util/yaml.js';

/** onnx-proto loads only when a head command runs. */
const heads = async () => ({
  ...(await import('../orchestrators/trinity/hand-head.js')),
  ...(await import('../orchestrators/trinity/head-file.js')),
});

/** `baton head build|show`: TRINITY head files (ONNX + metadata). */
export function addHeadCommands(program: Command): void {
  const head = program.command('head').description('TRINITY coordinator heads (ONNX files with metadata)');
  head
    .command('build')
    .description('Write a hand-built head from a policy spec (YAML: agents, prefer per task kind)')
    .argument('<spec>', 'policy spec, e.g. configs/heads/demo-hand.yaml')
    .argument('<out>', 'ONNX file to write')
    .action(async (specFile: string, out: string) => {
      const { handBuiltHead, handHeadSpecSchema, writeHead } = await heads();
      const { weights, meta } = handBuiltHead(loadYamlFile(specFile, handHeadSpecSchema));
      writeHead(out, weights, meta);
      process.stdout.write(
        `wrote ${out} (${meta.agents.length} agents, ${meta.featurizer}, origin ${meta.origin})\n`,
      );
    });
  head
    .command('show')
    .description("Print a head file's metadata")
    .argument('<file>')
    .action(async (file: string) => {
      const { readHeadMeta } = await heads();
      process.stdout.write(`${JSON.stringify(readHeadMeta(file), null, 2)}\n`);
    });
}
