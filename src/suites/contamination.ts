import type { SuiteOptions } from './ref-schema.js';

/**
 * Knowledge cut-offs as the vendors state them (model cards / docs pages), for the contamination
 * line of a suite: a model whose cut-off is on or after the window's start may have seen items.
 * Only stated figures are listed; an unknown model says "not stated". Check before publishing.
 */
const STATED_CUTOFFS: { pattern: RegExp; cutoff: string; source: string }[] = [
  { pattern: /gpt-5/i, cutoff: '2024-09-30', source: 'OpenAI GPT-5 model page' },
  { pattern: /gemini-2\.5-pro/i, cutoff: '2025-01', source: 'Google Gemini 2.5 Pro model card' },
  {
    pattern: /claude-sonnet-4(?!\.)|claude-4-sonnet/i,
    cutoff: '2025-03',
    source: 'Anthropic models overview (training data cut-off)',
  },
  { pattern: /gemma-3/i, cutoff: '2024-08', source: 'Gemma 3 model card' },
];

export interface CutoffNote {
  model: string;
  cutoff: string | null;
  source: string | null;
  /** true: the cut-off falls on or after the window start (items may be in training data). */
  overlaps: boolean | null;
}

export interface SuiteWindow {
  start?: string | undefined;
  end?: string | undefined;
  note?: string | undefined;
}

/** The entry's declared window, else LiveCodeBench's date filter; undefined when it has neither. */
export function suiteWindow(options: SuiteOptions): SuiteWindow | undefined {
  if (options.window) return options.window;
  if (options.startDate || options.endDate) return { start: options.startDate, end: options.endDate };
  return undefined;
}

export function cutoffNotes(models: readonly string[], window: SuiteWindow | undefined): CutoffNote[] {
  return models.map((model) => {
    const known = STATED_CUTOFFS.find((c) => c.pattern.test(model));
    if (!known) return { model, cutoff: null, source: null, overlaps: null };
    const overlaps =
      window?.start === undefined ? null : known.cutoff >= window.start.slice(0, known.cutoff.length);
    return { model, cutoff: known.cutoff, source: known.source, overlaps };
  });
}

export function formatWindow(window: SuiteWindow | undefined): string {
  if (!window) return 'no date window declared';
  const span = `${window.start ?? '…'} → ${window.end ?? '…'}`;
  return window.note ? `${span} (${window.note})` : span;
}
