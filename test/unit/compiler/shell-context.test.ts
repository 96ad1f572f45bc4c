/**
 * compiler/expr/shell-context.ts: where each `${{ }}` of a shell template lands, and renderShellIn's
 * quoting for it. The lab property test (test/integration/shell-property.test.ts) executes the result;
 * this table pins the decisions, including the ones it does not reach.
 */
import { renderShellIn, shellSlots, splitTemplate } from '../../../compiler/expr';

const slots = (t: string, args = false) =>
  shellSlots(splitTemplate(t), args).map((s) => ('quote' in s ? s.quote : `refused: ${s.refused.split(':')[0]}`));

describe('shellSlots', () => {
  test.each([
    ['echo ${{x}}', ['shell']],
    ["echo 'a ${{x}}'", ['shell-single']],
    ['echo "a ${{x}}"', ['shell-double']],
    ['echo "$(cat ${{x}})"', ['shell']],
    ['X=${{x}}; echo "$X"', ['shell']],
    ['for d in ${{x}}; do rm -r "$d"; done', ['shell']],
    ['case ${{x}} in a) echo ${{y}};; esac', ['shell', 'shell']],
    ['sudo systemctl stop ${{x}}', ['shell']],
    ['sudo -u ${{x}} ls', ['shell']],
    ['timeout 10 ls ${{x}}', ['shell']],
    ["cat <<'EOF'\nhi\nEOF\necho ${{x}}", ['shell']],
    ['echo x 2>&1 ${{x}}', ['shell']],
  ])('%j is quoted as %j', (t, want) => expect(slots(t)).toEqual(want));

  test.each([
    ['${{x}} --version', 'a value must not choose the command to run'],
    ['echo a; ${{x}}', 'a value must not choose the command to run'],
    ['ls | /usr/bin/${{x}}', 'a value must not choose the command to run'],
    ['sudo -u kafka ${{x}}', 'a value must not choose the command to run'],
    ['timeout 10 ${{x}}', 'a value must not choose the command to run'],
    ['sh -c ${{x}}', 'this command runs its arguments as shell code, so no quoting can make a value safe here'],
    ['eval ${{x}}', 'this command runs its arguments as shell code, so no quoting can make a value safe here'],
    ['ssh host ${{x}}', 'this command runs its arguments as shell code, so no quoting can make a value safe here'],
    ['echo `cat ${{x}}`', 'backticks nest quoting in a way values cannot be quoted for'],
    ['echo "`cat ${{x}}`"', 'backticks nest quoting in a way values cannot be quoted for'],
    ['echo ${V:-${{x}}}', 'a value inside ${ ... } is not quoted reliably by every sh'],
    ['echo $(( ${{x}} + 1 ))', 'a value inside $(( ... )) is evaluated as arithmetic'],
    ['cat <<EOF\n${{x}}\nEOF', 'a value in a heredoc can end it early or be expanded'],
    [
      'cat <<${{x}}\nEOF',
      'the command is not closed (a quote, $( ), heredoc or comment still open where it ends), so its quoting cannot be read',
    ],
    ['echo # ${{x}}', 'a value in a comment can end the comment with a newline'],
    ['echo \\${{x}}', 'a value right after \\ loses its opening quote'],
    ['echo "\\${{x}}"', 'a value right after \\ loses its opening quote'],
    ['echo $${{x}}', 'a value right after $ becomes $\'...\' or $"..." quoting'],
    ["echo $'${{x}}'", 'a value inside $\'...\' or $"..." is interpreted by bash'],
    [
      "echo 'open ${{x}}",
      'the command is not closed (a quote, $( ), heredoc or comment still open where it ends), so its quoting cannot be read',
    ],
  ])('%j is refused: %s', (t, why) => expect(slots(t)).toEqual([`refused: ${why}`]));

  test.each([
    ['printf %s', 'shell'],
    ['sudo', 'refused: a value must not choose the command to run'],
    ['sh -c', 'refused: this command runs its arguments as shell code, so no quoting can make a value safe here'],
    [
      'echo #',
      'refused: the command is not closed (a quote, $( ), heredoc or comment still open where it ends), so its quoting cannot be read',
    ],
    [
      "echo 'x",
      'refused: the command is not closed (a quote, $( ), heredoc or comment still open where it ends), so its quoting cannot be read',
    ],
  ])('args after %j: %s', (command, want) => expect(slots(command, true)).toEqual([want]));
});

describe('renderShellIn', () => {
  test.each([
    ['shell', "it's", `'it'\\''s'`],
    ['shell', ['a b', 'c'], `'a b' 'c'`],
    ['shell-single', "it's", `''it'\\''s''`],
    ['shell-double', '$(id) "x"', `"'$(id) "x"'"`],
    ['shell-double', ['a', 'b'], `"'["a","b"]'"`],
  ] as const)('%s %j → %s', (quote, value, want) => expect(renderShellIn(value, quote)).toBe(want));
});
