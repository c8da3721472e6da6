/** The message every interface gives when the disk (or the database's size limit) is full. */
export const DISK_FULL_MESSAGE = 'The disk is full: nothing of this was saved. Free some space (or raise the quota) and try again.';

/**
 * Whether an error means there is no room left to write: SQLite's SQLITE_FULL (the disk, or the
 * database's `max_page_count`), PostgreSQL's `disk_full` (SQLSTATE 53100), or the file system's
 * ENOSPC / EDQUOT. Such a write failed as a whole: SQLite and PostgreSQL roll its transaction back.
 */
export function isDiskFullError(err: unknown): boolean {
  for (let e = err, depth = 0; e && typeof e === 'object' && depth < 5; e = (e as { cause?: unknown }).cause, depth++) {
    const code = (e as { code?: unknown }).code;
    if (code === 'SQLITE_FULL' || code === 'ENOSPC' || code === 'EDQUOT' || code === '53100') return true;
  }
  return false;
}
