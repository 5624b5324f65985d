/**
 * Series styles shared by the PNG and HTML charts: a colour and a marker shape per series, neither
 * pair ever repeated, and the point labels both renderers draw.
 *
 * Colours: the first 10 are d3's category10 (what charts used before), then 14 picked from Kelly's
 * 22 colours of maximum contrast (Kelly 1965) and ColorBrewer's Paired set, avoiding near-duplicates
 * of the first ten. Past 24 series the colour is generated (golden-angle hues, three lightness levels),
 * so no two series ever share a colour. Markers cycle through five shapes (5 and 24 are coprime), so
 * series with similar colours still differ in shape; triangles are kept for simulated series in a run
 * mixing live and simulated agents.
 */
export const PALETTE: readonly string[] = [
  '#1f77b4',
  '#d62728',
  '#2ca02c',
  '#9467bd',
  '#ff7f0e',
  '#17becf',
  '#8c564b',
  '#e377c2',
  '#7f7f7f',
  '#bcbd22',
  '#000000',
  '#a1caf1',
  '#0b3d91',
  '#8db600',
  '#b3446c',
  '#f99379',
  '#c2b280',
  '#2b3d26',
  '#f3c300',
  '#6a3d9a',
  '#00a087',
  '#882d17',
  '#b2df8a',
  '#cab2d6',
];

/** chart.js point styles for series; 'triangle' marks simulated series in mixed runs. */
export const MARKERS: readonly string[] = ['circle', 'rect', 'rectRot', 'star', 'crossRot'];

/** Series i's colour: distinct for every i. */
export function seriesColour(i: number): string {
  const listed = PALETTE[i];
  if (listed !== undefined) return listed;
  const hue = ((i * 137.508) % 360).toFixed(1);
  const lightness = [38, 52, 30][Math.floor(i / PALETTE.length) % 3];
  return `hsl(${hue}, 65%, ${lightness}%)`;
}

export function seriesMarker(i: number): string {
  return MARKERS[i % MARKERS.length] as string;
}

/** Colours of the reference lines on the accuracy-vs-cost chart (not in PALETTE). */
export const REFERENCE_COLOURS = { pareto: '#444444', oracle: '#2f4f4f', random: '#a9a9a9' } as const;

/** What the point-label plugin needs of a chart.js chart (duck-typed: no chart.js import here). */
interface LabelledChart {
  ctx: CanvasRenderingContext2D;
  chartArea: { left: number; right: number; top: number; bottom: number };
  data: { datasets: { label?: string; pointLabel?: string }[] };
  isDatasetVisible(index: number): boolean;
  getDatasetMeta(index: number): { data: { x: number; y: number }[] };
}

/**
 * chart.js `afterDatasetsDraw` hook: writes a dataset's label next to each of its points
 * (`pointLabel: 'each'`) or its last one (`'last'`), right of the point (left near the right edge),
 * moved up or down when it would overlap a label already drawn. Self-contained: report.html inlines
 * its source text, the PNG worker calls it directly.
 */
export function drawPointLabels(chart: LabelledChart): void {
  const ctx = chart.ctx;
  const area = chart.chartArea;
  const taken: { x0: number; y0: number; x1: number; y1: number }[] = [];
  const height = 12;
  ctx.save();
  ctx.font = '11px sans-serif';
  ctx.textBaseline = 'middle';
  chart.data.datasets.forEach((dataset, index) => {
    const mode = dataset.pointLabel;
    if ((mode !== 'each' && mode !== 'last') || !chart.isDatasetVisible(index)) return;
    const points = chart.getDatasetMeta(index).data;
    const chosen = mode === 'last' ? points.slice(-1) : points;
    const text = String(dataset.label ?? '');
    const width = ctx.measureText(text).width;
    for (const point of chosen) {
      const x = point.x + 9 + width > area.right ? point.x - 9 - width : point.x + 9;
      let y = point.y;
      for (const dy of [0, height, -height, 2 * height, -2 * height, 3 * height, -3 * height]) {
        const box = { x0: x, y0: point.y + dy - height / 2, x1: x + width, y1: point.y + dy + height / 2 };
        const clash = taken.some((b) => b.x0 < box.x1 && box.x0 < b.x1 && b.y0 < box.y1 && box.y0 < b.y1);
        if (!clash) {
          y = point.y + dy;
          break;
        }
      }
      taken.push({ x0: x, y0: y - height / 2, x1: x + width, y1: y + height / 2 });
      // Dark text on a white halo: readable over grid lines and whatever colour the series has.
      ctx.lineWidth = 3;
      ctx.strokeStyle = '#ffffff';
      ctx.strokeText(text, x, y);
      ctx.fillStyle = '#222222';
      ctx.fillText(text, x, y);
    }
  });
  ctx.restore();
}
