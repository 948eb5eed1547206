/**
 * Unknown command-line flags: the closest known flag is suggested (typos, including swapped letters),
 * a stray word is called an argument, and a flag with no near match points at --help.
 */
import { describe, expect, test } from 'vitest';
import { missingArgumentsMessage, unknownFlagMessage } from '../../src/cli/flag-suggestions.ts';
import { editDistance } from '../../src/internal/did-you-mean.ts';

const OPTIONS = { key: { help: true, version: true, dataset: true, d: true, quiet: true, 'save-baseline': true, concurrency: true } };

describe('unknownFlagMessage', () => {
  test.each([
    ['Unknown argument: datset', ['--datset', 'x'], '--datset: unknown flag (did you mean --dataset?)'],
    ['Unknown argument: quite', ['--quite'], '--quite: unknown flag (did you mean --quiet?)'],
    ['Unknown argument: save-basline', ['--save-basline', 'n'], '--save-basline: unknown flag (did you mean --save-baseline?)'],
    ['Unknown argument: frobnicate', ['--frobnicate'], '--frobnicate: unknown flag; see --help for the flags this command takes'],
    ['Unknown argument: qa.csv', ['qa.csv'], 'unexpected argument "qa.csv"; see --help for what this command takes'],
    [
      'Unknown arguments: datset, quite',
      ['--datset', 'x', '--quite'],
      '--datset: unknown flag (did you mean --dataset?)\n--quite: unknown flag (did you mean --quiet?)',
    ],
  ])('%s', (message, argv, expected) => {
    expect(unknownFlagMessage(message, OPTIONS, argv)).toBe(expected);
  });

  test('other yargs messages are left alone', () => {
    expect(unknownFlagMessage('Missing required argument: out', OPTIONS, [])).toBeUndefined();
  });

  test('missing positional arguments name the command and point at its help', () => {
    expect(missingArgumentsMessage('Not enough non-option arguments: got 1, need at least 2', ['batch', 'status'])).toBe(
      'batch: expected 2 arguments, got 1; batchbench batch --help shows them with examples',
    );
    expect(missingArgumentsMessage('Unknown argument: x', ['batch'])).toBeUndefined();
  });

  test('a swap of two adjacent letters is one edit', () => {
    expect(editDistance('quite', 'quiet')).toBe(1);
    expect(editDistance('abc', 'abc')).toBe(0);
    expect(editDistance('kitten', 'sitting')).toBe(3);
  });
});
