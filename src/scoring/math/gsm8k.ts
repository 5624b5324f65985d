/**
 * The `gsm8k` mode. GSM8K's reference is the number after `####` with commas removed
 * (grade_school_math/dataset.py). An answer matches when it is a plain decimal number equal to it,
 * optionally with a currency sign, thousands separators, a percent sign and plain words after it
 * (`18 eggs`, `\$18.00`, `1{,}000 \text{ dollars}`): `18.00` ≡ `18`. An expression (`\frac{36}{2}`,
 * `9+9`), a second number (`18 or 19`), a hedge or a multiplier (`18 or more`, `18 thousand`,
 * `5 dozen`) or a trailing variable (`18 x`) is not a GSM8K answer.
 */
const NOT_A_UNIT =
  /\b(?:or|and|to|more|less|than|about|around|approximately|at|least|most|plus|minus|times|half|quarter|dozen|hundreds?|thousands?|millions?|billions?|trillions?|percent|k)\b/i;

export function gsm8kValue(answer: string): { mantissa: bigint; scale: number } | null {
  let s = answer
    .replaceAll('\u2212', '-')
    .replaceAll('{,}', ',')
    .replace(/\\[,!;: ]/g, '');
  s = s.replace(/\\(?:text|textbf|mathbf|mathrm|mbox)\{([^{}]*)\}/g, ' $1 ').replace(/\\[$%]|[$%]/g, ' ');
  s = s.replace(/(\d),(?=\d{3}(?!\d))/g, '$1').trim();
  while (s.endsWith('.')) s = s.slice(0, -1).trim();
  const m = /^(-?)(\d+)(?:\.(\d+))?(?:\s+([A-Za-z][A-Za-z\s'-]*))?$/.exec(s);
  if (!m) return null;
  const words = m[4];
  if (words !== undefined && (NOT_A_UNIT.test(words) || !/^[A-Za-z]{2}/.test(words))) return null;
  const fraction = (m[3] ?? '').replace(/0+$/, '');
  return { mantissa: BigInt(`${m[1]}${m[2]}${fraction}`), scale: fraction.length };
}

export function sameGsm8k(a: string, b: string): boolean {
  const x = gsm8kValue(a);
  const y = gsm8kValue(b);
  return x !== null && y !== null && x.mantissa === y.mantissa && x.scale === y.scale;
}
