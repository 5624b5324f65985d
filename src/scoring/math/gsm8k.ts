/**
 * The `gsm8k` mode. GSM8K's reference is the number after `####` with commas removed
 * (grade_school_math/dataset.py). An answer matches when it is a plain decimal number equal to it,
 * optionally with a currency sign, thousands commas, a percent sign and words after it (`18 eggs`,
 * `\$18.00`, `1,000 \text{ dollars}`): `18.00` ≡ `18`. An expression (`\frac{36}{2}`, `9+9`) or a
 * second number (`18 or 19`) is not a GSM8K answer.
 */
export function gsm8kValue(answer: string): { mantissa: bigint; scale: number } | null {
  let s = answer.replace(/\\text\{([^{}]*)\}/g, ' $1 ').replace(/\\[$%,!;]|[$%]/g, ' ');
  s = s.replace(/(\d),(?=\d{3}(?!\d))/g, '$1').trim();
  const m = /^(-?)(\d+)(?:\.(\d+))?(?:\s+[A-Za-z][A-Za-z\s'-]*)?$/.exec(s);
  if (!m) return null;
  const fraction = (m[3] ?? '').replace(/0+$/, '');
  return { mantissa: BigInt(`${m[1]}${m[2]}${fraction}`), scale: fraction.length };
}

export function sameGsm8k(a: string, b: string): boolean {
  const x = gsm8kValue(a);
  const y = gsm8kValue(b);
  return x !== null && y !== null && x.mantissa === y.mantissa && x.scale === y.scale;
}
