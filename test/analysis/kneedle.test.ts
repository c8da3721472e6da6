import { readFileSync } from 'node:fs';
import { describe, it, expect } from 'vitest';
import fc from 'fast-check';
import { kneedle } from '../../src/analysis/kneedle.js';
import type { KneedleOptions, KneedleResult } from '../../src/analysis/kneedle.js';
import { findShape } from '../../src/analysis/find-shape.js';
import { argrelExtrema } from '../../src/analysis/argrel-extrema.js';

// ---------------------------------------------------------------------------------------------
// Reference cases re-run against kneed 0.8.6 (test/fixtures/kneedle-sample-cases.json)
// ---------------------------------------------------------------------------------------------

type Tolerance =
  | { kind: 'exact' }
  | { kind: 'rel'; rel_tol: number; abs_tol?: number }
  | { kind: 'numpy_isclose'; rtol?: number; atol?: number };

interface SampleCase {
  name: string;
  x: number[];
  y: number[];
  params: Record<string, unknown>;
  expected: Record<string, unknown>;
  tolerance: Record<string, Tolerance>;
}

const sampleCases = JSON.parse(
  readFileSync(new URL('../fixtures/kneedle-sample-cases.json', import.meta.url), 'utf8'),
) as SampleCase[];

/** kneed's parameter names to ours; values pass through unchecked so that bad ones reach kneedle. */
function optionsFromParams(params: Record<string, unknown>): Partial<KneedleOptions> {
  return {
    sensitivity: params['S'],
    curve: params['curve'],
    direction: params['direction'],
    interpMethod: params['interp_method'],
    online: params['online'],
    polynomialDegree: params['polynomial_degree'],
  } as Partial<KneedleOptions>;
}

/** Python math.isclose and numpy.isclose, as the case file names them. */
function isClose(actual: number, expected: number, tolerance: Tolerance): boolean {
  switch (tolerance.kind) {
    case 'exact':
      return Object.is(actual, expected) || actual === expected;
    case 'rel':
      return (
        Math.abs(actual - expected) <=
        Math.max(
          tolerance.rel_tol * Math.max(Math.abs(actual), Math.abs(expected)),
          tolerance.abs_tol ?? 0,
        )
      );
    case 'numpy_isclose':
      return (
        Math.abs(actual - expected) <=
        (tolerance.atol ?? 1e-8) + (tolerance.rtol ?? 1e-5) * Math.abs(expected)
      );
  }
}

function expectField(field: string, actual: unknown, expected: unknown, tolerance: Tolerance) {
  if (expected === null || typeof expected !== 'number' && !Array.isArray(expected)) {
    expect(actual, field).toEqual(expected);
    return;
  }
  if (Array.isArray(expected)) {
    expect(Array.isArray(actual), `${field} is an array`).toBe(true);
    const values = actual as unknown[];
    expect(values, field).toHaveLength(expected.length);
    expected.forEach((value, i) => expectField(`${field}[${i}]`, values[i], value, tolerance));
    return;
  }
  expect(typeof actual, `${field} is a number (got ${String(actual)})`).toBe('number');
  expect(
    isClose(actual as number, expected, tolerance),
    `${field}: ${String(actual)} vs expected ${expected} (${JSON.stringify(tolerance)})`,
  ).toBe(true);
}

const byNumber = (a: number, b: number) => a - b;

function actualField(field: string, result: KneedleResult, sample: SampleCase): unknown {
  switch (field) {
    case 'knee_x':
      return result.knee;
    case 'knee_y':
      return result.kneeY;
    case 'norm_knee':
      return result.normKnee;
    case 'norm_knee_y':
      return result.normKneeY;
    case 'all_knees_y_first':
      return result.allKneesY;
    case 'all_norm_knees_y_first':
      return result.allNormKneesY;
    case 'all_knees_sorted':
      return [...result.allKnees].sort(byNumber);
    case 'all_norm_knees_sorted':
      return [...result.allNormKnees].sort(byNumber);
    case 'find_shape':
      return findShape(sample.x, sample.y);
    default:
      throw new Error(`unknown expected field '${field}' in case ${sample.name}`);
  }
}

describe('kneedle: kneed 0.8.6 sample cases', () => {
  it('loads the case file', () => {
    expect(sampleCases.length).toBeGreaterThan(0);
  });

  it.each(sampleCases.map((sample) => [sample.name, sample] as const))('%s', (_name, sample) => {
    const options = optionsFromParams(sample.params);
    if (sample.expected['error'] !== undefined) {
      expect(sample.expected['error']).toBe('invalid_argument');
      expect(() => kneedle(sample.x, sample.y, options)).toThrow(/^kneedle requires /);
      return;
    }
    const result = kneedle(sample.x, sample.y, options);
    for (const [field, expected] of Object.entries(sample.expected)) {
      const tolerance = sample.tolerance[field] ?? { kind: 'exact' };
      expectField(field, actualField(field, result, sample), expected, tolerance);
    }
  });
});

describe('argrelExtrema (the non-strict, edge-clipped extrema kneedle uses)', () => {
  it('finds the doc example: plateau points and clipped edges', () => {
    // [0, 2, 2, 1, 3]: index 1 and 2 tie (both maxima), index 4 beats its only neighbour;
    // index 0 and index 3 are minima.
    expect(argrelExtrema([0, 2, 2, 1, 3], 'maxima')).toEqual([1, 2, 4]);
    expect(argrelExtrema([0, 2, 2, 1, 3], 'minima')).toEqual([0, 3]);
  });

  it('makes flat points both maxima and minima, and NaN blocks its neighbours', () => {
    expect(argrelExtrema([1, 1, 1], 'maxima')).toEqual([0, 1, 2]);
    expect(argrelExtrema([1, 1, 1], 'minima')).toEqual([0, 1, 2]);
    expect(argrelExtrema([1, Number.NaN, 0], 'maxima')).toEqual([]);
    expect(argrelExtrema([], 'minima')).toEqual([]);
    expect(argrelExtrema([5], 'maxima')).toEqual([0]);
  });
});

// ---------------------------------------------------------------------------------------------
// Hand-checkable cases from the spec
// ---------------------------------------------------------------------------------------------

const zeroToNine = [0, 1, 2, 3, 4, 5, 6, 7, 8, 9];
const noKnee: KneedleResult = {
  knee: null,
  kneeY: null,
  normKnee: null,
  normKneeY: null,
  allKnees: [],
  allKneesY: [],
  allNormKnees: [],
  allNormKneesY: [],
};

describe('kneedle: worked examples', () => {
  it('finds the doc example: concave decreasing has knee 7 but normKnee 2/9', () => {
    // yn = y/99 flipped → [0, 60, 80, 85, 90, 95, 96, 97, 98, 99]/99, xn = i/9 = 11i/99.
    // D = yn − xn = [0, 49, 58, 52, 46, 40, 30, 20, 10, 0]/99. Maxima: index 2 (58/99).
    // T = 58/99 − 1·(1/9) = 47/99. Scan: i=2 arms T; D[3] = 52/99 ≥ T; i=3: D[4] = 46/99 < T → knee
    // at t = 2. Flipped case: knee = x[9 − 2] = 7, normKnee = xn[2] = 2/9, kneeY = y at x=7 = 80,
    // normKneeY = flipped yn at index 2 = 80/99.
    const result = kneedle(zeroToNine, [99, 98, 97, 96, 95, 90, 85, 80, 60, 0], {
      direction: 'decreasing',
    });
    expect(result).toEqual({
      knee: 7,
      kneeY: 80,
      normKnee: 2 / 9,
      normKneeY: 80 / 99,
      allKnees: [7],
      allKneesY: [80],
      allNormKnees: [2 / 9],
      allNormKneesY: [80 / 99],
    });
  });

  it('finds the elbow of convex increasing data at 7', () => {
    // yn = (y − 1)/99 = [0, 1, 2, 3, 4, 9, 14, 19, 39, 99]/99; 1 − yn, flipped, is the same
    // [0, 60, 80, 85, 90, 95, 96, 97, 98, 99]/99 as above, so again t = 2: knee = x[9 − 2] = 7,
    // normKnee = 2/9, kneeY = 20, normKneeY = 1 − 19/99 = 80/99.
    const result = kneedle(zeroToNine, [1, 2, 3, 4, 5, 10, 15, 20, 40, 100], { curve: 'convex' });
    expect(result.knee).toBe(7);
    expect(result.kneeY).toBe(20);
    expect(result.normKnee).toBe(2 / 9);
    expect(result.normKneeY).toBeCloseTo(80 / 99, 15);
  });

  it('finds no knee for constant y (the difference curve is all NaN)', () => {
    expect(kneedle(zeroToNine, zeroToNine.map(() => 1))).toEqual(noKnee);
  });

  it('finds no knee for the straight line y = x (D ≡ 0: every point is a max and a min)', () => {
    expect(kneedle(zeroToNine, zeroToNine)).toEqual(noKnee);
  });

  it('finds no knee in three points whose difference curve never drops enough', () => {
    // y = e^(−x/10) at 1, 2, 3. yn = [1, 0.0779125/0.1640192 = 0.47502, 0]; convex decreasing takes
    // 1 − yn = [0, 0.52498, 1]; xn = [0, 0.5, 1]; D = [0, 0.02498, 0]. The one maximum is index 1,
    // T = 0.02498 − 1·0.5 = −0.475, and D[2] = 0 is not below it: no knee, so no y values either.
    const result = kneedle([1, 2, 3], [0.90483742, 0.81873075, 0.74081822], {
      curve: 'convex',
      direction: 'decreasing',
    });
    expect(result).toEqual(noKnee);
  });

  // Flat maxima and the effect of S. Concave increasing, x = 0..16, y chosen so that everything is
  // exact in binary: yn = y/256, xn = i/16 = 16i/256, so in units of 1/256, D = y − 16i:
  //   i:  0   1   2   3   4   5   6   7   8   9  10  11  12  13  14  15  16
  //   y:  0  26  38  60  84 108 130 150 166 174 180 192 204 216 228 242 256
  //   D:  0  10   6  12  20  28  34  38  38  30  20  16  12   8   4   2   0
  // Maxima (non-strict): 1, 7, 8 (7 and 8 are a plateau). Minima: 0, 2, 16.
  // The mean step of xn is 1/16 = 16 units, so T = D[m] − 16·S.
  const flatX = Array.from({ length: 17 }, (_, i) => i);
  const flatY = [0, 26, 38, 60, 84, 108, 130, 150, 166, 174, 180, 192, 204, 216, 228, 242, 256];

  it('with S = 0 stops at the early small maximum (x = 1)', () => {
    // T(1) = 10; at i = 1, D[2] = 6 < 10 → knee at index 1.
    const result = kneedle(flatX, flatY, { sensitivity: 0 });
    expect(result).toMatchObject({ knee: 1, kneeY: 26, normKnee: 1 / 16, normKneeY: 26 / 256 });
  });

  it('with S = 1 skips it, is disarmed by the minimum, and reports the plateau end (x = 8)', () => {
    // T(1) = −6: D[2] = 6 is not below it; index 2 is a minimum → disarmed through i = 6.
    // i = 7 arms T = 22 (D[8] = 38), i = 8 re-arms T = 22 at index 8 (D[9] = 30),
    // i = 9: D[10] = 20 < 22 → knee at the plateau's last index, 8.
    const result = kneedle(flatX, flatY, { sensitivity: 1 });
    expect(result).toEqual({
      knee: 8,
      kneeY: 166,
      normKnee: 0.5,
      normKneeY: 166 / 256,
      allKnees: [8],
      allKneesY: [166],
      allNormKnees: [0.5],
      allNormKneesY: [166 / 256],
    });
  });

  it('online, records every knee in first-detection order and returns the last one', () => {
    // S = 0: i = 1 finds knee 1 (D[2] = 6 < 10); index 2 disarms; i = 7 arms T = 38, D[8] = 38 is
    // not below; i = 8 arms T = 38 at index 8, D[9] = 30 < 38 → knee 8. Later points stay below
    // 38 and re-find 8, which is recorded once.
    const result = kneedle(flatX, flatY, { sensitivity: 0, online: true });
    expect(result).toEqual({
      knee: 8,
      kneeY: 166,
      normKnee: 0.5,
      normKneeY: 166 / 256,
      allKnees: [1, 8],
      allKneesY: [26, 166],
      allNormKnees: [1 / 16, 0.5],
      allNormKneesY: [26 / 256, 166 / 256],
    });
  });

  it('reports a knee at x = 0 without y values (the falsy knee quirk)', () => {
    // x = 0..4 (xn = i/4), y = [2, 0, 1, 3, 4] (yn = y/4), concave increasing:
    // D = [0.5, −0.25, −0.25, 0, 0]. Index 0 is a maximum (D[0] ≥ D[1], its left neighbour is
    // itself); T = 0.5 − 0.25 = 0.25 and D[1] = −0.25 < T → knee x[0] = 0, normKnee xn[0] = 0.
    // kneed only fills knee_y when the knee is truthy, so kneeY and normKneeY are null; the lists
    // still record y = 2 and yn = 0.5.
    expect(kneedle([0, 1, 2, 3, 4], [2, 0, 1, 3, 4])).toEqual({
      knee: 0,
      kneeY: null,
      normKnee: 0,
      normKneeY: null,
      allKnees: [0],
      allKneesY: [2],
      allNormKnees: [0],
      allNormKneesY: [0.5],
    });
  });

  it('follows the spec: a minimum disarms detection even when D then goes negative', () => {
    // y = x² read as concave increasing: xn = i/4, yn = [0, 1, 4, 9, 16]/16,
    // D = [0, −0.1875, −0.25, −0.1875, 0]. Maxima 0 and 4, minimum 2. i = 0 arms T = −0.25,
    // D[1] = −0.1875 is not below; i = 1: D[2] = −0.25 is not below; i = 2 is a minimum → disarmed,
    // so D[3] < 0 declares nothing. (kneed's code keeps testing D[i+1] < 0 after a minimum and
    // would report knee 0 here; the spec's disarm rule gives none.)
    expect(kneedle([0, 1, 2, 3, 4], [0, 1, 4, 9, 16]).knee).toBeNull();
  });

  it('reports y values on figure 2 like kneed test_y (≈ 1.897 and ≈ 0.758)', () => {
    // y = 5 − 1/(x + 0.1) at x = i/9; the knee is x = 2/9, where y = 5 − 90/29 = 55/29.
    // y(0) = −5 and y(1) = 5 − 10/11 = 45/11, so yn = (55/29 + 5) / (45/11 + 5) = 22/29.
    const x = Array.from({ length: 10 }, (_, i) => i / 9);
    const y = x.map((v) => -1 / (v + 0.1) + 5);
    const result = kneedle(x, y);
    expect(result.knee).toBe(2 / 9);
    expect(result.kneeY).toBeCloseTo(55 / 29, 12);
    expect(result.normKneeY).toBeCloseTo(22 / 29, 12);
    expect(result.allKneesY[0]).toBe(result.kneeY);
    expect(result.allNormKneesY[0]).toBe(result.normKneeY);
  });
});

describe('kneedle: sine online (kneed test_sine)', () => {
  // numpy's arange(0, 10, 0.1) is i·0.1.
  const x = Array.from({ length: 100 }, (_, i) => i * 0.1);
  const y = x.map(Math.sin);

  it.each([
    ['decreasing', 'convex', 4.5],
    ['increasing', 'convex', 4.9],
    ['increasing', 'concave', 7.7],
    ['decreasing', 'concave', 1.8],
  ] as const)('%s %s → %s', (direction, curve, expected) => {
    const knee = kneedle(x, y, { direction, curve, online: true }).knee;
    expect(knee).not.toBeNull();
    expect(Math.abs((knee as number) - expected)).toBeLessThanOrEqual(1e-8 + 1e-5 * expected);
  });

  it('increasing convex: the endpoint maximum finds 9.9 first, the answer is the last, 4.9', () => {
    const result = kneedle(x, y, { direction: 'increasing', curve: 'convex', online: true });
    expect(result.allKnees).toHaveLength(2);
    expect(result.allKnees[0]).toBeCloseTo(9.9, 12);
    expect(result.allKnees[1]).toBeCloseTo(4.9, 12);
    expect(result.allKneesY).toEqual([Math.sin(result.allKnees[0]!), Math.sin(result.allKnees[1]!)]);
    expect(result.knee).toBe(result.allKnees[1]);
  });
});

describe('kneedle: bumpy data (kneed DataGenerator.bumpy)', () => {
  const x = Array.from({ length: 90 }, (_, i) => i);
  // prettier-ignore
  const y = [
    7305.0, 6979.0, 6666.6, 6463.2, 6326.5, 6048.8, 6032.8, 5762.0, 5742.8, 5398.2, 5256.8, 5227.0,
    5001.7, 4942.0, 4854.2, 4734.6, 4558.7, 4491.1, 4411.6, 4333.0, 4234.6, 4139.1, 4056.8, 4022.5,
    3868.0, 3808.3, 3745.3, 3692.3, 3645.6, 3618.3, 3574.3, 3504.3, 3452.4, 3401.2, 3382.4, 3340.7,
    3301.1, 3247.6, 3190.3, 3180.0, 3154.2, 3089.5, 3045.6, 2989.0, 2993.6, 2941.3, 2875.6, 2866.3,
    2834.1, 2785.1, 2759.7, 2763.2, 2720.1, 2660.1, 2690.2, 2635.7, 2632.9, 2574.6, 2556.0, 2545.7,
    2513.4, 2491.6, 2496.0, 2466.5, 2442.7, 2420.5, 2381.5, 2388.1, 2340.6, 2335.0, 2318.9, 2319.0,
    2308.2, 2262.2, 2235.8, 2259.3, 2221.0, 2202.7, 2184.3, 2170.1, 2160.0, 2127.7, 2134.7, 2102.0,
    2101.4, 2066.4, 2074.3, 2063.7, 2048.1, 2031.9,
  ];
  const shape = { curve: 'convex', direction: 'decreasing' } as const;

  it('interp1d offline → 26', () => {
    expect(kneedle(x, y, shape).knee).toBe(26);
  });

  it('polynomial (degree 7) offline → 28, which needs a well-conditioned fit', () => {
    expect(kneedle(x, y, { ...shape, interpMethod: 'polynomial' }).knee).toBe(28);
  });

  it('online finds {26, 31, 41, 46, 53} (kneed test_all_knees)', () => {
    const result = kneedle(x, y, { ...shape, online: true });
    expect([...result.allKnees].sort(byNumber)).toEqual([26, 31, 41, 46, 53]);
    const expectedNorm = [
      0.2921348314606742, 0.348314606741573, 0.4606741573033708, 0.5168539325842696,
      0.5955056179775281,
    ];
    const norm = [...result.allNormKnees].sort(byNumber);
    expect(norm).toHaveLength(5);
    norm.forEach((value, i) =>
      expect(isClose(value, expectedNorm[i]!, { kind: 'numpy_isclose' })).toBe(true),
    );
    expect(result.allKneesY).toEqual(result.allKnees.map((knee) => y[knee]));
    expect(result.knee).toBe(53);
  });
});

describe('kneedle: polynomial interpolation', () => {
  it('equals interp1d exactly when degree + 1 >= distinct x', () => {
    const flatX = Array.from({ length: 17 }, (_, i) => i);
    const flatY = [0, 26, 38, 60, 84, 108, 130, 150, 166, 174, 180, 192, 204, 216, 228, 242, 256];
    expect(kneedle(flatX, flatY, { interpMethod: 'polynomial', polynomialDegree: 16 })).toEqual(
      kneedle(flatX, flatY),
    );
    // 7 points and the default degree 7.
    const x = [0, 1, 2, 3, 4, 5, 6];
    const y = [0, 50, 70, 80, 85, 88, 90];
    expect(kneedle(x, y, { interpMethod: 'polynomial' })).toEqual(kneedle(x, y));
  });

  it('equals interp1d exactly for any data with at most degree + 1 points (property)', () => {
    fc.assert(
      fc.property(curveArbitrary(8), shapeArbitrary, ({ x, y }, shape) => {
        const interpolated = kneedle(x, y, { ...shape, interpMethod: 'polynomial' });
        expect(interpolated).toEqual(kneedle(x, y, shape));
      }),
    );
  });

  it('finds the figure 2 knee with a degree-7 fit on 10 points (kneed test_list_input)', () => {
    const x = Array.from({ length: 10 }, (_, i) => i / 9);
    const y = x.map((v) => -1 / (v + 0.1) + 5);
    const knee = kneedle(x, y, { interpMethod: 'polynomial' }).knee as number;
    expect(Math.abs(knee - 0.22)).toBeLessThanOrEqual(0.05 * Math.max(knee, 0.22));
  });
});

// ---------------------------------------------------------------------------------------------
// Properties
// ---------------------------------------------------------------------------------------------

/** Strictly increasing x (integer steps 1..5) with finite y, 2..maxLength points. */
function curveArbitrary(maxLength: number) {
  return fc
    .array(
      fc.record({
        step: fc.integer({ min: 1, max: 5 }),
        y: fc.oneof(fc.integer({ min: -20, max: 20 }), fc.double({ min: -1e6, max: 1e6, noNaN: true })),
      }),
      { minLength: 2, maxLength },
    )
    .map((points) => {
      let position = 0;
      return {
        x: points.map(({ step }) => (position += step)),
        y: points.map(({ y }) => y),
      };
    });
}

const shapeArbitrary = fc.record({
  sensitivity: fc.constantFrom(0, 0.5, 1, 2, 5),
  curve: fc.constantFrom('concave' as const, 'convex' as const),
  direction: fc.constantFrom('increasing' as const, 'decreasing' as const),
  online: fc.boolean(),
});

describe('kneedle: properties', () => {
  it('reports a knee that is one of the x values, with consistent y values, or none', () => {
    fc.assert(
      fc.property(curveArbitrary(40), shapeArbitrary, ({ x, y }, options) => {
        const result = kneedle(x, y, options);
        if (result.knee === null) {
          expect(result).toEqual(noKnee);
          return;
        }
        expect(x).toContain(result.knee);
        expect(result.allKnees).toContain(result.knee);
        expect(result.allKnees.every((knee) => x.includes(knee))).toBe(true);
        expect(result.allKneesY).toEqual(result.allKnees.map((knee) => y[x.indexOf(knee)]));
        expect(result.allNormKneesY).toHaveLength(result.allKnees.length);
        expect(result.kneeY).toBe(result.knee === 0 ? null : y[x.indexOf(result.knee)]);
        if (!options.online) expect(result.allKnees).toEqual([result.knee]);
      }),
    );
  });

  it('does not move the knee when y is scaled by a positive constant (interp1d)', () => {
    // Powers of two scale every step of the normalization exactly, so the difference curve is
    // bit-identical; other constants can round a tie differently, exactly as in numpy.
    fc.assert(
      fc.property(
        curveArbitrary(40),
        shapeArbitrary,
        fc.integer({ min: -20, max: 20 }),
        ({ x, y }, options, exponent) => {
          const factor = 2 ** exponent;
          const base = kneedle(x, y, options);
          const scaled = kneedle(
            x,
            y.map((v) => v * factor),
            options,
          );
          expect(scaled.knee).toBe(base.knee);
          expect(scaled.normKnee).toBe(base.normKnee);
          expect(scaled.normKneeY).toBe(base.normKneeY);
          expect(scaled.allKnees).toEqual(base.allKnees);
          expect(scaled.allNormKneesY).toEqual(base.allNormKneesY);
          expect(scaled.kneeY).toBe(base.kneeY === null ? null : base.kneeY * factor);
        },
      ),
    );
  });

  it('always throws "kneedle requires …" for an invalid option', () => {
    const invalidOption = fc.oneof(
      fc
        .string()
        .filter((s) => s !== 'concave' && s !== 'convex')
        .map((curve) => ({ curve })),
      fc
        .string()
        .filter((s) => s !== 'increasing' && s !== 'decreasing')
        .map((direction) => ({ direction })),
      fc
        .string()
        .filter((s) => s !== 'interp1d' && s !== 'polynomial')
        .map((interpMethod) => ({ interpMethod })),
      fc
        .oneof(
          fc.double({ max: -Number.MIN_VALUE }),
          fc.constantFrom(Number.NaN, Infinity, -Infinity),
        )
        .map((sensitivity) => ({ sensitivity })),
      fc
        .oneof(
          fc.integer({ max: 0 }),
          fc.double({ noNaN: true }).filter((d) => !Number.isInteger(d)),
        )
        .map((polynomialDegree) => ({ polynomialDegree })),
    );
    fc.assert(
      fc.property(curveArbitrary(10), invalidOption, ({ x, y }, option) => {
        expect(() => kneedle(x, y, option as Partial<KneedleOptions>)).toThrow(
          /^kneedle requires /,
        );
      }),
    );
  });
});

describe('kneedle: invalid arguments', () => {
  const x = [0, 1, 2];
  const y = [0, 1, 2];
  it.each([
    [{ curve: 'bad curve' }, "kneedle requires curve to be 'concave' or 'convex', got 'bad curve'"],
    [
      { direction: 'sideways' },
      "kneedle requires direction to be 'increasing' or 'decreasing', got 'sideways'",
    ],
    [
      { interpMethod: 'spline' },
      "kneedle requires interpMethod to be 'interp1d' or 'polynomial', got 'spline'",
    ],
    [{ sensitivity: -1 }, 'kneedle requires sensitivity to be a finite number >= 0, got -1'],
    [{ sensitivity: Number.NaN }, 'kneedle requires sensitivity to be a finite number >= 0, got NaN'],
    [{ polynomialDegree: 0 }, 'kneedle requires polynomialDegree to be an integer >= 1, got 0'],
    [{ polynomialDegree: 2.5 }, 'kneedle requires polynomialDegree to be an integer >= 1, got 2.5'],
    [{ online: 'yes' }, "kneedle requires online to be a boolean, got 'yes'"],
  ])('rejects %j', (option, message) => {
    expect(() => kneedle(x, y, option as Partial<KneedleOptions>)).toThrow(message);
  });

  it.each([
    [[0, 1, 2], [0, 1], 'kneedle requires x and y of the same length, got 3 and 2'],
    [[0], [0], 'kneedle requires at least 2 data points, got 1'],
    [[], [], 'kneedle requires at least 2 data points, got 0'],
    [[0, Number.NaN], [0, 1], 'kneedle requires finite x values, got NaN at index 1'],
    [[0, 1], [Infinity, 1], 'kneedle requires finite y values, got Infinity at index 0'],
  ])('rejects x=%j y=%j', (xs, ys, message) => {
    expect(() => kneedle(xs, ys)).toThrow(message);
  });

  it('uses the defaults for options left undefined', () => {
    expect(kneedle(zeroToNine, [0, 60, 80, 85, 90, 95, 96, 97, 98, 99], {}).knee).toBe(2);
    expect(
      kneedle(zeroToNine, [0, 60, 80, 85, 90, 95, 96, 97, 98, 99], { curve: undefined }).knee,
    ).toBe(2);
  });
});
