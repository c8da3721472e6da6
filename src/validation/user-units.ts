import { DAY_MS } from './run-input.js';

const SECONDS_MAX = (7 * DAY_MS) / 1000;

/** The render time as a person types it (in seconds), with its range: used wherever time is typed in seconds. */
export const TIME_IN_SECONDS_MESSAGE = `Time (seconds) must be from 0 to ${SECONDS_MAX.toLocaleString('en-US')}`;

/**
 * A validation message in the words and units of a form or the CLI, where time is typed in seconds:
 * the API's "durationMs must be a number from 0 to 604800000" becomes
 * "Time (seconds) must be from 0 to 604,800". Other fields keep their message.
 */
export function inSecondsWording(field: string, message: string): string {
  return field === 'durationMs' ? TIME_IN_SECONDS_MESSAGE : message;
}

/** The same for a CSV import, whose `duration_ms` column is in milliseconds: it says so, with separators. */
export function inImportWording(column: string | null, message: string): string {
  return column === 'duration_ms' ? `duration_ms (milliseconds) must be from 0 to ${(7 * DAY_MS).toLocaleString('en-US')}` : message;
}
