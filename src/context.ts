/*
 * What a command needs from the outside world, injected so that tests can
 * run commands with explicit argv arrays, a fake binding and captured
 * output.
 */
import { loadBinding } from './binding';
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

/**
 * The real process: stdout/stderr, environment, and the native binding,
 * loaded on first use so that --help and usage errors work without it.
 */
export function processContext(): Context {
  let binding: VnetBinding | undefined;
  const lazy = new Proxy({} as VnetBinding, {
    get(_t, prop) {
      binding ??= loadBinding();
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
