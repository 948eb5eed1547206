// Types of v8-flags.js (plain JavaScript, so the launchers run on any Node).
export declare const BATCH_V8_FLAGS: readonly string[];
export declare function v8FlagsFor(
  args: readonly string[],
  execArgv: readonly string[],
  env: Readonly<Record<string, string | undefined>>,
): string[];
export declare const BATCH_GLIBC_TUNABLES: string;
export declare function batchEnvFor(args: readonly string[], env: Readonly<Record<string, string | undefined>>): Record<string, string>;
