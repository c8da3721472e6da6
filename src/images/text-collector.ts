import { formatBytes } from './inflate-text.js';
import { MetadataError } from './metadata-error.js';
import type { MetadataLimits } from './metadata-limits.js';

/**
 * Gathers the text fields of one file under their keys while enforcing the per-field and per-file
 * size caps. A repeated key keeps its first value and stores later ones as "key (2)", "key (3)".
 */
export class TextCollector {
  readonly texts: Record<string, string> = {};
  private totalBytes = 0;

  constructor(private readonly limits: MetadataLimits) {}

  /**
   * Checks a decoded size against the caps before the text is built. Throws `MetadataError('text-bomb')`.
   */
  checkSize(byteLength: number, what: string): void {
    if (byteLength > this.limits.maxTextChunkBytes) {
      throw new MetadataError(
        'text-bomb',
        `The text in ${what} is larger than the ${formatBytes(this.limits.maxTextChunkBytes)} limit for one text field; the file was rejected.`,
      );
    }
    if (this.totalBytes + byteLength > this.limits.maxTotalTextBytes) {
      throw new MetadataError(
        'text-bomb',
        `The text fields of this file add up to more than the ${formatBytes(this.limits.maxTotalTextBytes)} limit; the file was rejected.`,
      );
    }
  }

  /** Stores a text under `key` after checking its size (`byteLength` = its decoded size in bytes). */
  add(key: string, value: string, byteLength: number, what: string): void {
    this.checkSize(byteLength, what);
    this.totalBytes += byteLength;
    let name = key;
    for (let n = 2; Object.prototype.hasOwnProperty.call(this.texts, name); n++) name = `${key} (${n})`;
    // defineProperty, not assignment: a key such as "__proto__" must stay an ordinary field.
    Object.defineProperty(this.texts, name, { value, enumerable: true, writable: true, configurable: true });
  }
}
