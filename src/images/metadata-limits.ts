/** Hard limits applied while reading a file, so a small hostile upload cannot cost much memory or time. */
export interface MetadataLimits {
  /** Decoded size cap, in bytes, of one text chunk or EXIF text field (after decompression). */
  maxTextChunkBytes: number;
  /** Decoded size cap, in bytes, of all text in one file together (many small zTXt bombs add up). */
  maxTotalTextBytes: number;
  /** Declared width × height above which a file is rejected as a pixel bomb. */
  maxPixels: number;
  /** Declared width cap, in pixels. */
  maxWidth: number;
  /** Declared height cap, in pixels. */
  maxHeight: number;
  /** Cap on the chunks (PNG, WebP) or marker segments (JPEG) of one file, empty ones included. */
  maxChunks: number;
  /** Cap on the text fields of one file (text chunks, EXIF text tags, comments), empty ones included. */
  maxTextFields: number;
}

/**
 * What each text field costs against `maxTotalTextBytes` besides its text: an empty chunk is not
 * free (it still costs a key, an object slot and a lookup), so thousands of them add up like text.
 */
export const TEXT_FIELD_OVERHEAD_BYTES = 64;

/** The defaults: real ComfyUI text chunks are tens of KB, real renders well under 100 megapixels. */
export const DEFAULT_METADATA_LIMITS: Readonly<MetadataLimits> = Object.freeze({
  maxTextChunkBytes: 1024 * 1024,
  maxTotalTextBytes: 16 * 1024 * 1024,
  maxPixels: 100_000_000,
  maxWidth: 65_535,
  maxHeight: 65_535,
  // A 50 MB PNG written in libpng's 8 KiB IDAT chunks has about 6,400 chunks.
  maxChunks: 20_000,
  // Real files hold a handful of text fields (parameters, prompt, workflow, a few EXIF tags).
  maxTextFields: 1_000,
});

/**
 * The limits to use: the defaults overridden by the given fields. A field that is not a positive
 * finite number is ignored (the default stays), so a bad option can never switch a limit off.
 *
 * @example resolveMetadataLimits({ maxPixels: 4096 }).maxPixels // → 4096
 */
export function resolveMetadataLimits(overrides: Partial<MetadataLimits> | undefined): MetadataLimits {
  const limits: MetadataLimits = { ...DEFAULT_METADATA_LIMITS };
  if (overrides === undefined) return limits;
  for (const key of Object.keys(limits) as Array<keyof MetadataLimits>) {
    const value = overrides[key];
    if (typeof value === 'number' && Number.isFinite(value) && value > 0) limits[key] = Math.floor(value);
  }
  return limits;
}
