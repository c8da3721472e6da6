import type { SensitivityModel } from '../next-steps.js';
import { continuousSweetSpot, type RuleParameters, type SweetSpotRule } from '../sweet-spot-rules.js';
import type { FamilyFit } from './curve-families.js';

/**
 * The exponential fit's sensitivities for the c-optimal "what to test next" design: parameters
 * (a, b', τ) of q(s) = a − b'·exp(−(s − s₀)/τ), with s₀ the lowest tested step so that the
 * information matrix stays well conditioned when τ is small next to s₀; the sweet spot's gradient by
 * central differences. Null for other families or a curve with no rise. Cost: O(1).
 */
export function sensitivityOf(fit: FamilyFit, lowest: number, rule: SweetSpotRule, parameters: RuleParameters): SensitivityModel | null {
  if (fit.family !== 'exponential') return null;
  const { b, tau } = fit.params as { b: number; tau: number };
  if (!(b > 0 && tau > 0)) return null;
  const shiftedB = b * Math.exp(-lowest / tau);
  const sweetSpotAt = (bShift: number, t: number): number => continuousSweetSpot(rule, { b: bShift * Math.exp(lowest / t), tau: t }, parameters);
  const hB = shiftedB * 1e-6;
  const hTau = tau * 1e-6;
  return {
    jacobian: (s) => {
      const decay = Math.exp(-(s - lowest) / tau);
      return [1, -decay, (-shiftedB * (s - lowest) * decay) / (tau * tau)];
    },
    gradient: [
      0,
      (sweetSpotAt(shiftedB + hB, tau) - sweetSpotAt(shiftedB - hB, tau)) / (2 * hB),
      (sweetSpotAt(shiftedB, tau + hTau) - sweetSpotAt(shiftedB, tau - hTau)) / (2 * hTau),
    ],
  };
}
