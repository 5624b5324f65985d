import { UsageError } from './errors.js';

/** 100 years: far enough back for any cache, and a valid date from any clock. */
const MAX_MS = 36_525 * 86_400_000;

const UNIT_MS = { m: 60_000, h: 3_600_000, d: 86_400_000, w: 7 * 86_400_000 } as const;

/** `30d`, `12h`, `2w`, `90m` (minutes, hours, days, weeks) in milliseconds; `flag` names the option in errors. */
export function parseDuration(text: string, flag: string): number {
  const match = /^(\d+(?:\.\d+)?)([mhdw])$/.exec(text.trim());
  if (!match)
    throw new UsageError(`${flag}: expected a duration such as 12h, 30d or 2w (m, h, d, w), not '${text}'`);
  const ms = Number(match[1]) * UNIT_MS[match[2] as keyof typeof UNIT_MS];
  // Back from now, the result must still be a date.
  if (!(ms <= MAX_MS)) throw new UsageError(`${flag}: at most 100 years (36525d), not '${text}'`);
  return ms;
}
