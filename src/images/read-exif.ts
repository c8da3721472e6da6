import { decodeLatin1OrUtf8, decodeUtf16Detected, stripTrailingNuls } from './decode-text.js';
import { decodeUserComment } from './decode-user-comment.js';
import type { TextCollector } from './text-collector.js';

/** Names for the IFD0 text tags worth reporting; other ASCII tags are reported as "0x010d" etc. */
const IFD0_TAG_NAMES: Readonly<Record<number, string>> = {
  0x010d: 'DocumentName',
  0x010e: 'ImageDescription',
  0x010f: 'Make',
  0x0110: 'Model',
  0x0131: 'Software',
  0x013b: 'Artist',
  0x8298: 'Copyright',
};
const TAG_EXIF_IFD = 0x8769;
const TAG_XP_COMMENT = 0x9c9c;
const TAG_USER_COMMENT = 0x9286;
const TYPE_ASCII = 2;
const TYPE_BYTE = 1;
const TYPE_UNDEFINED = 7;
const TYPE_SIZES: Readonly<Record<number, number>> = { 1: 1, 2: 1, 3: 2, 4: 4, 5: 8, 6: 1, 7: 1, 8: 2, 9: 4, 10: 8, 11: 4, 12: 8 };
/** Real IFDs hold a few dozen entries; more is a sign of garbage and only costs time. */
const MAX_IFD_ENTRIES = 1000;

/**
 * Reads the text fields of an EXIF block (a TIFF structure, either byte order): the ASCII tags of
 * IFD0 (ImageDescription, Make, Model, Software… and any other ASCII tag), Windows' XPComment, and
 * the ExifIFD UserComment. A field of the form `key:{json}` or `key:[json]` (ComfyUI's WebP output
 * puts `workflow:` in Make and `prompt:` in Model) is also stored under `key`.
 *
 * Tolerant by design: an entry that points outside the block is skipped and a broken EXIF block
 * yields fewer fields rather than an error, so a damaged camera EXIF never blocks an upload. The
 * only error is the size cap: throws `MetadataError('text-bomb')` via the collector.
 *
 * @example readExif(tiffBytes, collector, 'JPEG EXIF') // collector.texts.UserComment → 'Steps: 20, …'
 */
export function readExif(tiff: Uint8Array, collector: TextCollector, where: string): void {
  if (tiff.length < 8) return;
  const order = String.fromCharCode(tiff[0] ?? 0, tiff[1] ?? 0);
  if (order !== 'II' && order !== 'MM') return;
  const little = order === 'II';
  const view = new DataView(tiff.buffer, tiff.byteOffset, tiff.byteLength);
  if (view.getUint16(2, little) !== 42) return;

  const ifd0 = readIfd(view, view.getUint32(4, little), little);
  let exifIfdOffset: number | null = null;
  for (const entry of ifd0) {
    if (entry.tag === TAG_EXIF_IFD && entry.count === 1 && (entry.type === 4 || entry.type === 13)) {
      exifIfdOffset = view.getUint32(entry.valueOffset, little);
      continue;
    }
    const value = entryBytes(tiff, entry);
    if (value === null) continue;
    if (entry.tag === TAG_XP_COMMENT && (entry.type === TYPE_BYTE || entry.type === TYPE_UNDEFINED)) {
      collector.checkSize(value.length, `${where} XPComment`);
      addText(collector, 'XPComment', stripTrailingNuls(decodeUtf16Detected(value, true)), value.length, where);
    } else if (entry.type === TYPE_ASCII) {
      const name = IFD0_TAG_NAMES[entry.tag] ?? `0x${entry.tag.toString(16).padStart(4, '0')}`;
      collector.checkSize(value.length, `${where} ${name}`);
      addText(collector, name, stripTrailingNuls(decodeLatin1OrUtf8(value)), value.length, where);
    }
  }

  if (exifIfdOffset === null) return;
  for (const entry of readIfd(view, exifIfdOffset, little)) {
    if (entry.tag !== TAG_USER_COMMENT) continue;
    const value = entryBytes(tiff, entry);
    if (value === null) continue;
    collector.checkSize(value.length, `${where} UserComment`);
    addText(collector, 'UserComment', decodeUserComment(value, little), value.length, where);
  }
}

/** Stores the field, and also its JSON payload under its own key when it reads `key:{…}`. */
function addText(collector: TextCollector, name: string, text: string, byteLength: number, where: string): void {
  if (text === '') {
    collector.charge(name, byteLength, `${where} ${name}`); // stored nowhere, but counted like any field
    return;
  }
  collector.add(name, text, byteLength, `${where} ${name}`);
  const prefixed = /^([A-Za-z_][\w-]{0,63}):\s*(?=[{[])/.exec(text);
  if (prefixed !== null && prefixed[1] !== undefined) {
    collector.add(prefixed[1], text.slice(prefixed[0].length), byteLength, `${where} ${name}`);
  }
}

interface IfdEntry {
  tag: number;
  type: number;
  count: number;
  /** Offset (within the TIFF block) of the 4-byte value/offset field. */
  valueOffset: number;
  little: boolean;
}

function readIfd(view: DataView, offset: number, little: boolean): IfdEntry[] {
  if (offset < 8 || offset + 2 > view.byteLength) return [];
  const count = view.getUint16(offset, little);
  const entries: IfdEntry[] = [];
  for (let i = 0; i < Math.min(count, MAX_IFD_ENTRIES); i++) {
    const at = offset + 2 + i * 12;
    if (at + 12 > view.byteLength) break;
    entries.push({
      tag: view.getUint16(at, little),
      type: view.getUint16(at + 2, little),
      count: view.getUint32(at + 4, little),
      valueOffset: at + 8,
      little,
    });
  }
  return entries;
}

/** The raw bytes of an entry's value (inline when 4 bytes or fewer), or null when out of bounds. */
function entryBytes(tiff: Uint8Array, entry: IfdEntry): Uint8Array | null {
  const size = TYPE_SIZES[entry.type];
  if (size === undefined) return null;
  const length = size * entry.count;
  if (length <= 4) return tiff.subarray(entry.valueOffset, entry.valueOffset + length);
  const view = new DataView(tiff.buffer, tiff.byteOffset, tiff.byteLength);
  const start = view.getUint32(entry.valueOffset, entry.little);
  if (start + length > tiff.length) return null;
  return tiff.subarray(start, start + length);
}
