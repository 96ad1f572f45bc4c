/**
 * The shell property test's two axes: templates that put a value in every context a runbook can write
 * (each either quoted by the compiler or refused at validate), and hostile values built from fragments
 * that try to run `touch CANARY` from each of those contexts.
 */
import fc from 'fast-check';

/** `V` marks where the template interpolates `${{ params.v }}`. */
export interface ShellContext {
  name: string;
  command: string;
  args?: string[];
  /** What the command prints for value v, or `refused` when validate must refuse the template. */
  expect: ((v: string) => string) | 'refused';
}

const V = '${{ params.v }}';
const stripTrailingNewlines = (s: string) => s.replace(/\n+$/, '');

export const CONTEXTS: ShellContext[] = [
  { name: 'bare', command: `printf '%s|' ${V}`, expect: (v) => `${v}|` },
  { name: 'inside a word', command: `printf '%s|' pre${V}post`, expect: (v) => `pre${v}post|` },
  { name: "inside the template's '...'", command: `printf '%s|' 'a ${V} b'`, expect: (v) => `a ${v} b|` },
  { name: 'inside the template\'s "..."', command: `printf '%s|' "a ${V} b"`, expect: (v) => `a ${v} b|` },
  { name: '"..." with two values', command: `printf '%s|' "${V}:${V}"`, expect: (v) => `${v}:${v}|` },
  { name: 'in $( )', command: `printf '%s|' "$(printf '%s' ${V})"`, expect: (v) => `${stripTrailingNewlines(v)}|` },
  { name: 'in "..." in $( )', command: `printf '%s|' "$(printf '%s' "x${V}y")"`, expect: (v) => `x${v}y|` },
  {
    name: "in '...' in $( )",
    command: `printf '%s|' $(printf '%s' 'x${V}y' | od -v -An -tx1 | tr -d ' \\n')`,
    expect: (v) => `${hex(`x${v}y`)}|`,
  },
  { name: 'assignment', command: `X=${V}; printf '%s|' "$X"`, expect: (v) => `${v}|` },
  { name: 'for list', command: `for a in ${V}; do printf '%s|' "$a"; done`, expect: (v) => `${v}|` },
  { name: 'case word', command: `case ${V} in *) printf '%s|' ${V};; esac`, expect: (v) => `${v}|` },
  { name: 'pipeline', command: `printf '%s' ${V} | od -v -An -tx1 | tr -d ' \\n'`, expect: (v) => hex(v) },
  { name: 'after a wrapper', command: `env printf '%s|' ${V}`, expect: (v) => `${v}|` },
  { name: 'redirect target', command: `printf '%s|' ${V} 2>/dev/null`, expect: (v) => `${v}|` },
  { name: 'args', command: `printf '%s|'`, args: [V], expect: (v) => `${v}|` },
  { name: 'args after a subshell', command: `(true) && printf '%s|'`, args: [V], expect: (v) => `${v}|` },
  { name: 'command name', command: `${V} --version`, expect: 'refused' },
  { name: 'sh -c', command: `sh -c ${V}`, expect: 'refused' },
  { name: 'eval', command: `eval ${V}`, expect: 'refused' },
  { name: 'sudo wraps it', command: `sudo -u root ${V}`, expect: 'refused' },
  { name: 'backticks', command: `printf '%s|' \`printf '%s' ${V}\``, expect: 'refused' },
  { name: 'heredoc', command: `cat <<EOF\n${V}\nEOF`, expect: 'refused' },
  { name: 'quoted heredoc', command: `cat <<'EOF'\n${V}\nEOF`, expect: 'refused' },
  { name: 'comment', command: `true # ${V}`, expect: 'refused' },
  { name: '${ }', command: `printf '%s|' "\${X:-${V}}"`, expect: 'refused' },
  { name: '$(( ))', command: `printf '%s|' $((${V} + 1))`, expect: 'refused' },
  { name: 'after a backslash', command: `printf '%s|' \\${V}`, expect: 'refused' },
  { name: "$'...'", command: `printf '%s|' $'${V}'`, expect: 'refused' },
  { name: 'args to sh -c', command: 'sh -c', args: [V], expect: 'refused' },
  { name: 'args after a comment', command: 'true #', args: [V], expect: 'refused' },
];

/** Lower-case hex of a string's UTF-8 bytes (what `od -v -An -tx1 | tr -d ' \n'` prints). */
export function hex(s: string): string {
  return Buffer.from(s, 'utf8').toString('hex');
}

/** Fragments that try to run `touch CANARY` from some context, and characters that change a shell's parse. */
function fragments(canary: string): string[] {
  const t = `touch ${canary}`;
  return [
    `$(${t})`,
    `\`${t}\``,
    `'; ${t}; '`,
    `"; ${t}; "`,
    `\n${t}\n`,
    `; ${t}`,
    `&& ${t}`,
    `| ${t}`,
    `|| ${t}`,
    `EOF\n${t}\nEOF\n`,
    `\nEOF\n${t}\n`,
    `'$(${t})'`,
    `"$(${t})"`,
    `' "$(${t})" '`,
    `$'\\x27; ${t}; \\x27'`,
    `>${canary}`,
    `\n>${canary}\n`,
    `'\n${t} #`,
    `"\n${t} #`,
    `\\'; ${t}; \\'`,
    `\\"; ${t}; \\"`,
    `}; ${t}; {`,
    `)); ${t}; ((`,
    `); ${t}; (`,
    `\`; ${t}; \``,
    `;; esac; ${t}; case x in *)`,
    `done; ${t}; for x in y; do`,
    `\${IFS}`,
    `$((1+1))`,
    `\${X:-$(${t})}`,
    '\\',
    "'",
    '"',
    '$',
    '`',
    '#',
    '*',
    '?',
    '~',
    '\n',
    '\t',
    ' ',
    '%s',
    '-n',
    '--',
    '!',
    '{',
    '}',
    '(',
    ')',
    ';',
    '&',
    '|',
    '<',
    '>',
    'é',
    '→',
    '',
  ];
}

/** Hostile values: a few fragments and arbitrary printable or control characters (never NUL, which no argv holds). */
export function hostileValue(canary: string): fc.Arbitrary<string> {
  const piece = fc.oneof(
    { weight: 3, arbitrary: fc.constantFrom(...fragments(canary)) },
    { weight: 1, arbitrary: fc.string({ maxLength: 6 }) },
    { weight: 1, arbitrary: fc.string({ unit: 'binary', maxLength: 3 }) },
  );
  return fc.array(piece, { minLength: 1, maxLength: 5 }).map((ps) =>
    ps
      .join('')
      .replace(/\0/g, '')
      .replace(/[\uD800-\uDFFF]/g, ''),
  );
}
