/** Control characters other than newline and tab, DEL, and the C1 range (built from code points, not a literal). */
const CONTROL = new RegExp(`[${String.fromCharCode(0)}-\\x08\\x0b-\\x1f\\x7f-\\x9f]`, 'g');

/**
 * Text from untrusted sources (a program's output, a suite file) made safe to print on a terminal:
 * control characters other than newline and tab, DEL and the C1 range (where ESC and CSI sequences
 * that move the cursor, clear the screen or retitle the window start) are shown as `\u00XX` escapes.
 */
export function printable(text: string): string {
  return text.replace(CONTROL, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
}
