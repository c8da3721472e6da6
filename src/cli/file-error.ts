/** Why a file could not be read, in words ("no such file", "permission denied"), with the system's code. */
export function whyUnreadable(err: unknown): string {
  const code = (err as NodeJS.ErrnoException | undefined)?.code;
  const words: Record<string, string> = {
    ENOENT: 'no such file',
    EACCES: 'permission denied',
    EPERM: 'permission denied',
    EISDIR: 'it is a folder, not a file',
    ENOTDIR: 'a part of the path is not a folder',
    EMFILE: 'too many files are open',
    ELOOP: 'the path loops through links',
    ENAMETOOLONG: 'the name is too long',
  };
  if (typeof code !== 'string') return 'it could not be read';
  return words[code] ? `${words[code]} (${code})` : `the system says ${code}`;
}
