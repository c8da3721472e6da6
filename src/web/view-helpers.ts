import { lackOfFitVerdict } from '../analysis/curves/describe-curve.js';

/** Formatting helpers the templates share (available as `h` in every view). */
export const viewHelpers = {
  /** The chosen curve's lack-of-fit verdict in words (see `lackOfFitVerdict`). */
  lackOfFit: lackOfFitVerdict,
  /** 12345 → "12.3 s", 950 → "0.95 s", 4_000_000 → "1.1 h". */
  duration(ms: number | null | undefined): string {
    if (ms === null || ms === undefined || !Number.isFinite(ms)) return '—';
    const s = ms / 1000;
    if (s < 1) return `${s.toFixed(2)} s`;
    if (s < 90) return `${s.toFixed(1)} s`;
    if (s < 5400) return `${(s / 60).toFixed(1)} min`;
    return `${(s / 3600).toFixed(1)} h`;
  },
  number(value: number | null | undefined, digits = 1): string {
    if (value === null || value === undefined || !Number.isFinite(value)) return '—';
    return value.toFixed(digits);
  },
  int(value: number | null | undefined): string {
    if (value === null || value === undefined || !Number.isFinite(value)) return '—';
    return Math.round(value).toLocaleString('en-US');
  },
  date(iso: string | null | undefined): string {
    if (!iso) return '—';
    return iso.slice(0, 16).replace('T', ' ');
  },
  label(value: string | null | undefined): string {
    if (!value) return '—';
    return value.replace(/-/g, ' ');
  },
  /** A query string from the non-empty values of an object (for links that keep the current filters). */
  query(params: Record<string, unknown>): string {
    const search = new URLSearchParams();
    for (const [k, v] of Object.entries(params)) {
      if (v !== undefined && v !== null && v !== '') search.set(k, String(v));
    }
    const text = search.toString();
    return text ? `?${text}` : '';
  },
  /** JSON for a <script type="application/json"> block: `<` is escaped so no text can close the tag. */
  json(value: unknown): string {
    return JSON.stringify(value).replace(/</g, '\\u003c').replace(/>/g, '\\u003e').replace(/&/g, '\\u0026');
  },
};
