// What every bench:* script shares: its size (`full`, the default, or `smoke`: the same code paths on
// a few seconds of work, run by the end-to-end tests so that no bench can rot) and how it hands its
// figures to `npm run bench` (bench/all.mjs).
//
// The size comes from the first argument (`npm run bench:runner -- smoke`) or BENCH_SIZE.
import { writeFileSync } from 'node:fs';

export const SIZES = ['full', 'smoke'];

/** `full` or `smoke`, from the first argument that names a size, else BENCH_SIZE, else `full`. */
export function benchSize(argv = process.argv.slice(2), env = process.env) {
  const fromArg = argv.find((a) => SIZES.includes(a));
  const size = fromArg ?? env.BENCH_SIZE ?? 'full';
  if (!SIZES.includes(size)) throw new Error(`BENCH_SIZE must be one of ${SIZES.join(', ')}, not ${size}`);
  return size;
}

/** The arguments other than a size. */
export function benchArgs(argv = process.argv.slice(2)) {
  return argv.filter((a) => !SIZES.includes(a));
}

/**
 * One figure of a bench for the summary table: what was measured, its value as printed, and the
 * target it is held to (`null` when it has none; then `met` is null too). Figures are never asserted.
 * @param {{ what: string, value: number, unit: string, digits?: number, target?: { op: '<=' | '>=' | '<', value: number } | null }} f
 */
export function figure({ what, value, unit, digits = 2, target = null }) {
  const fmt = (v) =>
    `${v.toLocaleString('en-US', { maximumFractionDigits: digits, minimumFractionDigits: digits }).replace(/,/g, ' ')}${unit === '×' ? '×' : unit ? ` ${unit}` : ''}`;
  const met =
    target === null || !Number.isFinite(value)
      ? null
      : target.op === '<='
        ? value <= target.value
        : target.op === '<'
          ? value < target.value
          : value >= target.value;
  const op = target ? { '<=': '≤', '>=': '≥', '<': '<' }[target.op] : null;
  return {
    what,
    value,
    unit,
    figure: fmt(value),
    target: target ? `${op} ${fmt(target.value)}` : null,
    met,
  };
}

/**
 * Writes the bench's figures where `npm run bench` asked for them (BENCH_RESULT), if it did. Targets
 * are set for the full size: at another size they are dropped rather than judged.
 */
export function reportFigures(bench, figures, size = benchSize(), env = process.env) {
  const judged = size === 'full' ? figures : figures.map((f) => ({ ...f, target: null, met: null }));
  if (env.BENCH_RESULT)
    writeFileSync(env.BENCH_RESULT, `${JSON.stringify({ bench, size, figures: judged }, null, 2)}\n`);
}
