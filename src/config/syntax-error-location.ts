/**
 * Finds `line:column` of a syntax error thrown by `import()` of a config file. Node puts the position
 * in the first stack line (`file:///x.ts:2` plus a caret line) for TypeScript-stripping errors, but not
 * for JavaScript syntax errors found after stripping; for those, a child `node --check` (on the
 * stripped source) reports it. Only runs on the error path.
 */
import { spawnSync } from 'node:child_process';

export interface SourceLocation {
  readonly line: number;
  readonly column?: number;
}

/** Location of `error` in `file`, or undefined when it cannot be found. */
export function syntaxErrorLocation(error: Error, file: string): SourceLocation | undefined {
  return locationFromStack(error.stack ?? '') ?? locationFromCheck(file);
}

// --- internal ---

function locationFromStack(stack: string): SourceLocation | undefined {
  const lines = stack.split('\n');
  // `file:///x.ts:2` for ESM packages, a plain path when Node re-parsed a typeless package's file.
  const header = /^(?:file:\/\/|\/|[A-Za-z]:\\).*:(\d+)$/.exec(lines[0] ?? '');
  if (header?.[1] === undefined) return undefined;
  return { line: Number(header[1]), ...columnFrom(lines.slice(1)) };
}

/** A caret under the source line (`   ^`), or the first line of a `  > ` marked range. */
function columnFrom(lines: readonly string[]): { column?: number } {
  const caret = lines.find((line) => /^\s*\^+\s*$/.test(line));
  if (caret !== undefined) return { column: caret.indexOf('^') + 1 };
  const marked = lines.find((line) => line.startsWith('  > '));
  if (marked === undefined) return {};
  const source = marked.slice('  > '.length);
  return { column: source.length - source.trimStart().length + 1 };
}

const STRIP_SCRIPT =
  "const m=require('node:module');const s=require('node:fs').readFileSync(process.argv[1],'utf8');process.stdout.write(process.argv[1].endsWith('ts')?m.stripTypeScriptTypes(s):s)";

function locationFromCheck(file: string): SourceLocation | undefined {
  try {
    const options = { encoding: 'utf8' as const, timeout: 10_000, maxBuffer: 16 * 1024 * 1024 };
    const stripped = spawnSync(process.execPath, ['--no-warnings', '-e', STRIP_SCRIPT, file], options);
    if (stripped.status !== 0) return undefined;
    const checked = spawnSync(process.execPath, ['--no-warnings', '--input-type=module', '--check'], {
      ...options,
      input: stripped.stdout,
    });
    const lines = checked.stderr.split('\n');
    const headerIndex = lines.findIndex((line) => /^\[stdin\]:\d+$/.test(line));
    if (headerIndex < 0) return undefined;
    return { line: Number(lines[headerIndex]?.slice('[stdin]:'.length)), ...columnFrom(lines.slice(headerIndex + 1)) };
  } catch {
    return undefined;
  }
}
