import { configCopy } from '../runner/helpers.js';

/**
 * configs/train-demo.yaml (TRINITY's default settings) shrunk for a test: the given λ, evaluations and
 * generations, the head written into the temp folder. Throws if the config no longer has the lines
 * it edits, so a changed config cannot silently turn a test into a 20-minute training.
 */
export function smallTrainingCopy(
  settings: { population: number; evaluations: number; generations: number },
  edit: (text: string) => string = (t) => t,
): { dir: string; file: string } {
  return configCopy('train-demo.yaml', (text) => {
    const output = '  output: heads/demo-trained.onnx\n';
    if (!text.includes(output)) throw new Error(`train-demo.yaml: no line '${output.trim()}' to edit`);
    const shrunk = text.replace(
      output,
      `  output: trained.onnx\n  population: ${settings.population}\n  evaluations: ${settings.evaluations}\n  generations: ${settings.generations}\n`,
    );
    return edit(shrunk);
  });
}
