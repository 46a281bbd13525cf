/*
 * Long-running commands for the e2e suite: spawn one, watch its output as
 * it comes, send it signals, wait for its end.  And bash one-liners, for
 * what only a shell shows (pipes, PIPESTATUS, completion).
 */
import { ChildProcess, spawn } from 'node:child_process';

import { Result, run } from './helpers';

export interface Live {
  child: ChildProcess;
  /** stdout so far */
  out(): string;
  err(): string;
  /** Resolves when stdout matches re (rejects after ms). */
  waitFor(re: RegExp, ms?: number): Promise<void>;
  /** Resolves with the result when the process has exited. */
  done: Promise<Result>;
}

export function live(argv: readonly string[], env: NodeJS.ProcessEnv = {}): Live {
  const t0 = Date.now();
  const child = spawn(argv[0], argv.slice(1), {
    env: { ...process.env, TERM: 'xterm', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  const watchers: (() => void)[] = [];
  child.stdout!.setEncoding('utf8').on('data', (d: string) => {
    stdout += d;
    for (const w of [...watchers]) w();
  });
  child.stderr!.setEncoding('utf8').on('data', (d: string) => (stderr += d));
  const done = new Promise<Result>((resolve) =>
    child.on('close', (code, signal) => resolve({ code, signal, stdout, stderr, ms: Date.now() - t0 })),
  );
  return {
    child,
    out: () => stdout,
    err: () => stderr,
    done,
    waitFor: (re, ms = 30000) =>
      new Promise<void>((resolve, reject) => {
        const check = (): void => {
          if (re.test(stdout)) {
            watchers.splice(watchers.indexOf(check), 1);
            clearTimeout(timer);
            resolve();
          }
        };
        const timer = setTimeout(() => {
          watchers.splice(watchers.indexOf(check), 1);
          reject(new Error(`timed out waiting for ${re} in stdout of ${argv.join(' ')}:\n${stdout}\n--- stderr\n${stderr}`));
        }, ms);
        watchers.push(check);
        check();
      }),
  };
}

/** bash -c SCRIPT (the installed commands first on PATH, as for run()). */
export function bash(script: string, timeout = 60000): Result {
  return run(['/bin/bash', '--norc', '--noprofile', '-c', script], { timeout });
}

export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
