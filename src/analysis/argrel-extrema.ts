/** Which kind of relative extremum {@link argrelExtrema} looks for. */
export type ExtremumKind = 'maxima' | 'minima';

/**
 * Indices of the relative extrema of a sequence, found with *non-strict* comparisons against both
 * neighbours, the way `scipy.signal.argrelextrema(values, np.greater_equal | np.less_equal, order=1,
 * mode='clip')` finds them.
 *
 * - `maxima`: i qualifies iff values[i] >= values[i-1] and values[i] >= values[i+1].
 * - `minima`: i qualifies iff values[i] <= values[i-1] and values[i] <= values[i+1].
 * - The edges are clipped: the missing neighbour of index 0 or n-1 is the point itself, so an edge
 *   qualifies on its one real neighbour alone.
 * - A point on a plateau can be both a maximum and a minimum. NaN compares false, so a NaN point is
 *   never an extremum and never lets a neighbour be one.
 *
 * Reference: Satopää et al. 2011 (Kneedle, step "find local maxima/minima of the difference curve");
 * kneed 0.8.6 `KneeLocator` calls argrelextrema exactly like this.
 *
 * Cost: O(n) time, O(k) extra space for the k indices returned.
 *
 * Throws nothing: an empty input has no extrema.
 *
 * @example
 * argrelExtrema([0, 2, 2, 1, 3], 'maxima'); // => [1, 2, 4]
 * argrelExtrema([0, 2, 2, 1, 3], 'minima'); // => [0, 3]
 */
export function argrelExtrema(values: readonly number[], kind: ExtremumKind): number[] {
  const qualifies =
    kind === 'maxima'
      ? (here: number, neighbour: number): boolean => here >= neighbour
      : (here: number, neighbour: number): boolean => here <= neighbour;
  const last = values.length - 1;
  const indices: number[] = [];
  for (let i = 0; i <= last; i++) {
    const here = values[i] as number;
    const left = values[Math.max(i - 1, 0)] as number;
    const right = values[Math.min(i + 1, last)] as number;
    if (qualifies(here, left) && qualifies(here, right)) {
      indices.push(i);
    }
  }
  return indices;
}
