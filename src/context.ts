/*
 * What a command needs from the outside world, injected so that tests can
 * run commands with explicit argv arrays, a fake binding, captured output,
 * a fake clock and simulated signals.
 */
import { loadBinding } from './binding';
import type { VnetBinding } from './binding/types';
import { fdOutput } from './stdio';

export interface OutStream {
  write(chunk: string): unknown;
  isTTY?: boolean;
  /** a terminal's width (--help wraps to it) */
  readonly columns?: number;
  /** true once the reader has gone (EPIPE): writes are dropped from then on */
  readonly closed?: boolean;
}

/** The signals a long-running command handles itself (ping's way). */
export type StopSignal = 'SIGINT' | 'SIGTERM';

export interface Context {
  binding: VnetBinding;
  stdout: OutStream;
  stderr: OutStream;
  env: Record<string, string | undefined>;
  /** monotonic clock in nanoseconds (process.hrtime.bigint) */
  now: () => bigint;
  /** Waits ms milliseconds, or less when `signal` aborts (never rejects). */
  sleep: (ms: number, signal?: AbortSignal) => Promise<void>;
  /** One turn of the event loop: pending signal handlers run in it. */
  tick: () => Promise<void>;
  /**
   * Handles SIGINT and SIGTERM with fn instead of dying, until the returned
   * function is called.  Without a handler the process dies as usual.
   */
  onSignal: (fn: (sig: StopSignal) => void) => () => void;
}

function realSleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    if (signal?.aborted) return resolve();
    const done = (): void => {
      clearTimeout(timer);
      signal?.removeEventListener('abort', done);
      resolve();
    };
    const timer = setTimeout(done, ms);
    signal?.addEventListener('abort', done, { once: true });
  });
}

function realOnSignal(fn: (sig: StopSignal) => void): () => void {
  const sigs: StopSignal[] = ['SIGINT', 'SIGTERM'];
  const handlers = sigs.map((sig) => [sig, () => fn(sig)] as const);
  for (const [sig, h] of handlers) process.on(sig, h);
  return () => {
    for (const [sig, h] of handlers) process.off(sig, h);
  };
}

/**
 * The real process: stdout/stderr (written with write(2); a closed pipe
 * ends output quietly, see src/stdio.ts), environment, signals, and the native binding,
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
    stdout: fdOutput(1, () => process.stdout),
    stderr: fdOutput(2, () => process.stderr),
    env: process.env,
    now: () => process.hrtime.bigint(),
    sleep: realSleep,
    tick: () => new Promise((resolve) => setImmediate(resolve)),
    onSignal: realOnSignal,
  };
}
