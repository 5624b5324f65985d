import { configCopy } from '../runner/helpers.js';

/**
 * configs/train-demo.yaml (TRINITY's default settings) shrunk for a test: the given λ, evaluations and
 * generations, the head written into the temp folder (training.output: trained.onnx). Throws if the
 * config no longer has the line it edits, so a changed config cannot silently turn a test into a
 * 20-minute training.
 */
export function smallTrainingCopy(
  settings: { population: number; evaluations: number; generations: number },
  edit: (text: string) => string = (t) => t,
): { dir: string; file: string } {
  return configCopy('train-demo.yaml', (text) => {
    const orchestrator = '  orchestrator: trinity\n';
    if (!text.includes(orchestrator))
      throw new Error(`train-demo.yaml: no line '${orchestrator.trim()}' to edit`);
    const shrunk = text.replace(
      orchestrator,
      `${orchestrator}  output: trained.onnx\n  population: ${settings.population}\n  evaluations: ${settings.evaluations}\n  generations: ${settings.generations}\n`,
    );
    return edit(shrunk);
  });
}
