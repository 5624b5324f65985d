import type { Command } from 'commander';
import { loadYamlFile } from '../config/yaml.js';
import { handBuiltHead, handHeadSpecSchema } from '../orchestrators/trinity/hand-head.js';
import { readHeadMeta, writeHead } from '../orchestrators/trinity/head-file.js';

/** `baton head build|show`: TRINITY head files (ONNX + metadata). */
export function addHeadCommands(program: Command): void {
  const head = program.command('head').description('TRINITY coordinator heads (ONNX files with metadata)');
  head
    .command('build')
    .description('Write a hand-built head from a policy spec (YAML: agents, prefer per task kind)')
    .argument('<spec>', 'policy spec, e.g. configs/heads/demo-hand.yaml')
    .argument('<out>', 'ONNX file to write')
    .action((specFile: string, out: string) => {
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
    .action((file: string) => {
      process.stdout.write(`${JSON.stringify(readHeadMeta(file), null, 2)}\n`);
    });
}
