import { describe, expect, it } from 'vitest';
import { studentTQuantile } from '../../src/analysis/student-t-quantile.js';

describe('studentTQuantile', () => {
  it('matches the documented examples and printed tables', () => {
    expect(studentTQuantile(0.95, 10)).toBeCloseTo(1.8125, 4);
    expect(studentTQuantile(0.95, Infinity)).toBeCloseTo(1.6449, 4);
    // Exact forms for 1 and 2 degrees of freedom.
    expect(studentTQuantile(0.95, 1)).toBeCloseTo(6.3138, 4);
    expect(studentTQuantile(0.95, 2)).toBeCloseTo(2.92, 4);
    // Table values (e.g. NIST/SEMATECH e-Handbook, table of t critical values).
    expect(Math.abs(studentTQuantile(0.95, 3) - 2.353)).toBeLessThan(1.2e-3);
    expect(studentTQuantile(0.95, 5)).toBeCloseTo(2.015, 3);
    expect(studentTQuantile(0.975, 30)).toBeCloseTo(2.042, 3);
    expect(studentTQuantile(0.05, 10)).toBeCloseTo(-1.8125, 4);
  });

  it('rejects invalid arguments', () => {
    expect(() => studentTQuantile(1, 5)).toThrow('studentTQuantile requires 0 < p < 1');
    expect(() => studentTQuantile(0.9, 2.5)).toThrow('studentTQuantile requires ν = 1, 2 or ν ≥ 3');
  });
});
