import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { formatStepList, MAX_STEP_LIST_CHARS, MAX_STEP_LIST_LENGTH, parseStepList } from '../../src/analysis/step-list.js';

describe('parseStepList', () => {
  it('matches the documented examples', () => {
    expect(parseStepList('4, 8, 10-50 (+10)')).toEqual([4, 8, 10, 20, 30, 40, 50]);
    expect(parseStepList('10-50 [9]')).toEqual([10, 15, 20, 25, 30, 35, 40, 45, 50]);
  });

  it('reads plain lists with spaces, trailing and doubled commas, and space-separated numbers', () => {
    expect(parseStepList('10,20,30')).toEqual([10, 20, 30]);
    expect(parseStepList(' 30 , 10,20, ')).toEqual([10, 20, 30]);
    expect(parseStepList('10,,20,')).toEqual([10, 20]);
    expect(parseStepList('10 20 30')).toEqual([10, 20, 30]);
    expect(parseStepList('20')).toEqual([20]);
  });

  it('sorts and removes duplicates across items', () => {
    expect(parseStepList('30, 10, 20-30 (+5), 10')).toEqual([10, 20, 25, 30]);
  });

  it('expands ranges: every integer, rising or falling, with dashes of any kind', () => {
    expect(parseStepList('10-15')).toEqual([10, 11, 12, 13, 14, 15]);
    expect(parseStepList('15-10')).toEqual([10, 11, 12, 13, 14, 15]);
    expect(parseStepList('10 – 12')).toEqual([10, 11, 12]);
    expect(parseStepList('7-7')).toEqual([7]);
  });

  it('expands increments from the start, stopping before passing the end (A1111 semantics)', () => {
    expect(parseStepList('10-50 (+5)')).toEqual([10, 15, 20, 25, 30, 35, 40, 45, 50]);
    expect(parseStepList('10-50 (+15)')).toEqual([10, 25, 40]);
    expect(parseStepList('50-10 (-15)')).toEqual([20, 35, 50]);
    expect(parseStepList('10-50(5)')).toEqual(parseStepList('10-50 (+5)'));
    expect(parseStepList('50-10 (15)')).toEqual([20, 35, 50]);
    expect(parseStepList('10-50 ( + 20 )')).toEqual([10, 30, 50]);
    expect(parseStepList('7-7 (-3)')).toEqual([7]);
  });

  it('expands counts evenly, rounded to whole steps and deduplicated', () => {
    expect(parseStepList('10-50 [ 5 ]')).toEqual([10, 20, 30, 40, 50]);
    // 1 + 9·i/3 = 1, 4, 7, 10
    expect(parseStepList('1-10 [4]')).toEqual([1, 4, 7, 10]);
    // 20, 26.67, 33.33, 40 → 20, 27, 33, 40
    expect(parseStepList('20-40 [4]')).toEqual([20, 27, 33, 40]);
    // 1, 1.5, 2 → 1, 2, 2 → 1, 2
    expect(parseStepList('1-2 [3]')).toEqual([1, 2]);
    expect(parseStepList('10-50 [1]')).toEqual([10]);
    expect(parseStepList('50-10 [3]')).toEqual([10, 30, 50]);
  });

  it('mixes every form', () => {
    expect(parseStepList('1, 2, 4, 8-16 [3], 20-40 (+10), 100')).toEqual([1, 2, 4, 8, 12, 16, 20, 30, 40, 100]);
  });

  it('accepts the bounds 1 and 10000 and exactly 200 values', () => {
    expect(parseStepList('1, 10000')).toEqual([1, 10000]);
    expect(parseStepList('1-200')).toHaveLength(200);
  });

  it('names what is wrong and where', () => {
    expect(() => parseStepList('')).toThrow('parseStepList requires at least one step count: the list is empty');
    expect(() => parseStepList(' , ,')).toThrow('parseStepList requires at least one step count');
    expect(() => parseStepList('10-')).toThrow('parseStepList requires a number, range or list: "10-" is incomplete');
    expect(() => parseStepList('10, 20-50 (')).toThrow('"20-50 (" is incomplete');
    expect(() => parseStepList('10-50 [')).toThrow('"10-50 [" is incomplete');
    expect(() => parseStepList('10-50 (+')).toThrow('"10-50 (+" is incomplete');
    expect(() => parseStepList('10, abc')).toThrow('parseStepList requires a number, range or list: "abc" is not one');
    expect(() => parseStepList('10-50 (+5) 60')).toThrow('"10-50 (+5) 60" is not one');
    expect(() => parseStepList('0-10')).toThrow(
      'parseStepList requires step counts that are whole numbers from 1 to 10000 (got 0 in "0-10")',
    );
    expect(() => parseStepList('12.5')).toThrow('(got 12.5 in "12.5")');
    expect(() => parseStepList('-5')).toThrow('(got -5 in "-5")');
    expect(() => parseStepList('10-10001')).toThrow('(got 10001 in "10-10001")');
    expect(() => parseStepList('10-50 (+0)')).toThrow('parseStepList requires an increment other than 0 (in "10-50 (+0)")');
    expect(() => parseStepList('10-50 (+2.5)')).toThrow('parseStepList requires a whole-number increment');
    expect(() => parseStepList('10-50 (-5)')).toThrow(
      'parseStepList requires a positive increment to go up from 10 to 50 (got -5 in "10-50 (-5)"; write "10-50 (+5)" or "50-10 (-5)")',
    );
    expect(() => parseStepList('50-10 (+5)')).toThrow('parseStepList requires a negative increment to go down from 50 to 10');
    expect(() => parseStepList('10-50 [0]')).toThrow(
      'parseStepList requires a count that is a whole number from 1 to 10000 (got 0 in "10-50 [0]")',
    );
    expect(() => parseStepList('10-50 [2.5]')).toThrow('parseStepList requires a count that is a whole number');
    expect(() => parseStepList('1-401')).toThrow('parseStepList requires at most 200 step counts (got 401)');
    expect(() => parseStepList('1-150, 200-300')).toThrow('parseStepList requires at most 200 step counts (got 251)');
    expect(() => parseStepList(42 as unknown as string)).toThrow('parseStepList requires a string');
  });

  it('stops early on a runaway list', () => {
    const text = Array.from({ length: 250 }, () => '1-10000').join(',');
    expect(() => parseStepList(text)).toThrow(/parseStepList requires at most 200 step counts \(got more than \d+\)/);
  });

  it('always returns sorted, distinct whole steps from 1 to 10000, at most 200 (property)', () => {
    const item = fc.oneof(
      fc.integer({ min: 1, max: 10_000 }).map(String),
      fc
        .tuple(fc.integer({ min: 1, max: 300 }), fc.integer({ min: 1, max: 300 }), fc.integer({ min: 1, max: 50 }))
        .map(([a, b, k]) => (a <= b ? `${a}-${b} (+${k})` : `${a}-${b} (-${k})`)),
      fc
        .tuple(fc.integer({ min: 1, max: 10_000 }), fc.integer({ min: 1, max: 10_000 }), fc.integer({ min: 1, max: 40 }))
        .map(([a, b, n]) => `${a}-${b} [${n}]`),
    );
    fc.assert(
      fc.property(fc.array(item, { minLength: 1, maxLength: 6 }), (items) => {
        let steps: number[];
        try {
          steps = parseStepList(items.join(', '));
        } catch (error) {
          expect((error as Error).message).toMatch(/^parseStepList requires at most 200 step counts/);
          return;
        }
        expect(steps.length).toBeGreaterThan(0);
        expect(steps.length).toBeLessThanOrEqual(MAX_STEP_LIST_LENGTH);
        for (let i = 0; i < steps.length; i++) {
          expect(Number.isInteger(steps[i])).toBe(true);
          expect(steps[i]).toBeGreaterThanOrEqual(1);
          expect(steps[i]).toBeLessThanOrEqual(10_000);
          if (i > 0) expect(steps[i]!).toBeGreaterThan(steps[i - 1]!);
        }
      }),
    );
  });

  it('gives a count range its first and last value and at most n values (property)', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 10_000 }), fc.integer({ min: 1, max: 10_000 }), fc.integer({ min: 2, max: 200 }), (a, b, n) => {
        const steps = parseStepList(`${a}-${b} [${n}]`);
        expect(steps[0]).toBe(Math.min(a, b));
        expect(steps[steps.length - 1]).toBe(Math.max(a, b));
        expect(steps.length).toBeLessThanOrEqual(n);
      }),
    );
  });
});

describe('formatStepList', () => {
  it('matches the documented examples', () => {
    expect(formatStepList([10, 15, 20, 25])).toBe('10-25 (+5)');
    expect(formatStepList([4, 8, 10, 20, 30, 40, 50])).toBe('4, 8, 10-50 (+10)');
  });

  it('picks the shortest form: lists for short runs, ranges for long ones', () => {
    expect(formatStepList([20])).toBe('20');
    expect(formatStepList([10, 20, 30])).toBe('10, 20, 30');
    expect(formatStepList([10, 20, 30, 40])).toBe('10-40 (+10)');
    expect(formatStepList([1, 2, 3])).toBe('1-3');
    expect(formatStepList([10, 11])).toBe('10-11');
    expect(formatStepList([1, 2, 3, 5, 7, 9])).toBe('1-3, 5, 7, 9');
    expect(formatStepList([30, 10, 20, 10, 40])).toBe('10-40 (+10)');
  });

  it('rejects empty lists and bad step counts', () => {
    expect(() => formatStepList([])).toThrow('formatStepList requires at least one step count');
    expect(() => formatStepList([0, 10])).toThrow(
      'formatStepList requires step counts that are whole numbers from 1 to 10000 (got 0)',
    );
    expect(() => formatStepList([2.5])).toThrow('(got 2.5)');
  });

  it('round-trips through parseStepList and is never longer than the plain list (property)', () => {
    fc.assert(
      fc.property(fc.uniqueArray(fc.integer({ min: 1, max: 10_000 }), { minLength: 1, maxLength: 200 }), (steps) => {
        const text = formatStepList(steps);
        expect(parseStepList(text)).toEqual([...steps].sort((x, y) => x - y));
        expect(text.length).toBeLessThanOrEqual([...steps].join(', ').length);
      }),
    );
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 500 }),
        fc.integer({ min: 1, max: 40 }),
        fc.integer({ min: 2, max: 200 }),
        (start, stride, length) => {
          const steps = Array.from({ length }, (_, i) => start + i * stride);
          expect(parseStepList(formatStepList(steps))).toEqual(steps);
        },
      ),
    );
  });
});

// Finding 6 of issue #14: a 100 KB steps of "(" × 100000 + ")x" froze the server for 9.9 s (a
// quadratic regular expression), and the 422 echoed 200 KB back.
describe('step lists a hostile client writes', () => {
  it('refuses the 100 KB "(((…)x" at once, naming the length limit, without echoing it', () => {
    const text = `${'('.repeat(100_000)})x`;
    let message = '';
    try {
      parseStepList(text);
    } catch (err) {
      message = (err as Error).message;
    }
    expect(message).toBe('parseStepList requires at most 2,000 characters (got 100,002)');
  });

  it('reads a run of "(" just under the limit in linear time and quotes at most 40 characters of it', () => {
    const text = `${'('.repeat(MAX_STEP_LIST_CHARS - 2)})x`;
    expect(() => parseStepList(text)).toThrow(/is not one/);
    let message = '';
    try {
      parseStepList(text);
    } catch (err) {
      message = (err as Error).message;
    }
    expect(message.length).toBeLessThan(200);
    expect(() => parseStepList(`10, 20, ${'('.repeat(50)}`)).toThrow(/is incomplete/);
    expect(() => parseStepList('10-50 (+')).toThrow(/"10-50 \(\+" is incomplete/);
    expect(() => parseStepList('10-50 [')).toThrow(/is incomplete/);
    expect(() => parseStepList('10–')).toThrow(/is incomplete/);
  });
});
