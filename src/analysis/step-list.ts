/** The fewest and the most steps a step list may hold. */
export const MIN_STEP_COUNT = 1;
export const MAX_STEP_COUNT = 10_000;
/** The most step counts one list may expand to (an X/Y grid wider than this is a typo). */
export const MAX_STEP_LIST_LENGTH = 200;
/** The longest step list text read (200 step counts written out one by one take about 1,200 characters). */
export const MAX_STEP_LIST_CHARS = 2_000;

const NUMBER = String.raw`[+-]?\d+(?:\.\d+)?`;
const DASH = '[-\u2013\u2014]';
/**
 * One item: a number, or a range `a-b` with an optional increment `(+k)` / `(-k)` / `(k)` or an
 * optional count `[n]`. Every part is separated by distinct tokens, so the regex cannot backtrack
 * catastrophically.
 */
const ITEM = new RegExp(
  String.raw`^(?<start>${NUMBER})(?:\s*${DASH}\s*(?<end>${NUMBER})` +
    String.raw`(?:\s*\(\s*(?<increment>[+-]?\s*\d+(?:\.\d+)?)\s*\)|\s*\[\s*(?<count>${NUMBER})\s*\])?)?$`,
);

/**
 * Whether an item stops half-way: it ends in a dash, an opening bracket or a sign, or opens a bracket
 * it never closes. Checked with index look-ups rather than a regular expression, whose `\([^)]*$` was
 * quadratic on a run of "(".
 */
function isIncomplete(item: string): boolean {
  const last = item.trimEnd().slice(-1);
  if (/^[-\u2013\u2014([+]$/.test(last)) return true;
  return item.lastIndexOf('(') > item.lastIndexOf(')') || item.lastIndexOf('[') > item.lastIndexOf(']');
}

/** An item as quoted in a message: at most 40 characters, so an error never echoes a long input back. */
function quoted(item: string): string {
  return item.length <= 40 ? `"${item}"` : `"${item.slice(0, 40)}…"`;
}

function fail(requirement: string): never {
  throw new Error(`parseStepList requires ${requirement}`);
}

function parseNumber(text: string): number {
  return Number(text.replace(/\s+/g, ''));
}

function checkStep(value: number, item: string): number {
  if (!Number.isInteger(value) || value < MIN_STEP_COUNT || value > MAX_STEP_COUNT) {
    fail(`step counts that are whole numbers from ${MIN_STEP_COUNT} to ${MAX_STEP_COUNT} (got ${value} in ${quoted(item)})`);
  }
  return value;
}

/** Expands one comma-separated item; `null` when the text is not an item at all. */
function expandItem(item: string): number[] | null {
  const match = ITEM.exec(item);
  if (!match?.groups) return null;
  const { start: startText, end: endText, increment: incrementText, count: countText } = match.groups;
  const start = checkStep(parseNumber(startText!), item);
  if (endText === undefined) return [start];
  const end = checkStep(parseNumber(endText), item);
  const low = Math.min(start, end);
  const high = Math.max(start, end);

  if (countText !== undefined) {
    const count = parseNumber(countText);
    if (!Number.isInteger(count) || count < 1 || count > MAX_STEP_COUNT) {
      fail(`a count that is a whole number from 1 to ${MAX_STEP_COUNT} (got ${count} in ${quoted(item)})`);
    }
    // Evenly spaced from start to end inclusive (numpy.linspace), rounded to whole steps.
    if (count === 1) return [start];
    return Array.from({ length: count }, (_, i) => Math.round(start + ((end - start) * i) / (count - 1)));
  }

  if (incrementText === undefined) {
    const values: number[] = [];
    for (let s = low; s <= high; s++) values.push(s);
    return values;
  }
  const compact = incrementText.replace(/\s+/g, '');
  const increment = Number(compact);
  if (!Number.isInteger(increment)) fail(`a whole-number increment (got ${compact} in ${quoted(item)})`);
  if (increment === 0) fail(`an increment other than 0 (in ${quoted(item)})`);
  const signed = /^[+-]/.test(compact);
  if (signed && end > start && increment < 0) {
    fail(`a positive increment to go up from ${start} to ${end} (got ${compact} in ${quoted(item)}; write "${start}-${end} (+${-increment})" or "${end}-${start} (${compact})")`);
  }
  if (signed && end < start && increment > 0) {
    fail(`a negative increment to go down from ${start} to ${end} (got ${compact} in ${quoted(item)}; write "${start}-${end} (-${increment})" or "${end}-${start} (${compact})")`);
  }
  // The increment walks from the start toward the end and stops before passing it (A1111 semantics).
  const stride = Math.abs(increment);
  const values: number[] = [];
  if (end >= start) for (let s = start; s <= end; s += stride) values.push(s);
  else for (let s = start; s >= end; s -= stride) values.push(s);
  return values;
}

/** Expands one comma-separated chunk: an item, or several items separated by spaces only. */
function expandChunk(item: string): number[] {
  const values = expandItem(item);
  if (values !== null) return values;
  const words = item.split(/\s+/);
  if (words.length > 1 && words.every((word) => ITEM.test(word))) {
    return words.flatMap((word) => expandItem(word) ?? []);
  }
  if (isIncomplete(item)) fail(`a number, range or list: ${quoted(item)} is incomplete`);
  fail(`a number, range or list: ${quoted(item)} is not one (write e.g. 10,20,30 or 10-50 (+5) or 10-50 [9])`);
}

/**
 * Parses a step list as people write it in X/Y plot tools (the AUTOMATIC1111 / Forge "X/Y/Z plot"
 * syntax for integer axes) into sorted, distinct step counts.
 *
 * Accepted, mixed freely and separated by commas (spaces and empty items such as a trailing comma are
 * ignored; a comma-free run of plain numbers like `10 20 30` is read as a list too):
 * - `20` — one step count;
 * - `10-50` — every whole number from 10 to 50 (a falling range `50-10` gives the same set);
 * - `10-50 (+5)` — from 10 up in increments of 5, stopping before passing 50 (10, 15, …, 50); a
 *   falling range takes a negative increment, `50-10 (-15)` → 50, 35, 20; an unsigned `(5)` walks in
 *   the range's own direction; an increment whose sign goes away from the end is rejected (A1111
 *   silently yields nothing there);
 * - `10-50 [9]` — 9 evenly spaced values from 10 to 50 inclusive (numpy.linspace, as in A1111), each
 *   rounded to the nearest whole step (A1111 truncates toward zero, which biases every value down),
 *   duplicates dropped; `[1]` gives the start.
 * En and em dashes (`10–50`) count as range dashes.
 *
 * Cost: O(m + v log v) for m ≤ 2,000 characters expanding to v values (v ≤ 10,000 per item).
 *
 * Errors (one message shape, naming the offending item):
 * - "parseStepList requires at least one step count: the list is empty";
 * - "parseStepList requires at most 2,000 characters (got 100,002)" (items are quoted up to 40 characters);
 * - `parseStepList requires a number, range or list: "10-" is incomplete`;
 * - `parseStepList requires a number, range or list: "abc" is not one (…)`;
 * - `parseStepList requires step counts that are whole numbers from 1 to 10000 (got 0 in "0-10")`;
 * - `parseStepList requires an increment other than 0 (in "10-50 (+0)")`, "… a whole-number increment …",
 *   `parseStepList requires a positive increment to go up from 10 to 50 (got -5 in "10-50 (-5)"; …)`;
 * - `parseStepList requires a count that is a whole number from 1 to 10000 (got 0 in "10-50 [0]")`;
 * - "parseStepList requires at most 200 step counts (got 401)".
 *
 * @example
 * parseStepList('4, 8, 10-50 (+10)'); // → [4, 8, 10, 20, 30, 40, 50]
 * parseStepList('10-50 [9]'); // → [10, 15, 20, 25, 30, 35, 40, 45, 50]
 */
export function parseStepList(text: string): number[] {
  if (typeof text !== 'string') fail('a string');
  if (text.length > MAX_STEP_LIST_CHARS) {
    fail(`at most ${MAX_STEP_LIST_CHARS.toLocaleString('en-US')} characters (got ${text.length.toLocaleString('en-US')})`);
  }
  const found = new Set<number>();
  // Every item expands to at most 10,000 values; stop counting once a runaway list has cost enough.
  let expanded = 0;
  let counted = true;
  for (const raw of text.split(',')) {
    const item = raw.trim();
    if (item === '') continue;
    const values = expandChunk(item);
    for (const value of values) found.add(value);
    expanded += values.length;
    if (expanded > 100 * MAX_STEP_COUNT && found.size > MAX_STEP_LIST_LENGTH) {
      counted = false;
      break;
    }
  }
  if (found.size === 0) fail('at least one step count: the list is empty');
  if (found.size > MAX_STEP_LIST_LENGTH) {
    fail(`at most ${MAX_STEP_LIST_LENGTH} step counts (got ${counted ? found.size : `more than ${found.size}`})`);
  }
  return [...found].sort((x, y) => x - y);
}

function rangeText(first: number, last: number, stride: number): string {
  return stride === 1 ? `${first}-${last}` : `${first}-${last} (+${stride})`;
}

/**
 * The shortest readable step list for a set of step counts, in the syntax {@link parseStepList}
 * reads, so that `parseStepList(formatStepList(xs))` gives back the sorted distinct `xs`.
 *
 * Method: dynamic programming over the sorted values; each piece is a single number or an
 * arithmetic run written `a-b` (stride 1) or `a-b (+k)`, pieces are joined by ", ", and the split
 * with the fewest characters wins (ties: the fewest pieces, then the shortest first piece). So
 * `10, 20, 30` stays a list (10 characters) rather than `10-30 (+10)` (11).
 *
 * Cost: O(v²) for v distinct values (v ≤ 200 in practice).
 *
 * Errors: "formatStepList requires at least one step count", "formatStepList requires step counts
 * that are whole numbers from 1 to 10000 (got 0)".
 *
 * @example
 * formatStepList([10, 15, 20, 25]); // → "10-25 (+5)"
 * formatStepList([4, 8, 10, 20, 30, 40, 50]); // → "4, 8, 10-50 (+10)"
 */
export function formatStepList(steps: readonly number[]): string {
  if (!Array.isArray(steps) || steps.length === 0) throw new Error('formatStepList requires at least one step count');
  for (const value of steps) {
    if (!Number.isInteger(value) || value < MIN_STEP_COUNT || value > MAX_STEP_COUNT) {
      throw new Error(`formatStepList requires step counts that are whole numbers from ${MIN_STEP_COUNT} to ${MAX_STEP_COUNT} (got ${value})`);
    }
  }
  const sorted = [...new Set(steps)].sort((x, y) => x - y);
  const count = sorted.length;
  // best[i]: the cheapest way to write sorted[i..]; cost = characters, then pieces.
  const best: { chars: number; pieces: number; text: string }[] = new Array(count + 1);
  best[count] = { chars: 0, pieces: 0, text: '' };
  for (let i = count - 1; i >= 0; i--) {
    const first = sorted[i]!;
    let choice: { chars: number; pieces: number; text: string } | null = null;
    const stride = count > i + 1 ? sorted[i + 1]! - first : 0;
    for (let j = i; j < count; j++) {
      if (j > i + 1 && sorted[j]! - sorted[j - 1]! !== stride) break;
      const piece = j === i ? String(first) : rangeText(first, sorted[j]!, stride);
      const rest = best[j + 1]!;
      const chars = piece.length + (rest.pieces > 0 ? 2 + rest.chars : 0);
      const pieces = 1 + rest.pieces;
      if (choice === null || chars < choice.chars || (chars === choice.chars && pieces < choice.pieces)) {
        choice = { chars, pieces, text: rest.pieces > 0 ? `${piece}, ${rest.text}` : piece };
      }
    }
    best[i] = choice!;
  }
  return best[0]!.text;
}
