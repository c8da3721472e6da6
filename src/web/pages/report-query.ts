/** The query-string fields of the model report (analysisQuerySchema's), in the order links carry them. */
export const REPORT_QUERY_KEYS = [
  'metric',
  'rule',
  'delta',
  'share',
  'marginal',
  'hardware',
  'useCase',
  'resolution',
  'sampler',
  'phase',
  'experiment',
  'from',
  'to',
  'tag',
  'excludeTag',
] as const;

/** The fields that narrow which runs are analysed (as opposed to how). */
export const REPORT_FILTER_KEYS = ['hardware', 'useCase', 'resolution', 'sampler', 'phase', 'experiment', 'from', 'to', 'tag', 'excludeTag'] as const;

const BARE_DATE = /^\d{4}-\d\d-\d\d$/;

/**
 * The report's query fields as the user sent them (first value of each, trimmed, blanks dropped):
 * what the filter form shows and what links repeat, so a view can be shared as its URL.
 */
export function reportFilterValues(query: Record<string, unknown>): Record<string, string> {
  const values: Record<string, string> = {};
  for (const key of REPORT_QUERY_KEYS) {
    const raw = Array.isArray(query[key]) ? (query[key] as unknown[])[0] : query[key];
    if (typeof raw !== 'string') continue;
    const value = raw.trim().slice(0, 200);
    if (value !== '') values[key] = value;
  }
  return values;
}

/**
 * The values as analysisQuerySchema reads them: a date without a time (from an `<input type=date>`)
 * means the start of that day in `from` and its end in `to`, so "to 2026-11-25" includes that day.
 */
export function reportQueryInput(values: Record<string, string>): Record<string, string> {
  const input = { ...values };
  if (input.from && BARE_DATE.test(input.from)) input.from = `${input.from}T00:00:00.000Z`;
  if (input.to && BARE_DATE.test(input.to)) input.to = `${input.to}T23:59:59.999Z`;
  return input;
}
