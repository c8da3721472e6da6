// Coefficients of Acklam's rational approximation to the standard normal quantile.
const A = [-39.69683028665376, 220.9460984245205, -275.9285104469687, 138.357751867269, -30.66479806614716, 2.506628277459239];
const B = [-54.47609879822406, 161.5858368580409, -155.6989798598866, 66.80131188771972, -13.28068155288572];
const C = [-0.007784894002430293, -0.3223964580411365, -2.400758277161838, -2.549732539343734, 4.374664141464968, 2.938163982698783];
const D = [0.007784695709041462, 0.3224671290700398, 2.445134137142996, 3.754408661907416];

function polynomial(coefficients: readonly number[], x: number): number {
  return coefficients.reduce((total, coefficient) => total * x + coefficient, 0);
}

function normalQuantile(p: number): number {
  const low = 0.02425;
  if (p < low) {
    const q = Math.sqrt(-2 * Math.log(p));
    return polynomial(C, q) / (polynomial(D, q) * q + 1);
  }
  if (p > 1 - low) return -normalQuantile(1 - p);
  const q = p - 0.5;
  const r = q * q;
  return (polynomial(A, r) * q) / (polynomial(B, r) * r + 1);
}

/**
 * The p-quantile of Student's t distribution with ν degrees of freedom, for confidence intervals of
 * level means (e.g. p = 0.95 for a two-sided 90% interval). ν = Infinity gives the normal quantile.
 *
 * Method: exact closed forms for ν = 1 (tan(π(p − ½))) and ν = 2 ((2p − 1)/√(2p(1 − p))); for ν ≥ 3
 * the Cornish–Fisher expansion of t in the normal quantile z to order ν⁻⁴ (Abramowitz & Stegun,
 * "Handbook of Mathematical Functions", 26.7.5), with z from Acklam's rational approximation
 * (relative error < 1.2e-9). Fractional ν ≥ 3 are allowed. Absolute error at p = 0.95 is at most
 * 1.1e-3 for ν = 3 and below 1e-5 for ν ≥ 10. Cost: O(1).
 *
 * Errors: "studentTQuantile requires 0 < p < 1", "studentTQuantile requires ν = 1, 2 or ν ≥ 3".
 *
 * @example
 * studentTQuantile(0.95, 10); // ≈ 1.8125
 * studentTQuantile(0.95, Infinity); // ≈ 1.6449
 */
export function studentTQuantile(p: number, degreesOfFreedom: number): number {
  if (!(p > 0 && p < 1)) throw new Error('studentTQuantile requires 0 < p < 1');
  const v = degreesOfFreedom;
  if (v === 1) return Math.tan(Math.PI * (p - 0.5));
  if (v === 2) return (2 * p - 1) / Math.sqrt(2 * p * (1 - p));
  if (!(v >= 3)) throw new Error('studentTQuantile requires ν = 1, 2 or ν ≥ 3');
  const z = normalQuantile(p);
  if (v === Infinity) return z;
  const z2 = z * z;
  const g1 = (z2 * z + z) / 4;
  const g2 = ((5 * z2 + 16) * z2 * z + 3 * z) / 96;
  const g3 = (((3 * z2 + 19) * z2 + 17) * z2 * z - 15 * z) / 384;
  const g4 = ((((79 * z2 + 776) * z2 + 1482) * z2 - 1920) * z2 * z - 945 * z) / 92160;
  return z + g1 / v + g2 / v ** 2 + g3 / v ** 3 + g4 / v ** 4;
}
