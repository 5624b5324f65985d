/**
 * The `aime` mode: an AIME answer is an integer from 0 to 999, leading zeros allowed (`033`). The
 * extracted answer must be exactly that (inside optional `\text{}` / `\mathbf{}`), so `33.0000000001`,
 * `\frac{66}{2}`, `33.5` and `33\%` are not 33.
 */
export function aimeValue(answer: string): number | null {
  let s = answer.trim();
  const wrapped = /^\\(?:text|textbf|mathbf|mathrm)\{\s*(\d+)\s*\}$/.exec(s);
  if (wrapped?.[1] !== undefined) s = wrapped[1];
  if (!/^\d+$/.test(s)) return null;
  const digits = s.replace(/^0+(?=\d)/, '');
  return digits.length <= 3 ? Number(digits) : null;
}

export function sameAime(a: string, b: string): boolean {
  const x = aimeValue(a);
  return x !== null && x === aimeValue(b);
}
