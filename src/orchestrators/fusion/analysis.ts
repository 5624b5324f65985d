import { z } from 'zod';

/** The judge's analysis, as OpenRouter Fusion documents it (plus the judge's pick). */
export const analysisSchema = z.object({
  consensus: z.array(z.string()),
  contradictions: z.array(
    z.object({ topic: z.string(), stances: z.array(z.object({ model: z.string(), stance: z.string() })) }),
  ),
  partial_coverage: z.array(z.string()),
  unique_insights: z.array(z.object({ model: z.string(), insight: z.string() })),
  blind_spots: z.array(z.string()),
  most_reliable: z.number().int().optional(),
});

export type Analysis = z.infer<typeof analysisSchema>;

/** Parses the judge's reply: bare JSON or JSON inside a fenced block. */
export function parseAnalysis(text: string): Analysis | undefined {
  const fenced = /```(?:json)?\s*\n([\s\S]*?)```/.exec(text)?.[1];
  for (const candidate of [fenced, text]) {
    if (candidate === undefined) continue;
    try {
      const parsed = analysisSchema.safeParse(JSON.parse(candidate));
      if (parsed.success) return parsed.data;
    } catch {
      // not JSON: try the next candidate
    }
  }
  return undefined;
}
