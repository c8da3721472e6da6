/** One element of the runs array, as JSON text, with the line it starts on (1-based). */
export interface JsonElement {
  line: number;
  text: string;
}

/** The JSON cannot be split into runs (not an array, cut short, unbalanced brackets); names the line. */
export class JsonShapeError extends Error {
  override name = 'JsonShapeError';
  constructor(
    message: string,
    readonly line: number,
  ) {
    super(message);
  }
}

const SPACE = 32;
const TAB = 9;
const NEWLINE = 10;
const CR = 13;
const QUOTE = 34;
const BACKSLASH = 92;
const COMMA = 44;
const COLON = 58;
const OPEN_BRACKET = 91;
const CLOSE_BRACKET = 93;
const OPEN_BRACE = 123;
const CLOSE_BRACE = 125;

const isSpace = (c: number) => c === SPACE || c === NEWLINE || c === CR || c === TAB;

/**
 * Splits a streamed JSON document — an array of runs, or an object whose `runs` key holds that array
 * (other keys are skipped) — into the text of each element, without ever holding more than one element.
 * It tracks only strings and bracket depth; each element's own syntax is left to `JSON.parse`, so one
 * malformed run is reported on its line while the rest are still read. Throws a JsonShapeError when the
 * document is not of that shape or an element is longer than `maxElementLength` characters. Yields
 * nothing for a document of only whitespace; the caller tells "empty" from "no runs" by `sawContent`.
 */
export async function* splitJsonArray(
  chunks: AsyncIterable<string>,
  options: { maxElementLength: number },
  state: { sawContent: boolean } = { sawContent: false },
): AsyncGenerator<JsonElement> {
  let line = 1;
  /** Open containers, innermost last (OPEN_BRACKET or OPEN_BRACE). */
  const stack: number[] = [];
  let inString = false;
  let escaped = false;
  /** Depth of the runs array's contents (1 for a top-level array, 2 inside `{ "runs": [...] }`); 0 until found. */
  let targetDepth = 0;
  let targetClosed = false;
  let wrapper = false;
  // In the wrapper object: whether the next string is a key, and the key being read / last read.
  let expectKey = false;
  let keyParts: string[] | null = null;
  let lastKey: string | null = null;
  // The element being captured.
  let parts: string[] = [];
  let partsLength = 0;
  let capturing = false;
  let elementLine = 0;
  let afterComma = false;

  for await (const chunk of chunks) {
    let segmentStart = capturing ? 0 : -1;
    let keyStart = keyParts ? 0 : -1;
    const tooLong = () =>
      new JsonShapeError(`the run starting at line ${elementLine} is longer than ${options.maxElementLength} characters`, elementLine);
    const finishElement = (end: number): JsonElement => {
      if (partsLength + end - segmentStart > options.maxElementLength) throw tooLong();
      parts.push(chunk.slice(segmentStart, end));
      const element = { line: elementLine, text: parts.join('') };
      parts = [];
      partsLength = 0;
      capturing = false;
      segmentStart = -1;
      return element;
    };
    for (let i = 0; i < chunk.length; i++) {
      const c = chunk.charCodeAt(i);
      if (c === NEWLINE) line++;
      if (inString) {
        if (escaped) escaped = false;
        else if (c === BACKSLASH) escaped = true;
        else if (c === QUOTE) {
          inString = false;
          if (keyParts) {
            keyParts.push(chunk.slice(keyStart, i));
            lastKey = keyParts.join('');
            keyParts = null;
            keyStart = -1;
          }
        }
        continue;
      }
      if (isSpace(c)) continue;
      state.sawContent = true;
      const depth = stack.length;

      if (depth === 0) {
        if (targetClosed || wrapper) throw new JsonShapeError(`unexpected text after the end of the JSON at line ${line}`, line);
        if (c === OPEN_BRACKET) {
          stack.push(c);
          targetDepth = 1;
        } else if (c === OPEN_BRACE) {
          stack.push(c);
          wrapper = true;
          expectKey = true;
        } else {
          throw new JsonShapeError('a JSON import is an array of runs, or an object { "runs": [...] }', line);
        }
        continue;
      }

      if (depth === targetDepth && !targetClosed) {
        // Directly inside the runs array: commas and the closing bracket end elements.
        if (c === COMMA || c === CLOSE_BRACKET) {
          if (capturing) yield finishElement(i);
          else if (c === COMMA || afterComma) {
            throw new JsonShapeError(`a run is missing before the ${c === COMMA ? "','" : "']'"} at line ${line}`, line);
          }
          afterComma = c === COMMA;
          if (c === CLOSE_BRACKET) {
            stack.pop();
            targetClosed = true;
            if (wrapper) expectKey = false;
          }
          continue;
        }
        if (!capturing) {
          capturing = true;
          elementLine = line;
          segmentStart = i;
        }
      } else if (wrapper && depth === 1) {
        // The wrapper object's own keys and separators.
        if (c === QUOTE && expectKey) {
          inString = true;
          keyParts = [];
          keyStart = i + 1;
          continue;
        }
        if (c === COLON) {
          expectKey = false;
          continue;
        }
        if (c === COMMA) {
          expectKey = true;
          lastKey = null;
          continue;
        }
        if (c === OPEN_BRACKET && lastKey === 'runs' && targetDepth === 0) {
          stack.push(c);
          targetDepth = 2;
          continue;
        }
      }

      if (c === QUOTE) inString = true;
      else if (c === OPEN_BRACKET || c === OPEN_BRACE) stack.push(c);
      else if (c === CLOSE_BRACKET || c === CLOSE_BRACE) {
        const open = stack.pop();
        if (open !== (c === CLOSE_BRACKET ? OPEN_BRACKET : OPEN_BRACE)) {
          throw new JsonShapeError(`unbalanced '${String.fromCharCode(c)}' at line ${line}`, line);
        }
      }
    }
    if (capturing) {
      const rest = chunk.slice(segmentStart);
      parts.push(rest);
      partsLength += rest.length;
      if (partsLength > options.maxElementLength) throw tooLong();
    }
    if (keyParts) {
      keyParts.push(chunk.slice(keyStart));
      if (keyParts.join('').length > 1000) throw new JsonShapeError(`a key longer than 1000 characters at line ${line}`, line);
    }
  }

  if (!state.sawContent) return;
  if (inString || stack.length > 0) {
    const insideRun = capturing && (inString || stack.length > targetDepth);
    throw new JsonShapeError(`the JSON ends before ${insideRun ? `the run starting at line ${elementLine}` : 'the array'} is closed`, line);
  }
  if (wrapper && targetDepth === 0) {
    throw new JsonShapeError('the JSON object has no "runs" array: send an array of runs, or { "runs": [...] }', line);
  }
}
