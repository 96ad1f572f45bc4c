/**
 * The shell-context scanner's vocabulary (shell-context.ts): commands that run other commands or code,
 * words after which a command starts, and what each refusal tells the runbook's author to write instead.
 */

/**
 * Commands that run another command given as an operand: the options of theirs that take a value, and
 * how many operands come before the command (timeout's duration, chroot's directory, flock's lock file).
 */
export const WRAPPERS: Record<string, { valued: string[]; before: number }> = {
  sudo: { valued: ['-u', '-g', '-C', '-D', '-h', '-p', '-r', '-t', '-U', '-R'], before: 0 },
  doas: { valued: ['-u', '-C'], before: 0 },
  runuser: { valued: ['-u', '-g', '-G', '-s'], before: 0 },
  env: { valued: ['-u', '-C'], before: 0 },
  exec: { valued: ['-a'], before: 0 },
  nohup: { valued: [], before: 0 },
  nice: { valued: ['-n'], before: 0 },
  ionice: { valued: ['-c', '-n', '-p'], before: 0 },
  setsid: { valued: [], before: 0 },
  stdbuf: { valued: ['-i', '-o', '-e'], before: 0 },
  timeout: { valued: ['-s', '-k'], before: 1 },
  chroot: { valued: ['--userspec', '--groups'], before: 1 },
  flock: { valued: ['-w', '-E', '-c'], before: 1 },
  command: { valued: [], before: 0 },
  builtin: { valued: [], before: 0 },
  time: { valued: ['-f', '-o'], before: 0 },
  xargs: { valued: ['-I', '-L', '-n', '-P', '-s', '-d', '-E', '-a'], before: 0 },
};
/** Commands whose operands are shell code: `eval CODE`, `sh -c CODE`, `su -c CODE`, `ssh HOST CODE`, `watch CODE`. */
export const EVALUATORS = new Set([
  'eval',
  'sh',
  'bash',
  'dash',
  'ksh',
  'zsh',
  'ash',
  'busybox',
  'ssh',
  'source',
  '.',
  'trap',
  'su',
  'watch',
  'flock',
  'env',
]);
/** Words after which the next word is a command. */
export const LEADING = new Set(['then', 'do', 'else', 'elif', 'if', 'while', 'until', '!', '{', 'time']);

/** Why a context is refused, and what to write instead (the diagnostic's text). */
export const REFUSE = {
  command:
    'a value must not choose the command to run: write the command in the template and pass the value as an argument (or in args)',
  code: 'this command runs its arguments as shell code, so no quoting can make a value safe here: pass the value as data (an argument of a script, or in args of a command that is not a shell)',
  backticks: 'backticks nest quoting in a way values cannot be quoted for: write $( ... ) instead',
  param:
    'a value inside ${ ... } is not quoted reliably by every sh: compute the value with the expression, or assign it to a variable first (V=${{ ... }}) and use "$V"',
  arith:
    'a value inside $(( ... )) is evaluated as arithmetic: pass a number with the expression outside, e.g. N=${{ ... }}; echo $((N + 1))',
  heredoc:
    "a value in a heredoc can end it early or be expanded: pipe it in instead, e.g. printf '%s\\n' ${{ ... }} | command",
  comment: 'a value in a comment can end the comment with a newline: remove it from the comment',
  escaped: 'a value right after \\ loses its opening quote: remove the backslash',
  dollar: 'a value right after $ becomes $\'...\' or $"..." quoting: remove the $, or write ${{ ... }} apart',
  dollarQuote: "a value inside $'...' or $\"...\" is interpreted by bash: use plain '...' quotes",
  unbalanced:
    'the command is not closed (a quote, $( ), heredoc or comment still open where it ends), so its quoting cannot be read: close it',
};
