/** Options of {@link fitSaturating}. */
export interface SaturatingFitOptions {
  /** Smallest τ searched (default max(smallest gap between levels / 10, lowest steps / 600)). */
  tauMin: number;
  /** Largest τ searched (default 10 × the highest tested steps). */
  tauMax: number;
  /** Points of the log-spaced τ grid before refinement (default 80). */
  gridPoints: number;
}

/** A fitted curve q(s) = a − b·exp(−s/τ) (see {@link fitSaturating}). */
export interface SaturatingFit {
  /** The plateau: quality as steps → ∞, in the metric's units. */
  a: number;
  /** Total gain from 0 steps to the plateau, in the metric's units (≥ 0). */
  b: number;
  /** Time constant, in steps: each τ steps close 63% of the remaining gap to the plateau. */
  tau: number;
  /** Weighted R² of the fit on the level means (1 when the means are fitted exactly). */
  r2: number;
  /** Weighted residual sum of squares Σ wᵢ(yᵢ − q(sᵢ))². */
  weightedRss: number;
  /** Whether the best τ sits on a bound of the searched range ('upper': no curvature seen). */
  tauAtBound: 'lower' | 'upper' | null;
  /** The searched τ range. */
  tauRange: [number, number];
  /** The fitted quality at `steps`. */
  predict(steps: number): number;
}

const GOLDEN = (Math.sqrt(5) - 1) / 2;

interface LinearPart {
  a: number;
  /** Coefficient of exp(−(s − s₀)/τ), i.e. −b·exp(−s₀/τ). */
  c: number;
  rss: number;
}

/**
 * Fits the saturating curve q(s) = a − b·exp(−s/τ) to level means by weighted least squares,
 * with b ≥ 0 (quality never falls as steps are added; a falling or flat set of means gets b = 0).
 * For lower-is-better metrics the caller mirrors (negates) the means first, and negates a and b
 * back.
 *
 * Method: variable projection (Golub & Pereyra, "The differentiation of pseudo-inverses and
 * nonlinear least squares problems whose variables separate", 1973). For a fixed τ the model is
 * linear in (a, b), solved in closed form by weighted least squares (with the b ≥ 0 bound: when the
 * unconstrained b is negative, the bounded optimum is b = 0 and a = the weighted mean). The residual
 * sum of squares as a function of τ alone is minimised over a log-spaced grid on
 * [tauMin, tauMax], then refined by golden-section search (Kiefer, 1953) in log τ around the best
 * grid point. The exponential is evaluated relative to the lowest tested steps s₀, so small τ
 * do not underflow.
 *
 * Cost: O(L·(G + 60)) for L levels and G grid points (about 140·L exponentials).
 *
 * Errors: "fitSaturating requires at least 3 step levels", "... requires arrays of equal length",
 * "... requires finite steps and values", "... requires positive finite weights",
 * "... requires distinct step levels", "... requires 0 < tauMin < tauMax".
 *
 * @example
 * const steps = [5, 10, 20, 30, 50];
 * const fit = fitSaturating(steps, steps.map((s) => 10 - 5 * Math.exp(-s / 10)), [1, 1, 1, 1, 1]);
 * // fit.a ≈ 10, fit.b ≈ 5, fit.tau ≈ 10, fit.r2 ≈ 1, fit.predict(30) ≈ 9.751
 */
export function fitSaturating(
  steps: readonly number[],
  values: readonly number[],
  weights: readonly number[],
  options: Partial<SaturatingFitOptions> = {},
): SaturatingFit {
  const name = 'fitSaturating';
  if (steps.length !== values.length || steps.length !== weights.length) {
    throw new Error(`${name} requires arrays of equal length`);
  }
  if (steps.length < 3) throw new Error(`${name} requires at least 3 step levels`);
  if (!steps.every(Number.isFinite) || !values.every(Number.isFinite)) {
    throw new Error(`${name} requires finite steps and values`);
  }
  if (!weights.every((w) => Number.isFinite(w) && w > 0)) throw new Error(`${name} requires positive finite weights`);
  const sorted = [...steps].sort((x, y) => x - y);
  let minGap = Infinity;
  for (let i = 1; i < sorted.length; i++) minGap = Math.min(minGap, sorted[i]! - sorted[i - 1]!);
  if (!(minGap > 0)) throw new Error(`${name} requires distinct step levels`);
  const s0 = sorted[0]!;
  const sMax = sorted[sorted.length - 1]!;
  const tauMin = options.tauMin ?? Math.max(minGap / 10, Math.abs(s0) / 600);
  const tauMax = options.tauMax ?? 10 * Math.max(Math.abs(sMax), minGap);
  if (!(tauMin > 0 && tauMax > tauMin && Number.isFinite(tauMax))) {
    throw new Error(`${name} requires 0 < tauMin < tauMax`);
  }
  const gridPoints = Math.max(3, Math.round(options.gridPoints ?? 80));

  const count = steps.length;
  let weightSum = 0;
  let weightedY = 0;
  for (let i = 0; i < count; i++) {
    weightSum += weights[i]!;
    weightedY += weights[i]! * values[i]!;
  }
  const meanY = weightedY / weightSum;
  let totalSs = 0;
  for (let i = 0; i < count; i++) totalSs += weights[i]! * (values[i]! - meanY) ** 2;

  const basis = new Float64Array(count);
  function linearPart(tau: number): LinearPart {
    let meanX = 0;
    for (let i = 0; i < count; i++) {
      basis[i] = Math.exp(-(steps[i]! - s0) / tau);
      meanX += weights[i]! * basis[i]!;
    }
    meanX /= weightSum;
    let sxx = 0;
    let sxy = 0;
    for (let i = 0; i < count; i++) {
      const dx = basis[i]! - meanX;
      sxx += weights[i]! * dx * dx;
      sxy += weights[i]! * dx * (values[i]! - meanY);
    }
    // c < 0 means b > 0 (rising curve); a positive c would make quality fall: bound it at 0.
    const c = sxx > 0 && sxy < 0 ? sxy / sxx : 0;
    const a = meanY - c * meanX;
    let rss = 0;
    for (let i = 0; i < count; i++) rss += weights[i]! * (values[i]! - a - c * basis[i]!) ** 2;
    return { a, c, rss };
  }

  const logMin = Math.log(tauMin);
  const logMax = Math.log(tauMax);
  let bestLogTau = logMin;
  let bestRss = Infinity;
  let bestIndex = 0;
  const gridLogs: number[] = [];
  for (let i = 0; i < gridPoints; i++) {
    const logTau = logMin + ((logMax - logMin) * i) / (gridPoints - 1);
    gridLogs.push(logTau);
    const { rss } = linearPart(Math.exp(logTau));
    // Strictly smaller: on ties (e.g. a flat curve) the smallest τ is kept.
    if (rss < bestRss * (1 - 1e-12)) {
      bestRss = rss;
      bestLogTau = logTau;
      bestIndex = i;
    }
  }
  let low = gridLogs[Math.max(0, bestIndex - 1)]!;
  let high = gridLogs[Math.min(gridPoints - 1, bestIndex + 1)]!;
  let x1 = high - GOLDEN * (high - low);
  let x2 = low + GOLDEN * (high - low);
  let f1 = linearPart(Math.exp(x1)).rss;
  let f2 = linearPart(Math.exp(x2)).rss;
  for (let iteration = 0; iteration < 60 && high - low > 1e-10; iteration++) {
    if (f1 <= f2) {
      high = x2;
      x2 = x1;
      f2 = f1;
      x1 = high - GOLDEN * (high - low);
      f1 = linearPart(Math.exp(x1)).rss;
    } else {
      low = x1;
      x1 = x2;
      f1 = f2;
      x2 = low + GOLDEN * (high - low);
      f2 = linearPart(Math.exp(x2)).rss;
    }
  }
  const refinedLogTau = f1 <= f2 ? x1 : x2;
  const refinedRss = Math.min(f1, f2);
  if (refinedRss < bestRss) bestLogTau = refinedLogTau;

  const tau = Math.exp(bestLogTau);
  const { a, c, rss } = linearPart(tau);
  const shiftedGain = c === 0 ? 0 : -c;
  const b = shiftedGain * Math.exp(s0 / tau);
  const tolerance = 1e-6;
  const tauAtBound = bestLogTau <= logMin + tolerance ? 'lower' : bestLogTau >= logMax - tolerance ? 'upper' : null;
  return {
    a,
    b,
    tau,
    r2: totalSs > 0 ? Math.max(0, 1 - rss / totalSs) : 1,
    weightedRss: rss,
    tauAtBound: shiftedGain > 0 ? tauAtBound : null,
    tauRange: [tauMin, tauMax],
    predict: (s: number) => a - shiftedGain * Math.exp(-(s - s0) / tau),
  };
}
