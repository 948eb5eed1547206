/**
 * Rewrites yargs' "Unknown argument(s): datset" into a message that names the flag and the closest
 * known one (`--datset: unknown flag (did you mean --dataset?)`), and its "Not enough non-option
 * arguments" into one that says what the command takes.
 */
import { closestMatch } from '../internal/did-you-mean.ts';

/** What yargs' `getOptions()` returns, as far as these messages need it. */
export interface KnownOptions {
  readonly key: Readonly<Record<string, unknown>>;
}

/** A clearer message for yargs' strict-mode complaint, or undefined when `message` is another one. */
export function unknownFlagMessage(message: string, options: KnownOptions, argv: readonly string[]): string | undefined {
  const match = /^Unknown arguments?: (.+)$/.exec(message);
  if (match?.[1] === undefined) return undefined;
  const known = Object.keys(options.key).filter((name) => name.length > 1);
  const unknown = match[1]
    .split(', ')
    .map((name) => name.trim())
    .filter(Boolean);
  return unknown
    .map((name) => {
      if (argv.includes(name)) return `unexpected argument ${JSON.stringify(name)}; see --help for what this command takes`;
      const flag = name.length === 1 ? `-${name}` : `--${name}`;
      const suggestion = closestMatch(name, known);
      if (suggestion !== undefined) return `${flag}: unknown flag (did you mean --${suggestion}?)`;
      return `${flag}: unknown flag; see --help for the flags this command takes`;
    })
    .join('\n');
}

/** yargs' "Not enough non-option arguments: got 0, need at least 2", with the command and where to look. */
export function missingArgumentsMessage(message: string, argv: readonly string[]): string | undefined {
  const match = /^Not enough non-option arguments: got (\d+), need at least (\d+)$/.exec(message);
  if (match === null) return undefined;
  const command = argv.find((arg) => !arg.startsWith('-')) ?? '';
  const needed = Number(match[2]);
  return `${command}: expected ${needed} argument${needed === 1 ? '' : 's'}, got ${match[1]}; batchbench ${command} --help shows ${needed === 1 ? 'it' : 'them'} with examples`;
}
