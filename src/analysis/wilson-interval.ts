import { studentTQuantile } from './student-t-quantile.js';

/**
 * The Wilson score interval for a binomial proportion: the range of true shares p for which the
 * observed share of `successes` in `trials` lies within z standard errors √(p(1 − p)/n) of p
 * (Wilson, "Probable inference, the law of succession, and statistical inference", JASA 22, 1927):
 * centre (p̂ + z²/2n) / (1 + z²/n), half-width z/(1 + z²/n) · √(p̂(1 − p̂)/n + z²/4n²). Unlike the
 * textbook p̂ ± z·SE it stays inside [0, 1] and keeps a sensible width at 0 or n successes and for
 * small n (Brown, Cai & DasGupta, Statistical Science 16, 2001, recommend it for n < 40).
 *
 * Cost: O(1).
 *
 * Errors: "wilsonInterval requires whole numbers with 0 ≤ successes ≤ trials and trials ≥ 1",
 * "wilsonInterval requires a confidence between 0 and 1".
 *
 * @param confidence two-sided level, default 0.9 (z = 1.6449).
 * @example
 * wilsonInterval(17, 25); // → [0.5156, 0.8093] (68%, 90% CI 52–81%)
 */
export function wilsonInterval(successes: number, trials: number, confidence = 0.9): [number, number] {
  if (!Number.isInteger(successes) || !Number.isInteger(trials) || trials < 1 || successes < 0 || successes > trials) {
    throw new Error('wilsonInterval requires whole numbers with 0 ≤ successes ≤ trials and trials ≥ 1');
  }
  if (!(typeof confidence === 'number' && confidence > 0 && confidence < 1)) {
    throw new Error('wilsonInterval requires a confidence between 0 and 1');
  }
  const z = studentTQuantile((1 + confidence) / 2, Number.POSITIVE_INFINITY);
  const share = successes / trials;
  const zz = (z * z) / trials;
  const centre = (share + zz / 2) / (1 + zz);
  const halfWidth = (z / (1 + zz)) * Math.sqrt((share * (1 - share)) / trials + zz / (4 * trials));
  // 0 or n successes put one end exactly at 0 or 1; set it so rounding error cannot leave 1e-17.
  const low = successes === 0 ? 0 : Math.max(0, centre - halfWidth);
  const high = successes === trials ? 1 : Math.min(1, centre + halfWidth);
  return [low, high];
}
