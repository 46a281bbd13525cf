/*
 * Test harness for the CLIs: a small in-memory kernel behind the typed
 * VnetBinding interface, which records every call, plus a runner that
 * captures a command's stdout, stderr and exit code.
 */
import type {
  GenlSocket,
  InterfaceInfo,
  LinkStats,
  RelayInfo,
  RelaySetRequest,
  VnetBinding,
  VnetState,
  VnetStats,
} from '../../src/binding/types';
import type { Context } from '../../src/context';
import { VnetSystemError } from '../../src/binding/errors';

/** Errors are the binding's own VnetSystemError, as the addon throws them. */
export function sysErr(
  code: string,
  syscall: string,
  extra: { ifname?: string; extack?: string } = {},
): VnetSystemError {
  return VnetSystemError.fromCode(code, syscall, extra);
}

export interface FakeDev {
  name: string;
  ifindex: number;
  driver: string;
  flags: number;
  mtu: number;
  mac: string;
  txqueuelen: number;
  ipv4?: { address: string; netmask: string; broadcast?: string };
  link: LinkStats;
  relay: RelayInfo;
  seed: bigint;
  vstats: VnetStats;
  /** has an rx_handler already (bridge port...) */
  busy?: boolean;
}

export function zeroLink(): LinkStats {
  return {
    rx_packets: 0n,
    rx_bytes: 0n,
    rx_errors: 0n,
    rx_dropped: 0n,
    rx_fifo_errors: 0n,
    rx_frame_errors: 0n,
    rx_over_errors: 0n,
    multicast: 0n,
    tx_packets: 0n,
    tx_bytes: 0n,
    tx_errors: 0n,
    tx_dropped: 0n,
    tx_fifo_errors: 0n,
    tx_carrier_errors: 0n,
    collisions: 0n,
  };
}

export function zeroVnet(): VnetStats {
  return {
    rx_packets: 0n,
    rx_bytes: 0n,
    tx_packets: 0n,
    tx_bytes: 0n,
    rx_dropped: 0n,
    tx_dropped: 0n,
    tx_drop_percent: 0n,
    tx_drop_time: 0n,
    tx_drop_no_slave: 0n,
    tx_drop_slave: 0n,
    slave_lost: 0n,
  };
}

export interface Call {
  method: string;
  args: unknown[];
}

/** Methods that change the kernel's state. */
export const MUTATING = new Set([
  'setAddress',
  'setNetmask',
  'setMtu',
  'changeFlags',
  'resetStats',
  'setRelay',
  'genl.set',
  'genl.resetStats',
]);

function classfulMask(addr: string): string {
  const a = Number(addr.split('.')[0]);
  return a < 128 ? '255.0.0.0' : a < 192 ? '255.255.0.0' : '255.255.255.0';
}

function bcast(addr: string, mask: string): string {
  const a = addr.split('.').map(Number);
  const m = mask.split('.').map(Number);
  return a.map((x, i) => (x | (~m[i] & 255)) & 255).join('.');
}

export class FakeKernel implements VnetBinding {
  readonly constants = {};
  readonly calls: Call[] = [];
  readonly devs = new Map<string, FakeDev>();
  moduleLoaded = true;
  /** false: mutating requests fail with EPERM */
  privileged = true;
  /** per method: an error to throw on the next call */
  readonly failNext = new Map<string, Error>();
  /** how ECHO answers; default: the same text */
  echoImpl: (m: string) => string = (m) => m;
  private nextIndex = 1;

  addDev(name: string, over: Partial<FakeDev> = {}): FakeDev {
    const d: FakeDev = {
      name,
      ifindex: this.nextIndex++,
      driver: 'vnet',
      flags: 0x1002, // BROADCAST|MULTICAST, down
      mtu: 1500,
      mac: '02:00:00:00:00:01',
      txqueuelen: 1000,
      link: zeroLink(),
      relay: { slave: '', mode: 0, arg1: 0, arg2: 0 },
      seed: 7n,
      vstats: zeroVnet(),
      ...over,
    };
    this.devs.set(name, d);
    return d;
  }

  mutations(): Call[] {
    return this.calls.filter((c) => MUTATING.has(c.method));
  }

  private rec(method: string, args: unknown[]): void {
    this.calls.push({ method, args });
    const f = this.failNext.get(method);
    if (f) {
      this.failNext.delete(method);
      throw f;
    }
    if (MUTATING.has(method) && !this.privileged) {
      throw sysErr('EPERM', method.startsWith('genl') ? 'sendmsg' : 'ioctl');
    }
  }

  private dev(name: string, syscall = 'ioctl'): FakeDev {
    const d = this.devs.get(name);
    if (!d) throw sysErr('ENODEV', syscall, { ifname: name });
    return d;
  }

  private vnet(name: string | number, syscall = 'ioctl'): FakeDev {
    const d =
      typeof name === 'number' ? [...this.devs.values()].find((x) => x.ifindex === name) : this.devs.get(name);
    if (!d || d.driver !== 'vnet') {
      throw sysErr('ENODEV', syscall, { extack: `${name} is not a vnet device` });
    }
    return d;
  }

  getInterface(ifname: string): InterfaceInfo {
    this.rec('getInterface', [ifname]);
    const d = this.dev(ifname);
    return {
      name: d.name,
      ifindex: d.ifindex,
      flags: d.flags,
      mtu: d.mtu,
      mac: d.mac,
      txqueuelen: d.txqueuelen,
      ...(d.ipv4 ? { ipv4: { ...d.ipv4 } } : {}),
    };
  }
  listInterfaces(): string[] {
    this.rec('listInterfaces', []);
    return [...this.devs.keys()];
  }
  setAddress(ifname: string, address: string): void {
    this.rec('setAddress', [ifname, address]);
    const d = this.dev(ifname);
    const netmask = classfulMask(address);
    d.ipv4 = { address, netmask, broadcast: bcast(address, netmask) };
  }
  setNetmask(ifname: string, netmask: string): void {
    this.rec('setNetmask', [ifname, netmask]);
    const d = this.dev(ifname);
    if (!d.ipv4) throw sysErr('EADDRNOTAVAIL', 'ioctl', { ifname });
    d.ipv4 = { address: d.ipv4.address, netmask, broadcast: bcast(d.ipv4.address, netmask) };
  }
  setMtu(ifname: string, mtu: number): void {
    this.rec('setMtu', [ifname, mtu]);
    const d = this.dev(ifname);
    if (mtu > 9000) throw sysErr('EINVAL', 'ioctl', { ifname });
    d.mtu = mtu;
  }
  changeFlags(ifname: string, set: number, clear: number): number {
    this.rec('changeFlags', [ifname, set, clear]);
    const d = this.dev(ifname);
    d.flags = (d.flags | set) & ~clear;
    // RUNNING follows UP for a vnet device (carrier always on)
    d.flags = d.flags & 1 ? d.flags | 0x40 : d.flags & ~0x40;
    return d.flags;
  }
  driverName(ifname: string): string {
    this.rec('driverName', [ifname]);
    const d = this.dev(ifname);
    if (d.driver === '') throw sysErr('EOPNOTSUPP', 'ioctl', { ifname });
    return d.driver;
  }
  linkStats(ifname: string): LinkStats {
    this.rec('linkStats', [ifname]);
    return { ...this.dev(ifname).link };
  }
  resetStats(ifname: string): void {
    this.rec('resetStats', [ifname]);
    const d = this.vnet(ifname);
    d.vstats = zeroVnet();
  }
  private applyRelay(d: FakeDev, slave: string | undefined, mode: number, arg1: number, arg2: number): void {
    if (mode < 0 || mode > 2) throw sysErr('EINVAL', 'ioctl', { extack: 'bad mode' });
    if (mode === 1 && (arg1 < 0 || arg1 > 100)) throw sysErr('EINVAL', 'ioctl');
    if (mode === 2 && (arg1 < 1 || arg2 < 1)) throw sysErr('EINVAL', 'ioctl');
    if (slave !== undefined && slave !== '') {
      const s = this.devs.get(slave);
      if (!s) throw sysErr('ENODEV', 'ioctl');
      if (s === d || s.driver === 'vnet') throw sysErr('ELOOP', 'ioctl');
      if (s.busy) throw sysErr('EBUSY', 'ioctl');
    }
    const keep = slave === undefined ? d.relay.slave : slave;
    d.relay = {
      slave: keep,
      mode,
      arg1: mode === 0 ? 0 : arg1,
      arg2: mode === 2 ? arg2 : 0,
    };
  }
  setRelay(ifname: string, info: RelayInfo): void {
    this.rec('setRelay', [ifname, { ...info }]);
    const d = this.vnet(ifname);
    try {
      this.applyRelay(d, info.slave, info.mode, info.arg1, info.arg2);
    } catch (e) {
      // like the addon: an ioctl's error names the ioctl's device
      const v = e as VnetSystemError;
      throw sysErr(v.code, 'ioctl(VNET_IOCTL_SET_RELAY)', { ifname, extack: v.extack });
    }
    d.seed = 1234n;
  }
  getRelay(ifname: string): RelayInfo {
    this.rec('getRelay', [ifname]);
    return { ...this.vnet(ifname).relay };
  }

  state(d: FakeDev): VnetState {
    const s = d.relay.slave === '' ? undefined : this.devs.get(d.relay.slave);
    return {
      ifindex: d.ifindex,
      ifname: d.name,
      mode: d.relay.mode,
      arg1: d.relay.arg1,
      arg2: d.relay.arg2,
      seed: d.seed,
      slaveIfindex: s ? s.ifindex : 0,
      slaveName: d.relay.slave,
      stats: { ...d.vstats },
    };
  }

  openGenl(): GenlSocket {
    this.rec('openGenl', []);
    if (!this.moduleLoaded) throw sysErr('ENOENT', 'genl_ctrl_resolve');
    // eslint-disable-next-line @typescript-eslint/no-this-alias
    const k = this;
    return {
      familyId: 0x1c,
      echo(message: string): string {
        k.rec('genl.echo', [message]);
        return k.echoImpl(message);
      },
      get(dev: string | number): VnetState {
        k.rec('genl.get', [dev]);
        return k.state(k.vnet(dev, 'recvmsg'));
      },
      dump(): VnetState[] {
        k.rec('genl.dump', []);
        return [...k.devs.values()].filter((d) => d.driver === 'vnet').map((d) => k.state(d));
      },
      set(req: RelaySetRequest): VnetState {
        k.rec('genl.set', [{ ...req }]);
        const d = k.vnet(req.dev, 'recvmsg');
        k.applyRelay(d, req.slave, req.mode, req.arg1, req.arg2);
        d.seed = req.seed ?? 999n;
        return k.state(d);
      },
      resetStats(dev: string | number): VnetState {
        k.rec('genl.resetStats', [dev]);
        const d = k.vnet(dev, 'recvmsg');
        d.vstats = zeroVnet();
        return k.state(d);
      },
      subscribe(): void {
        k.rec('genl.subscribe', []);
      },
      nextEvent(): null {
        return null;
      },
      close(): void {
        k.rec('genl.close', []);
      },
    };
  }
}

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
  kernel: FakeKernel,
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

/** A kernel with vnet0 (up, addressed) and an Ethernet eth0. */
export function standardKernel(): FakeKernel {
  const k = new FakeKernel();
  k.addDev('vnet0', {
    flags: 0x1043,
    ipv4: { address: '10.0.0.2', netmask: '255.255.255.0', broadcast: '10.0.0.255' },
  });
  k.addDev('eth0', { driver: 'e1000', mac: '52:54:00:12:34:56', flags: 0x1043 });
  return k;
}
