/**
 * Text made safe inside HTML or XML element content and quoted attribute values: `&`, `<`, `>`, `"` and `'`
 * become entities, so no run id, orchestrator id or answer can open a tag or leave an attribute.
 */
export function escapeMarkup(text: string): string {
  return text
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/'/g, '&#39;');
}
