/*
 * What a command needs from the outside world, injected so that tests can
 * run commands with explicit argv arrays, a fake binding and captured
 * output.
 */
import type { VnetBinding } from './binding/types';

export interface OutStream {
  write(chunk: string): unknown;
  isTTY?: boolean;
}

export interface Context {
  binding: VnetBinding;
  stdout: OutStream;
  stderr: OutStream;
  env: Record<string, string | undefined>;
  /** monotonic clock in nanoseconds (process.hrtime.bigint) */
  now: () => bigint;
  sleep: (ms: number) => Promise<void>;
}

/** Loads the native binding lazily, so that --help works without it. */
function loadNativeBinding(): VnetBinding {
  // src/binding/ belongs to the addon; accept the usual export shapes.
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const mod = require('./binding') as Record<string, unknown>;
  const loader = mod.loadBinding;
  if (typeof loader === 'function') return (loader as () => VnetBinding)();
  const b = (mod.binding ?? mod.default ?? mod) as VnetBinding;
  return b;
}

/** The real process: stdout/stderr, environment, native binding. */
export function processContext(): Context {
  let binding: VnetBinding | undefined;
  const lazy = new Proxy({} as VnetBinding, {
    get(_t, prop) {
      binding ??= loadNativeBinding();
      const v = (binding as unknown as Record<string | symbol, unknown>)[prop];
      return typeof v === 'function' ? (v as (...a: unknown[]) => unknown).bind(binding) : v;
    },
  });
  return {
    binding: lazy,
    stdout: process.stdout,
    stderr: process.stderr,
    env: process.env,
    now: () => process.hrtime.bigint(),
    sleep: (ms) => new Promise((resolve) => setTimeout(resolve, ms)),
  };
}
