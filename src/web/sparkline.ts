/** A small quality-vs-steps picture for a dashboard card, as SVG coordinates (drawn by the template). */
export interface Sparkline {
  width: number;
  height: number;
  /** SVG path of the fitted curve ('' without one). */
  curvePath: string;
  /** Level means as dots. */
  dots: { x: number; y: number }[];
  /** The sweet spot's interval as a band (x and width), when it has one. */
  band: { x: number; width: number } | null;
  /** The sweet spot as a vertical line. */
  marker: { x: number; y: number } | null;
  /** Axis labels: lowest and highest steps shown. */
  fromSteps: number;
  toSteps: number;
}

export interface SparklineInput {
  curve: readonly { steps: number; quality: number }[];
  means: readonly { steps: number; mean: number }[];
  sweetSpot: { steps: number; interval: [number, number] | null } | null;
}

const PAD = 3;

/**
 * Scales a curve and its level means into a `width` × `height` box (SVG y grows downward), or
 * returns null without a fitted curve. Built on the server so the card needs no script.
 */
export function sparkline(input: SparklineInput, width = 260, height = 56): Sparkline | null {
  // Without a fitted curve a few dots would suggest a shape the data does not show yet.
  if (input.curve.length === 0) return null;
  const xs = [...input.curve.map((c) => c.steps), ...input.means.map((m) => m.steps)];
  const ys = [...input.curve.map((c) => c.quality), ...input.means.map((m) => m.mean)];
  const x0 = Math.min(...xs);
  const x1 = Math.max(...xs, x0 + 1);
  let y0 = Math.min(...ys);
  let y1 = Math.max(...ys);
  if (y1 - y0 < 1e-9) {
    y0 -= 0.5;
    y1 += 0.5;
  }
  const sx = (s: number) => round(PAD + ((s - x0) / (x1 - x0)) * (width - 2 * PAD));
  const sy = (q: number) => round(height - PAD - ((q - y0) / (y1 - y0)) * (height - 2 * PAD));
  const clampX = (s: number) => Math.min(x1, Math.max(x0, s));

  const curvePath = input.curve.map((c, i) => `${i === 0 ? 'M' : 'L'}${sx(c.steps)} ${sy(c.quality)}`).join(' ');
  const spot = input.sweetSpot;
  let marker: Sparkline['marker'] = null;
  let band: Sparkline['band'] = null;
  if (spot && spot.steps >= x0 && spot.steps <= x1) {
    const onCurve = input.curve.find((c) => c.steps >= spot.steps);
    marker = { x: sx(spot.steps), y: onCurve ? sy(onCurve.quality) : PAD };
  }
  if (spot?.interval) {
    const left = sx(clampX(spot.interval[0]));
    const right = sx(clampX(spot.interval[1]));
    band = { x: left, width: Math.max(1.5, round(right - left)) };
  }
  return {
    width,
    height,
    curvePath,
    dots: input.means.map((m) => ({ x: sx(m.steps), y: sy(m.mean) })),
    band,
    marker,
    fromSteps: x0,
    toSteps: x1,
  };
}

function round(v: number): number {
  return Math.round(v * 10) / 10;
}
