/*
 * Helpers for the end-to-end suite: run the installed commands (found on
 * PATH, as a user would) and the system tools (absolute paths: the guest's
 * busybox sh has applets of the same names) as spawned processes with
 * explicit argv, and read the kernel's view of things.
 */
import { spawn, spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';

export const ROOT = path.resolve(__dirname, '..', '..');
export const PREFIX_BIN = path.join(ROOT, 'build', 'e2e-prefix', 'bin');
export const COMMANDS = [
  'vnet-up',
  'vnet-down',
  'vnetconfig',
  'insanely',
  'vnet-reset-stats',
  'vnet-echo',
  'vnet-monitor',
] as const;

export const IP = '/sbin/ip';
export const SETPRIV = '/usr/bin/setpriv';
export const PING = '/usr/bin/ping';
export const ETHTOOL = '/usr/sbin/ethtool';
export const STRACE = '/usr/bin/strace';
export const MODPROBE = '/sbin/modprobe';
export const RMMOD = '/sbin/rmmod';

/** setpriv prefix: nobody, no groups, no capabilities. */
export const UNPRIV = [SETPRIV, '--reuid=65534', '--regid=65534', '--clear-groups', '--inh-caps=-all', '--'];

export interface Result {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
  /** wall time in ms */
  ms: number;
}

export interface RunOpts {
  env?: Record<string, string | undefined>;
  timeout?: number;
}

/** Environment for the commands: no NO_COLOR unless asked, a colour-capable TERM. */
function cmdEnv(extra?: Record<string, string | undefined>): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...process.env, TERM: 'xterm' };
  delete env.NO_COLOR;
  delete env.FORCE_COLOR;
  for (const [k, v] of Object.entries(extra ?? {})) {
    if (v === undefined) delete env[k];
    else env[k] = v;
  }
  return env;
}

/** Runs argv[0] (looked up on PATH unless absolute) with argv[1..]. */
export function run(argv: readonly string[], opts: RunOpts = {}): Result {
  const t0 = Date.now();
  const r = spawnSync(argv[0], argv.slice(1), {
    encoding: 'utf8',
    env: cmdEnv(opts.env),
    timeout: opts.timeout ?? 30000,
    maxBuffer: 16 << 20,
  });
  if (r.error) throw new Error(`${argv.join(' ')}: ${r.error.message}`);
  return { code: r.status, signal: r.signal, stdout: r.stdout, stderr: r.stderr, ms: Date.now() - t0 };
}

/**
 * Runs independent commands (reads, usage errors: nothing that changes
 * the kernel's state) a few at a time: the guest is slow at starting node.
 */
export async function runMany(argvs: readonly (readonly string[])[], opts: RunOpts = {}, width = 3): Promise<Result[]> {
  const results: Result[] = new Array(argvs.length);
  let next = 0;
  const one = (argv: readonly string[]): Promise<Result> =>
    new Promise((resolve, reject) => {
      const t0 = Date.now();
      const child = spawn(argv[0], argv.slice(1), { env: cmdEnv(opts.env), stdio: ['ignore', 'pipe', 'pipe'] });
      let stdout = '';
      let stderr = '';
      child.stdout.setEncoding('utf8').on('data', (d: string) => (stdout += d));
      child.stderr.setEncoding('utf8').on('data', (d: string) => (stderr += d));
      child.on('error', (e) => reject(new Error(`${argv.join(' ')}: ${e.message}`)));
      child.on('close', (code, signal) => resolve({ code, signal, stdout, stderr, ms: Date.now() - t0 }));
    });
  const worker = async (): Promise<void> => {
    while (next < argvs.length) {
      const i = next++;
      results[i] = await one(argvs[i]);
    }
  };
  await Promise.all(Array.from({ length: Math.min(width, argvs.length) }, worker));
  return results;
}

/** A readable description of a result, for assertion messages. */
export function show(argv: readonly string[], r: Result): string {
  return `$ ${argv.join(' ')}\nexit ${r.code}${r.signal ? ` (${r.signal})` : ''}\n--- stdout\n${r.stdout}--- stderr\n${r.stderr}`;
}

/** Runs a command and asserts its exit code; returns the result. */
export function expectExit(argv: readonly string[], code: number, opts: RunOpts = {}): Result {
  const r = run(argv, opts);
  if (r.code !== code) {
    throw new Error(`expected exit ${code}\n${show(argv, r)}`);
  }
  return r;
}

/** Runs a system command that must succeed; returns stdout. */
export function sys(argv: readonly string[], opts: RunOpts = {}): string {
  const r = run(argv, opts);
  if (r.code !== 0) throw new Error(`setup command failed\n${show(argv, r)}`);
  return r.stdout;
}

/** Like sys() but failures are ignored (cleanup). */
export function trySys(argv: readonly string[]): void {
  try {
    run(argv);
  } catch {
    /* ignore */
  }
}

export function ip(...args: string[]): string {
  return sys([IP, ...args]);
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export function ipJson(...args: string[]): any {
  return JSON.parse(sys([IP, '-j', ...args]));
}

/** `ip -j -d link show DEV`'s one object. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export function link(dev: string): any {
  return ipJson('-d', 'link', 'show', 'dev', dev)[0];
}

/** `ip -j -s link show DEV`'s one object (stats64). */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export function linkStats(dev: string): any {
  return ipJson('-s', 'link', 'show', 'dev', dev)[0];
}

/** IPv4 addresses of DEV as "a.b.c.d/len" strings. */
export function inet(dev: string): string[] {
  const o = ipJson('-4', 'addr', 'show', 'dev', dev)[0];
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  return (o?.addr_info ?? []).map((a: any) => `${a.local}/${a.prefixlen}`);
}

/** ethtool -S DEV as a name → bigint map. */
export function ethtoolStats(dev: string): Record<string, bigint> {
  const out: Record<string, bigint> = {};
  for (const line of sys([ETHTOOL, '-S', dev]).split('\n')) {
    const m = /^\s+([a-z_]+):\s+([0-9]+)$/.exec(line);
    if (m) out[m[1]] = BigInt(m[2]);
  }
  return out;
}

export function vnetLoaded(): boolean {
  return fs
    .readFileSync('/proc/modules', 'utf8')
    .split('\n')
    .some((l) => l.startsWith('vnet '));
}

/** A fresh module: rmmod (if loaded) and modprobe, so vnet0 is new and down. */
export function reloadVnet(): void {
  if (vnetLoaded()) sys([RMMOD, 'vnet']);
  sys([MODPROBE, 'vnet']);
}

export function exists(dev: string): boolean {
  return fs.existsSync(`/sys/class/net/${dev}`);
}

export function mac(dev: string): string {
  return fs.readFileSync(`/sys/class/net/${dev}/address`, 'utf8').trim();
}

/** Polls cond every 20 ms for up to ms milliseconds. */
export function waitFor(cond: () => boolean, ms = 5000): boolean {
  const end = Date.now() + ms;
  for (;;) {
    if (cond()) return true;
    if (Date.now() > end) return false;
    Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 20);
  }
}

/** Strips ANSI escapes. */
export function plain(s: string): string {
  // eslint-disable-next-line no-control-regex
  return s.replace(/\x1b\[[0-9;]*m/g, '');
}

// eslint-disable-next-line no-control-regex
export const ANSI = /\x1b\[[0-9;]*m/;

/**
 * Runs argv under strace (following children) and returns the command's
 * result plus the syscalls that reach the kernel's networking: socket(),
 * ioctl() and sendmsg()/sendto().  Used to check "nothing was sent".
 * With `netns`, strace itself runs in that namespace (`ip netns exec`):
 * it decodes netlink messages only on sockets of its own namespace.
 */
export function traced(argv: readonly string[], opts: RunOpts & { netns?: string } = {}): Result & { calls: string[] } {
  const log = path.join(fs.mkdtempSync('/tmp/vnet-e2e-strace-'), 'log');
  const inNs = opts.netns === undefined ? [] : [IP, 'netns', 'exec', opts.netns];
  const r = run(
    [...inNs, STRACE, '-f', '--seccomp-bpf', '-qq', '-o', log, '-e', 'trace=socket,ioctl,sendmsg,sendto', '--', ...argv],
    { ...opts, timeout: opts.timeout ?? 60000 },
  );
  const calls = fs.existsSync(log) ? fs.readFileSync(log, 'utf8').split('\n').filter((l) => l !== '') : [];
  fs.rmSync(path.dirname(log), { recursive: true, force: true });
  return { ...r, calls };
}

/** The traced calls that talk to the kernel about interfaces or vnet. */
export function kernelRequests(calls: readonly string[]): string[] {
  return calls.filter(
    (c) =>
      /socket\(AF_NETLINK/.test(c) ||
      /ioctl\(\d+, (SIOC|0x89[0-9a-f]{2})/.test(c) ||
      /sendmsg|sendto/.test(c),
  );
}

/** The mutating requests among traced calls: SIOCS* and private ioctls, any netlink send. */
export function mutatingRequests(calls: readonly string[]): string[] {
  return calls.filter(
    (c) =>
      /ioctl\(\d+, (SIOCS|SIOCDEVPRIVATE|0x89f)/.test(c) ||
      /sendmsg|sendto/.test(c),
  );
}

export interface PingResult {
  transmitted: number;
  received: number;
  seqs: number[];
  out: string;
}

/** ping from the netns `ns` (or the host when ns is undefined), from address `src` if given. */
export function ping(
  ns: string | undefined,
  dst: string,
  count: number,
  interval: string,
  quiet = true,
  src?: string,
): PingResult {
  const from = src === undefined ? [] : ['-I', src];
  const args = [PING, '-n', '-c', String(count), '-i', interval, '-W', '1', ...from, ...(quiet ? ['-q'] : []), dst];
  const argv = ns === undefined ? args : [IP, 'netns', 'exec', ns, ...args];
  const r = run(argv, { timeout: 120000 });
  const m = /(\d+) packets transmitted, (\d+) received/.exec(r.stdout);
  if (!m) throw new Error(`no ping summary\n${show(argv, r)}`);
  const seqs = [...r.stdout.matchAll(/icmp_seq=(\d+)/g)].map((x) => Number(x[1]));
  return { transmitted: Number(m[1]), received: Number(m[2]), seqs, out: r.stdout };
}

/** The first executable named `cmd` on PATH, or undefined. */
export function which(cmd: string): string | undefined {
  for (const d of (process.env.PATH ?? '').split(':')) {
    const p = path.join(d || '.', cmd);
    try {
      fs.accessSync(p, fs.constants.X_OK);
      return p;
    } catch {
      /* next */
    }
  }
  return undefined;
}

/** Asserts a result's exit code, with the whole result in the message. */
export function expectCode(argv: readonly string[], r: Result, code: number): void {
  if (r.code !== code) throw new Error(`expected exit ${code}\n${show(argv, r)}`);
}

/**
 * The relay tests' topology: vnet reloaded; veth0 here with SLAVE_ADDRS, its
 * peer veth1 in the fresh netns PEER (lo up) with PEER_ADDRS; both up.
 * Addresses carry their prefix length; IPv6 ones skip duplicate address
 * detection.  Returns veth1's MAC.
 */
export function vethPeer(peer: string, slaveAddrs: readonly string[], peerAddrs: readonly string[]): string {
  const nodad = (a: string): string[] => (a.includes(':') ? ['nodad'] : []);
  reloadVnet();
  sys([MODPROBE, 'veth']);
  trySys([IP, 'netns', 'del', peer]);
  trySys([IP, 'link', 'del', 'veth0']);
  ip('netns', 'add', peer);
  ip('link', 'add', 'veth0', 'type', 'veth', 'peer', 'name', 'veth1');
  ip('link', 'set', 'veth1', 'netns', peer);
  for (const a of slaveAddrs) ip('addr', 'add', a, 'dev', 'veth0', ...nodad(a));
  ip('link', 'set', 'veth0', 'up');
  ip('-n', peer, 'link', 'set', 'lo', 'up');
  for (const a of peerAddrs) ip('-n', peer, 'addr', 'add', a, 'dev', 'veth1', ...nodad(a));
  ip('-n', peer, 'link', 'set', 'veth1', 'up');
  return sys([IP, 'netns', 'exec', peer, '/bin/cat', '/sys/class/net/veth1/address']).trim();
}
