import path from 'node:path';
import type { ImportFormat } from '../db/schema.js';

/** The media type that selects each import format (`POST /api/v1/import` reads the Content-Type). */
export const IMPORT_MEDIA_TYPES: Readonly<Record<ImportFormat, string>> = {
  csv: 'text/csv',
  json: 'application/json',
  ndjson: 'application/x-ndjson',
};

const FORMAT_BY_EXTENSION: Readonly<Record<string, ImportFormat>> = { '.csv': 'csv', '.json': 'json', '.ndjson': 'ndjson', '.jsonl': 'ndjson' };

/** The file name endings the import reads, for messages and file pickers. */
export const IMPORT_EXTENSIONS = Object.keys(FORMAT_BY_EXTENSION);

/** The format a file name's extension names (`.csv`, `.json`, `.ndjson`, `.jsonl`), if any. */
export function formatFromFilename(filename: string): ImportFormat | undefined {
  return FORMAT_BY_EXTENSION[path.extname(filename).toLowerCase()];
}

/** The format a media type names (parameters such as `; charset=utf-8` are ignored), if any. */
export function formatFromMediaType(mediaType: string | undefined): ImportFormat | undefined {
  const type = (mediaType ?? '').split(';')[0]!.trim().toLowerCase();
  return (Object.entries(IMPORT_MEDIA_TYPES) as [ImportFormat, string][]).find(([, t]) => t === type)?.[0];
}
