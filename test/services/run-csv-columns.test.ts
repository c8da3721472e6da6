import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { columnForHeader, neutraliseFormula, restoreFormula } from '../../src/services/run-csv-columns.js';

describe('formula neutralising', () => {
  it.each([
    ['=1+1', "'=1+1"],
    ['+SUM(A1)', "'+SUM(A1)"],
    ['-cmd', "'-cmd"],
    ['@x', "'@x"],
    ['\tx', "'\tx"],
    ['\rx', "'\rx"],
    ["'=x", "''=x"],
    ["'plain", "'plain"],
    ['a=b', 'a=b'],
    ['', ''],
  ])('%j → %j', (text, neutralised) => {
    expect(neutraliseFormula(text)).toBe(neutralised);
    expect(restoreFormula(neutralised)).toBe(text);
  });

  it('restores any text exactly', () => {
    fc.assert(
      fc.property(fc.string({ unit: fc.constantFrom("'", '=', '+', '-', '@', '\t', '\r', 'a', ' ') }), (text) => {
        expect(restoreFormula(neutraliseFormula(text))).toBe(text);
        expect(neutraliseFormula(text)).not.toMatch(/^[=+\-@\t\r]/);
      }),
    );
  });
});

describe('columnForHeader', () => {
  it('matches names in any case, with spaces and in camelCase', () => {
    expect(columnForHeader(' Duration_MS ')).toBe('duration_ms');
    expect(columnForHeader('negativePrompt')).toBe('negative_prompt');
    expect(columnForHeader('USE CASE')).toBe('use_case');
    expect(columnForHeader('quality')).toBeUndefined();
  });
});
