/*
 * Test harness for the CLIs: runs a command with explicit argv against the
 * shared fake binding (test/fake-binding.ts) and captures its stdout,
 * stderr and exit code.
 */
import type { VnetBinding } from '../../src/binding/types';
import type { Context, StopSignal } from '../../src/context';
import { FakeBinding, IFF_BROADCAST, IFF_MULTICAST, IFF_NOARP, IFF_UP } from '../fake-binding';

export { FakeBinding, sysErr, zeroLinkStats } from '../fake-binding';

export interface RunResult {
  code: number;
  stdout: string;
  stderr: string;
}

export interface RunOptions {
  env?: Record<string, string | undefined>;
  stdoutTTY?: boolean;
  stderrTTY?: boolean;
  /** successive values of the clock, in ns */
  clock?: bigint[];
  sleeps?: number[];
  /** the clock is the fake kernel's (clockMs): sleeps and echo waits advance
   * it; the default for a FakeBinding without `clock` */
  kernelClock?: boolean;
  /** the reader of stdout goes away (EPIPE) after this many writes */
  stdoutCloseAfter?: number;
  /** SIGINT/SIGTERM source: tests raise signals through it */
  signals?: FakeSignals;
  /** called on every event-loop turn the command takes (ctx.tick) */
  onTick?: () => void;
  /** called when the command sleeps ms (before the fake time passes) */
  onSleep?: (ms: number) => void;
}

/** Signals as the harness delivers them: to the handlers a command installed. */
export class FakeSignals {
  private readonly handlers = new Set<(sig: StopSignal) => void>();
  /** how many handlers ever installed */
  installed = 0;

  on(fn: (sig: StopSignal) => void): () => void {
    this.handlers.add(fn);
    this.installed++;
    return () => this.handlers.delete(fn);
  }

  get active(): number {
    return this.handlers.size;
  }

  private readonly pending: StopSignal[] = [];

  /**
   * A signal as the kernel sends it to Node: its JS handler runs only at
   * the next turn of the event loop (ctx.tick, or a sleep), never in the
   * middle of synchronous code.
   */
  send(sig: StopSignal): void {
    this.pending.push(sig);
  }

  /** The event loop's turn: handlers of the signals sent run now. */
  turn(): void {
    for (const sig of this.pending.splice(0)) this.raise(sig);
  }

  /** Delivers sig at once; returns false when no handler took it (the process would die). */
  raise(sig: StopSignal): boolean {
    if (this.handlers.size === 0) return false;
    for (const h of [...this.handlers]) h(sig);
    return true;
  }
}

export type CommandRun = (argv: readonly string[], ctx: Context) => Promise<number>;

export async function runCmd(
  run: CommandRun,
  argv: string[],
  kernel: VnetBinding,
  opts: RunOptions = {},
): Promise<RunResult & { dropped: number }> {
  let stdout = '';
  let stderr = '';
  let writes = 0;
  let dropped = 0;
  let stdoutClosed = false;
  const clock = opts.clock ? [...opts.clock] : [];
  let t = 0n;
  const fk = kernel instanceof FakeBinding ? kernel : undefined;
  const kernelClock = opts.kernelClock ?? (fk !== undefined && opts.clock === undefined);
  const signals = opts.signals ?? new FakeSignals();
  const ctx: Context = {
    binding: kernel,
    stdout: {
      write: (s: string) => {
        if (stdoutClosed) {
          dropped++;
          return false;
        }
        stdout += s;
        writes++;
        if (opts.stdoutCloseAfter !== undefined && writes >= opts.stdoutCloseAfter) stdoutClosed = true;
        return true;
      },
      isTTY: opts.stdoutTTY ?? false,
      get closed() {
        return stdoutClosed;
      },
    },
    stderr: { write: (s: string) => (stderr += s), isTTY: opts.stderrTTY ?? false },
    env: opts.env ?? {},
    now: () => {
      if (kernelClock && fk) return BigInt(Math.round(fk.clockMs * 1e6));
      const v = clock.shift();
      if (v !== undefined) t = v;
      return t;
    },
    sleep: async (ms: number, signal?: AbortSignal) => {
      opts.sleeps?.push(ms);
      opts.onSleep?.(ms);
      signals.turn();
      if (signal?.aborted) return;
      if (kernelClock && fk) fk.clockMs += ms;
      else t += BigInt(Math.round(ms * 1e6)); // an explicit clock moves on too
    },
    tick: async () => {
      opts.onTick?.();
      signals.turn();
    },
    onSignal: (fn) => signals.on(fn),
  };
  const code = await run(argv, ctx);
  // `dropped` (writes after EPIPE) is not enumerable: toEqual ignores it
  return Object.defineProperty({ code, stdout, stderr }, 'dropped', { value: dropped }) as RunResult & {
    dropped: number;
  };
}

/**
 * lo, an Ethernet eth0 (up) and vnet0: up, in loopback mode, 10.0.0.2/24,
 * MAC 02:00:00:00:00:01, seeds 7 (transmit) and 8 (receive).
 */
export function standardKernel(): FakeBinding {
  const k = new FakeBinding();
  k.addLoopback();
  k.addDevice('eth0', { mac: '52:54:00:12:34:56', flags: IFF_UP | IFF_BROADCAST | IFF_MULTICAST });
  k.addVnet('vnet0', {
    flags: IFF_UP | IFF_BROADCAST | IFF_MULTICAST | IFF_NOARP,
    mac: '02:00:00:00:00:01',
    ipv4: { address: '10.0.0.2', netmask: '255.255.255.0', broadcast: '10.0.0.255' },
    seed: 7n,
    rx: { seed: 8n },
  });
  return k;
}

/** The calls that reached the kernel and may have changed something, as {method, args}. */
export function mutations(k: FakeBinding): { method: string; args: unknown[] }[] {
  return k.mutations().map(({ method, args }) => ({ method, args }));
}

/** The methods that reached the kernel, in order. */
export function sentMethods(k: FakeBinding): string[] {
  return k.kernelCalls().map((c) => c.method);
}
