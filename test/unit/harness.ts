/*
 * Test harness for the CLIs: runs a command with explicit argv against the
 * shared fake binding (test/fake-binding.ts) and captures its stdout,
 * stderr and exit code.
 */
import type { VnetBinding } from '../../src/binding/types';
import type { Context } from '../../src/context';
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
}

export type CommandRun = (argv: readonly string[], ctx: Context) => Promise<number>;

export async function runCmd(
  run: CommandRun,
  argv: string[],
  kernel: VnetBinding,
  opts: RunOptions = {},
): Promise<RunResult> {
  let stdout = '';
  let stderr = '';
  const clock = opts.clock ? [...opts.clock] : [];
  let t = 0n;
  const ctx: Context = {
    binding: kernel,
    stdout: { write: (s: string) => (stdout += s), isTTY: opts.stdoutTTY ?? false },
    stderr: { write: (s: string) => (stderr += s), isTTY: opts.stderrTTY ?? false },
    env: opts.env ?? {},
    now: () => {
      const v = clock.shift();
      if (v !== undefined) t = v;
      return t;
    },
    sleep: async (ms: number) => {
      opts.sleeps?.push(ms);
    },
  };
  const code = await run(argv, ctx);
  return { code, stdout, stderr };
}

/**
 * lo, an Ethernet eth0 (up) and vnet0: up, in loopback mode, 10.0.0.2/24,
 * MAC 02:00:00:00:00:01, seed 7.
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
