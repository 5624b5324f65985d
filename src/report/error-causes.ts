import { escapeMarkup } from '../util/markup.js';
import type { Report } from './types.js';

/**
 * Failed samples grouped by root cause, the same table on the terminal (end of `baton run`), at the top
 * of report.md and at the top of report.html. Samples never run (a run stopped early) are counted
 * apart: they are not errors.
 */

/** `7 of 8 recorded samples failed (87.5%); 32 of 40 planned samples were not run (not counted as errors).` */
export function errorSummary(report: Report): string {
  const { recorded, errors, planned } = report.samples;
  const rate = recorded > 0 ? ` (${((100 * errors) / recorded).toFixed(1)}%)` : '';
  const notRun = Math.max(0, planned - recorded);
  return `${errors} of ${recorded} recorded samples failed${rate}${
    notRun > 0 ? `; ${notRun} of ${planned} planned samples were not run (not counted as errors)` : ''
  }.`;
}

/** `call_failed:auth ×6 — auth: HTTP 401: … — openai-compatible at http://127.0.0.1:18080/v1 (agent x)` */
export function errorCauseLines(report: Report): string[] {
  return report.errorCauses.map(
    (c) => `${c.cause} ×${c.count}${c.example === null ? '' : ` — ${c.example}`}`,
  );
}

/** The Markdown section (heading, summary, table); none when no sample failed. */
export function errorCausesMarkdown(report: Report): string[] {
  if (report.errorCauses.length === 0) return [];
  const cell = (s: string) => s.replace(/\|/g, '\\|');
  const rows = report.errorCauses.map((c) => `| ${cell(c.cause)} | ${c.count} | ${cell(c.example ?? '–')} |`);
  return [
    '## Errors by cause',
    errorSummary(report),
    ['| cause | samples | example |', '| --- | --- | --- |', ...rows].join('\n'),
  ];
}

/** The same section as HTML, for the page header (written server-side: no script needed to see it). */
export function errorCausesHtml(report: Report): string {
  if (report.errorCauses.length === 0) return '';
  const rows = report.errorCauses
    .map(
      (c) =>
        `<tr><td>${escapeMarkup(c.cause)}</td><td class="num">${c.count}</td><td>${escapeMarkup(c.example ?? '–')}</td></tr>`,
    )
    .join('');
  return `<section class="error-causes" data-testid="error-causes">
<h2>Errors by cause</h2>
<p>${escapeMarkup(errorSummary(report))}</p>
<table><thead><tr><th>cause</th><th>samples</th><th>example</th></tr></thead><tbody>${rows}</tbody></table>
</section>`;
}
