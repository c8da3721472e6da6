/**
 * Upper-tail probabilities of the χ² and F distributions, for the lack-of-fit, flatness and
 * decline tests of the curve engine.
 *
 * Method: the regularised incomplete beta function by Lentz's continued fraction and the
 * regularised incomplete gamma function by its series / continued fraction (Press et al.,
 * "Numerical Recipes", 3rd ed., §6.2 and §6.4). Relative accuracy about 1e-10. Cost: O(1) (at most
 * a few hundred terms).
 */

const EPS = 1e-14;
const TINY = 1e-300;

function logGamma(x: number): number {
  // Lanczos approximation (g = 7, n = 9), accurate to about 1e-15 for x > 0.
  const c = [
    0.99999999999980993, 676.5203681218851, -1259.1392167224028, 771.32342877765313, -176.61502916214059,
    12.507343278686905, -0.13857109526572012, 9.9843695780195716e-6, 1.5056327351493116e-7,
  ];
  if (x < 0.5) return Math.log(Math.PI / Math.abs(Math.sin(Math.PI * x))) - logGamma(1 - x);
  const z = x - 1;
  let sum = c[0]!;
  for (let i = 1; i < 9; i++) sum += c[i]! / (z + i);
  const t = z + 7.5;
  return 0.5 * Math.log(2 * Math.PI) + (z + 0.5) * Math.log(t) - t + Math.log(sum);
}

function betaContinuedFraction(a: number, b: number, x: number): number {
  let c = 1;
  let d = 1 - ((a + b) * x) / (a + 1);
  if (Math.abs(d) < TINY) d = TINY;
  d = 1 / d;
  let h = d;
  for (let m = 1; m <= 500; m++) {
    const m2 = 2 * m;
    let aa = (m * (b - m) * x) / ((a + m2 - 1) * (a + m2));
    d = 1 + aa * d;
    if (Math.abs(d) < TINY) d = TINY;
    c = 1 + aa / c;
    if (Math.abs(c) < TINY) c = TINY;
    d = 1 / d;
    h *= d * c;
    aa = (-(a + m) * (a + b + m) * x) / ((a + m2) * (a + m2 + 1));
    d = 1 + aa * d;
    if (Math.abs(d) < TINY) d = TINY;
    c = 1 + aa / c;
    if (Math.abs(c) < TINY) c = TINY;
    d = 1 / d;
    const delta = d * c;
    h *= delta;
    if (Math.abs(delta - 1) < EPS) break;
  }
  return h;
}

/** The regularised incomplete beta function I_x(a, b). */
export function incompleteBeta(x: number, a: number, b: number): number {
  if (x <= 0) return 0;
  if (x >= 1) return 1;
  const front = Math.exp(logGamma(a + b) - logGamma(a) - logGamma(b) + a * Math.log(x) + b * Math.log1p(-x));
  return x < (a + 1) / (a + b + 2) ? (front * betaContinuedFraction(a, b, x)) / a : 1 - (front * betaContinuedFraction(b, a, 1 - x)) / b;
}

/** The regularised upper incomplete gamma function Q(a, x). */
function upperIncompleteGamma(a: number, x: number): number {
  if (x <= 0) return 1;
  if (x < a + 1) {
    let term = 1 / a;
    let sum = term;
    for (let n = 1; n < 1000; n++) {
      term *= x / (a + n);
      sum += term;
      if (Math.abs(term) < Math.abs(sum) * EPS) break;
    }
    return 1 - sum * Math.exp(-x + a * Math.log(x) - logGamma(a));
  }
  let b = x + 1 - a;
  let c = 1 / TINY;
  let d = 1 / b;
  let h = d;
  for (let i = 1; i < 1000; i++) {
    const an = -i * (i - a);
    b += 2;
    d = an * d + b;
    if (Math.abs(d) < TINY) d = TINY;
    c = b + an / c;
    if (Math.abs(c) < TINY) c = TINY;
    d = 1 / d;
    const delta = d * c;
    h *= delta;
    if (Math.abs(delta - 1) < EPS) break;
  }
  return Math.exp(-x + a * Math.log(x) - logGamma(a)) * h;
}

/**
 * P(χ²_df > statistic). Errors: "chiSquareUpperTail requires a positive df".
 *
 * @example
 * chiSquareUpperTail(3.841458820694124, 1); // ≈ 0.05
 */
export function chiSquareUpperTail(statistic: number, df: number): number {
  if (!(df > 0)) throw new Error('chiSquareUpperTail requires a positive df');
  if (!(statistic > 0)) return 1;
  if (statistic === Infinity) return 0;
  return Math.min(1, Math.max(0, upperIncompleteGamma(df / 2, statistic / 2)));
}

/**
 * P(F(df1, df2) > statistic); df2 = Infinity gives the χ²_df1 / df1 limit.
 * Errors: "fUpperTail requires positive degrees of freedom".
 *
 * @example
 * fUpperTail(4.964602743730711, 1, 10); // ≈ 0.05
 */
export function fUpperTail(statistic: number, df1: number, df2: number): number {
  if (!(df1 > 0 && df2 > 0)) throw new Error('fUpperTail requires positive degrees of freedom');
  if (!(statistic > 0)) return 1;
  if (statistic === Infinity) return 0;
  if (df2 === Infinity) return chiSquareUpperTail(statistic * df1, df1);
  return Math.min(1, Math.max(0, incompleteBeta(df2 / (df2 + df1 * statistic), df2 / 2, df1 / 2)));
}
