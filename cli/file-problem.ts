/** Why a file named on the command line cannot be read, in the operator's words rather than the system's. */
const PROBLEMS: Record<string, string> = {
  ENOENT: 'no such file',
  EISDIR: 'it is a directory, not a file',
  EACCES: 'permission denied',
  EPERM: 'permission denied',
  ENAMETOOLONG: 'the name is too long',
  ENOTDIR: 'a part of the path is not a directory',
};

/** The reason for a failed read of a file: the known system codes in words, else the error's first line. */
export function fileProblem(err: unknown): string {
  const code = (err as { code?: string } | undefined)?.code;
  if (code && PROBLEMS[code]) return PROBLEMS[code];
  return (err instanceof Error ? err.message : String(err)).split('\n')[0];
}
