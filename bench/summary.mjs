// The summary of `npm run bench` as Markdown: what bench/all.mjs prints, and what
// scripts/readme-bench.mjs puts in the README between its markers (columns padded as Biome formats
// Markdown tables, so that `npm run lint` accepts the README as generated).

const cell = (s) => String(s).replace(/\|/g, '\\|');
const width = (s) => [...s].length;

function table(header, rows) {
  const widths = header.map((h, i) => Math.max(3, width(h), ...rows.map((r) => width(r[i]))));
  const line = (cells) => `| ${cells.map((c, i) => c + ' '.repeat(widths[i] - width(c))).join(' | ')} |`;
  return [line(header), line(widths.map((w) => '-'.repeat(w))), ...rows.map(line)];
}

/** @param {{ date: string, size: string, machine: { cpu: string, cores: number, memoryGb: number, os: string }, loadAtStart?: number, node: string, benches: any[] }} s */
export function summaryMarkdown(s) {
  const date = s.date.replace('T', ' ').replace(/:\d\d\.\d+Z$/, ' UTC');
  const rows = [];
  for (const b of s.benches) {
    if (!b.ok) {
      rows.push([`\`${b.script}\``, `**failed** after ${b.seconds} s: ${cell(b.error)}`, '–', '–', '–']);
      continue;
    }
    for (const f of b.figures)
      rows.push([
        `\`${b.script}\``,
        cell(f.what),
        cell(f.figure),
        f.target ? cell(f.target) : '–',
        f.met === null ? '–' : f.met ? 'yes' : '**no**',
      ]);
  }
  const head = `\`npm run bench\`${s.size === 'full' ? '' : ` (size: ${s.size}; targets are set for the full size)`} — ${date} — ${s.machine.cpu} × ${s.machine.cores} cores, ${s.machine.memoryGb} GB RAM, ${s.machine.os}; Node ${s.node}${s.loadAtStart === undefined ? '' : `; 1-min load average at start ${s.loadAtStart.toFixed(2)}`}`;
  return `${[head, '', ...table(['bench', 'what', 'figure', 'target', 'met?'], rows)].join('\n')}\n`;
}
