import { formatBytes } from './inflate-text.js';
import { MetadataError } from './metadata-error.js';
import { TEXT_FIELD_OVERHEAD_BYTES, type MetadataLimits } from './metadata-limits.js';

/**
 * Gathers the text fields of one file under their keys while enforcing the per-field and per-file
 * size caps and the cap on the number of fields. A repeated key keeps its first value and stores
 * later ones as "key (2)", "key (3)". Cost: O(1) amortised per field (the next free suffix of each
 * key is remembered, so 20,000 repeats of one key cost 20,000 steps, not 20,000²/2).
 */
export class TextCollector {
  readonly texts: Record<string, string> = {};
  private totalBytes = 0;
  private fields = 0;
  /** Per key, the suffix number to try next for its next repeat. */
  private readonly nextSuffix = new Map<string, number>();

  constructor(private readonly limits: MetadataLimits) {}

  /**
   * Checks a decoded size against the caps before the text is built. Throws `MetadataError('text-bomb')`.
   */
  checkSize(byteLength: number, what: string, totalCost = byteLength): void {
    if (byteLength > this.limits.maxTextChunkBytes) {
      throw new MetadataError(
        'text-bomb',
        `The text in ${what} is larger than the ${formatBytes(this.limits.maxTextChunkBytes)} limit for one text field; the file was rejected.`,
      );
    }
    if (this.totalBytes + totalCost > this.limits.maxTotalTextBytes) {
      throw new MetadataError(
        'text-bomb',
        `The text fields of this file add up to more than the ${formatBytes(this.limits.maxTotalTextBytes)} limit; the file was rejected.`,
      );
    }
  }

  /**
   * Counts one field against the limits without storing it (an empty EXIF tag, say): every field,
   * even an empty one, counts against `maxTextFields` and costs its key plus
   * `TEXT_FIELD_OVERHEAD_BYTES` against the total. Throws `MetadataError('too-many-chunks')` past the
   * count, `MetadataError('text-bomb')` past a size.
   */
  charge(key: string, byteLength: number, what: string): void {
    if (this.fields >= this.limits.maxTextFields) {
      throw new MetadataError(
        'too-many-chunks',
        `The file has more than ${this.limits.maxTextFields.toLocaleString('en-US')} text fields, the limit per file; it was rejected.`,
      );
    }
    const cost = byteLength + key.length + TEXT_FIELD_OVERHEAD_BYTES;
    this.checkSize(byteLength, what, cost);
    this.totalBytes += cost;
    this.fields++;
  }

  /** Stores a text under `key` after charging it (`byteLength` = its decoded size in bytes); see `charge`. */
  add(key: string, value: string, byteLength: number, what: string): void {
    this.charge(key, byteLength, what);
    let name = key;
    if (Object.prototype.hasOwnProperty.call(this.texts, name)) {
      let n = this.nextSuffix.get(key) ?? 2;
      // A name such as "k (2)" may have been taken by a field of that very name: skip it once, for good.
      while (Object.prototype.hasOwnProperty.call(this.texts, `${key} (${n})`)) n++;
      name = `${key} (${n})`;
      this.nextSuffix.set(key, n + 1);
    }
    // defineProperty, not assignment: a key such as "__proto__" must stay an ordinary field.
    Object.defineProperty(this.texts, name, { value, enumerable: true, writable: true, configurable: true });
  }
}
