/*
 * An in-memory fake of the native addon, implementing `VnetBinding`
 * (src/binding/types.ts) for the CLI unit tests.  It behaves like the addon
 * in front of the real kernel module (kernel/) as far as a CLI can tell:
 *
 *  - the same argument validation, before anything "reaches the kernel"
 *    (TypeError ERR_INVALID_ARG_TYPE / ERR_INVALID_ARG_VALUE, RangeError
 *    ERR_OUT_OF_RANGE, e.g. a 16-byte interface name);
 *  - the same errors: VnetSystemError with the errno, code, syscall
 *    ("ioctl(SIOCGIFINDEX)", "ioctl(SIOCDEVPRIVATE+1)", "genl VNET_CMD_SET",
 *    "rtnl RTM_GETLINK", "genl_ctrl_resolve"), ifname and the kernel
 *    module's extack texts;
 *  - the module's semantics: relay validation (EINVAL / ENODEV / ELOOP /
 *    EBUSY), arg1/arg2 read back as 0 when ignored, reseeding on every SET,
 *    adopting a slave (its MAC, ARP on, MTU capped) and letting it go,
 *    slave loss on unregister, events to subscribed sockets, EPERM for
 *    mutating commands when unprivileged, ENOENT when not loaded;
 *  - ifconfig's view: SIOCSIFADDR's classful netmask and broadcast,
 *    SIOCSIFFLAGS's changeable flags, RUNNING from the carrier, MTU range.
 *
 * Programmable: add/remove devices, set or add counters, simulate traffic,
 * inject errors, and inspect every call (`calls`, each with `sent`: false
 * when the call was rejected by argument validation, i.e. nothing was sent
 * to the kernel).
 *
 * The asynchronous forms (`...Async`, `watch`) behave as the addon's: they
 * never throw (argument errors and kernel errors reject), they settle
 * later (never synchronously), and they are recorded like the synchronous
 * call they stand for, with `async: true` (so injected errors apply to
 * both).  `overrunEvents()` simulates the kernel dropping events for a
 * full receive queue (ENOBUFS): `eventsLost` and `lostBefore` as the addon
 * reports them.
 */
import { isIPv4 } from 'node:net';

import { ABI } from '../src/abi';
import { VnetSystemError } from '../src/binding/errors';
import type {
  AddressInfo,
  AddressSpec,
  EchoSocket,
  EventSubscription,
  GenlSocket,
  InterfaceInfo,
  LinkInfo,
  LinkStats,
  RelayInfo,
  RelaySetRequest,
  VnetBinding,
  VnetEvent,
  VnetState,
  VnetStats,
} from '../src/binding/types';
import { FakeEchoSocket } from './fake-echo';
import * as rtnl from './fake-rtnl';
import type { FakeAddr } from './fake-rtnl';

import { FakeSubscription, later } from './fake-async';

// ---------------------------------------------------------------- constants

export const IFF_UP = 0x1;
export const IFF_BROADCAST = 0x2;
export const IFF_LOOPBACK = 0x8;
export const IFF_RUNNING = 0x40;
export const IFF_LOWER_UP = 0x10000;
export const IFF_NOARP = 0x80;
export const IFF_MULTICAST = 0x1000;
/** What SIOCSIFFLAGS may change (dev_change_flags); the rest is kept. */
const IFF_CHANGEABLE = 0x1 | 0x4 | 0x20 | 0x80 | 0x100 | 0x200 | 0x1000 | 0x2000 | 0x4000 | 0x8000;

const ETH_MIN_MTU = 68;
const ETH_MAX_MTU = 65535;

/** Methods that change the kernel's state (they need CAP_NET_ADMIN). */
export const MUTATING = new Set([
  'setAddress',
  'setNetmask',
  'setMtu',
  'changeFlags',
  'resetStats',
  'setRelay',
  'genl.set',
  'genl.resetStats',
  'setBroadcast',
  'setTxqueuelen',
  'setHwAddress',
  'addAddress',
  'delAddress',
]);

// ------------------------------------------------------------------- types

export type LinkType = 'ether' | 'loopback' | 'none';

export interface FakeDevice {
  name: string;
  ifindex: number;
  /** ethtool driver name; '' = no ethtool support (EOPNOTSUPP) */
  driver: string;
  type: LinkType;
  /** stored IFF_* flags (RUNNING is derived from `carrier`) */
  flags: number;
  carrier: boolean;
  mtu: number;
  minMtu: number;
  maxMtu: number;
  mac: string;
  txqueuelen: number;
  ipv4?: { address: string; netmask: string; broadcast?: string };
  /** addresses beyond the primary IPv4 one: secondary IPv4, IPv6 */
  addrs?: FakeAddr[];
  /** the name's bytes when they are not valid UTF-8 (`name` is then just a key) */
  nameBytes?: Buffer;
  /** IFLA_INFO_KIND; default "vnet" for vnet devices, "" otherwise */
  kind?: string;
  /** net.ipv4.conf rp_filter in effect on this device (as a slave): 0, 1, 2 */
  rpFilter?: number;
  /** the core's own counters (what linkStats adds on top of the driver's) */
  link: LinkStats;
  /** has an rx_handler already (bridge port, bond slave, macvlan, vnet slave) */
  busy: boolean;
  /** vnet devices only */
  vnet?: {
    relay: RelayInfo;
    seed: bigint;
    stats: VnetStats;
    ownMac: string;
    /** fake clock (ms) of the last SET: the time mode's phase origin */
    phaseStartMs: number;
    rng: bigint;
  };
}

export type FakeDeviceOptions = Partial<Omit<FakeDevice, 'link' | 'vnet'>> & {
  link?: Partial<LinkStats>;
};

export interface FakeVnetOptions extends FakeDeviceOptions {
  relay?: Partial<RelayInfo>;
  seed?: bigint;
  stats?: Partial<VnetStats>;
}

export interface FakeCall {
  /** a VnetBinding method, or 'genl.<method>' for GenlSocket methods */
  method: string;
  args: unknown[];
  /** false when argument validation rejected the call: nothing reached the kernel */
  sent: boolean;
  /** made through the asynchronous form (`...Async`) */
  async?: true;
}

export interface InjectOptions {
  /** how many calls fail (default 1; Infinity for all) */
  times?: number;
  /** only calls whose arguments match */
  match?: (args: unknown[]) => boolean;
  syscall?: string;
  ifname?: string;
  extack?: string;
}

interface Injection {
  error: Error | ((call: FakeCall) => Error);
  times: number;
  match?: (args: unknown[]) => boolean;
}

export function zeroLinkStats(): LinkStats {
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

export function zeroVnetStats(): VnetStats {
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

/** A VnetSystemError as the addon builds it. */
export function sysErr(
  code: string,
  syscall: string,
  extra: { ifname?: string; extack?: string; detail?: string } = {},
): VnetSystemError {
  return VnetSystemError.fromCode(code, syscall, extra);
}

// -------------------------------------------------- argument validation
// The same checks, messages and error classes as addon/src/args.cc.

function describe(v: unknown): string {
  if (v === undefined) return 'undefined';
  if (v === null) return 'null';
  switch (typeof v) {
    case 'string':
      return `type string ('${v}')`;
    case 'number':
    case 'boolean':
      return `type ${typeof v} (${String(v)})`;
    case 'bigint':
      return `type bigint (${v}n)`;
    case 'function':
      return 'function';
    case 'symbol':
      return 'type symbol';
    default:
      return 'an instance of Object';
  }
}

function typeError(code: string, message: string): TypeError {
  return Object.assign(new TypeError(message), { code });
}

function wrongType(what: string, type: string, v: unknown): TypeError {
  return typeError('ERR_INVALID_ARG_TYPE', `The "${what}" argument must be of type ${type}. Received ${describe(v)}`);
}

function rangeError(message: string): RangeError {
  return Object.assign(new RangeError(message), { code: 'ERR_OUT_OF_RANGE' });
}

function str(v: unknown, what: string): string {
  if (typeof v !== 'string') throw wrongType(what, 'string', v);
  if (v.includes('\0')) throw typeError('ERR_INVALID_ARG_VALUE', `The "${what}" argument must not contain null bytes`);
  return v;
}

function ifnameArg(v: unknown, what = 'ifname', allowEmpty = false): string {
  const s = str(v, what);
  if (s === '' && !allowEmpty) {
    throw typeError('ERR_INVALID_ARG_VALUE', `The "${what}" argument must be a non-empty interface name`);
  }
  const bytes = Buffer.byteLength(s);
  if (bytes >= ABI.VNET_IFNAMSIZ) {
    throw typeError(
      'ERR_INVALID_ARG_VALUE',
      `The "${what}" argument '${s}' is too long for an interface name (${bytes} bytes, at most ${ABI.VNET_IFNAMSIZ - 1})`,
    );
  }
  return s;
}

function intArg(v: unknown, what: string, min: number, max: number): number {
  if (typeof v !== 'number') throw wrongType(what, 'number', v);
  if (!Number.isInteger(v) || v < min || v > max) {
    throw rangeError(
      `The value of "${what}" is out of range. It must be an integer >= ${min} and <= ${max}. Received ${String(v)}`,
    );
  }
  return v;
}

const INT32_MIN = -0x80000000;
const INT32_MAX = 0x7fffffff;
const UINT32_MAX = 0xffffffff;

function devArg(v: unknown, what = 'dev'): string | number {
  if (typeof v === 'number') return intArg(v, what, 1, UINT32_MAX);
  if (typeof v === 'string') return ifnameArg(v, what);
  throw wrongType(what, 'string or number', v);
}

function objArg(v: unknown, what: string): Record<string, unknown> {
  if (typeof v !== 'object' || v === null) throw wrongType(what, 'object', v);
  return v as Record<string, unknown>;
}

function ipv4Arg(v: unknown, what: string): string {
  const s = str(v, what);
  if (!isIPv4(s)) throw typeError('ERR_INVALID_ARG_VALUE', `The "${what}" argument must be an IPv4 address. Received '${s}'`);
  return s;
}

function seedArg(v: unknown, what: string): bigint {
  if (typeof v !== 'bigint') throw wrongType(what, 'bigint', v);
  if (v < 0n || v >= 1n << 64n) {
    throw rangeError(`The value of "${what}" is out of range. It must be >= 0n and < 2n ** 64n. Received ${v}n`);
  }
  return v;
}

// ------------------------------------------------------------ ipv4 helpers

function ipToInt(a: string): number {
  return a.split('.').reduce((acc, x) => ((acc << 8) | Number(x)) >>> 0, 0);
}

function intToIp(n: number): string {
  return [24, 16, 8, 0].map((s) => (n >>> s) & 255).join('.');
}

/** inet_abc_len(): the classful prefix SIOCSIFADDR gives a new address. */
function classfulPrefix(addr: string): number {
  const n = ipToInt(addr);
  if (n === 0) return 0;
  const a = n >>> 24;
  if (a < 128) return 8;
  if (a < 192) return 16;
  if (a < 224) return 24;
  return 32;
}

function prefixMask(len: number): number {
  return len === 0 ? 0 : (0xffffffff << (32 - len)) >>> 0;
}

/** bad_mask(): a netmask must be contiguous ones. */
function badMask(mask: number): boolean {
  const inv = ~mask >>> 0;
  return (inv & (inv + 1)) !== 0;
}

// ----------------------------------------------------------------- the fake

export class FakeBinding implements VnetBinding {
  /** The header's constants (src/abi.ts, which abi.test.ts checks against the addon). */
  readonly constants: Readonly<Record<string, number | string>> = Object.freeze({ ...ABI });

  /** the devices of the current network namespace */
  devices = new Map<string, FakeDevice>();
  /** named network namespaces (ip netns add) and their devices; '' is the initial one */
  readonly namespaces = new Map<string, Map<string, FakeDevice>>();
  /** the namespace enterNetns() moved to ('' = the initial one) */
  currentNetns = '';
  /** fake ms the reply to echo request `seq` takes */
  echoLatency: (seq: number) => number = () => 0;
  /** an error reply (NLMSG_ERROR) for echo request `seq`, or undefined */
  echoError: (seq: number) => Error | undefined = () => undefined;
  /** which echo requests get no reply */
  echoLose: (seq: number, message: string) => boolean = () => false;
  /** called on every EchoSocket send (tests raise signals from here) */
  onEchoSend?: (seq: number) => void;
  readonly echoSockets: FakeEchoSocket[] = [];
  readonly calls: FakeCall[] = [];
  /** false: openGenl() fails with ENOENT (genl_ctrl_resolve), as without the module */
  moduleLoaded = true;
  /** false: mutating calls fail with EPERM (no CAP_NET_ADMIN) */
  privileged = true;
  /** the vnet_nl family id openGenl() resolves */
  familyId = 0x1c;
  /** an extended-ack warning the "kernel" attaches to successful netlink SETs */
  setWarning?: string;
  /** how ECHO answers (default: the same text) */
  echoImpl: (message: string) => string = (m) => m;
  /** random seeds for SETs without one (ioctl, or netlink without VNET_ATTR_SEED) */
  seedSource: () => bigint;
  /** the fake monotonic clock, in ms, for simulated time-mode traffic */
  clockMs = 0;
  /** compat: per method, an error for its next call */
  readonly failNext = new Map<string, Error>();

  private readonly injections = new Map<string, Injection[]>();
  private readonly sockets = new Set<FakeGenlSocket>();
  private nextIfindex = 1;

  constructor() {
    this.namespaces.set('', this.devices);
    let s = 0x5eed0000n;
    this.seedSource = () => (s = (s * 6364136223846793005n + 1442695040888963407n) & 0xffffffffffffffffn);
  }

  // ------------------------------------------------------------ setup

  /** Any interface (defaults: an Ethernet device, down, driver "e1000"). */
  addDevice(name: string, opts: FakeDeviceOptions = {}): FakeDevice {
    if (this.devices.has(name)) throw new Error(`fake: device ${name} exists`);
    const { link, ...rest } = opts;
    const d: FakeDevice = {
      name,
      ifindex: opts.ifindex ?? this.nextIfindex,
      driver: 'e1000',
      type: 'ether',
      flags: IFF_BROADCAST | IFF_MULTICAST,
      carrier: true,
      mtu: 1500,
      minMtu: ETH_MIN_MTU,
      maxMtu: 9000,
      mac: `52:54:00:00:00:${(this.nextIfindex & 0xff).toString(16).padStart(2, '0')}`,
      txqueuelen: 1000,
      busy: false,
      ...rest,
      link: { ...zeroLinkStats(), ...link },
    };
    this.nextIfindex = Math.max(this.nextIfindex, d.ifindex) + 1;
    this.devices.set(name, d);
    return d;
  }

  /** The loopback device, as the kernel has it. */
  addLoopback(name = 'lo'): FakeDevice {
    return this.addDevice(name, {
      driver: '',
      type: 'loopback',
      flags: IFF_UP | IFF_LOOPBACK,
      mtu: 65536,
      maxMtu: ETH_MAX_MTU + 1,
      mac: '00:00:00:00:00:00',
      ipv4: { address: '127.0.0.1', netmask: '255.0.0.0' },
    });
  }

  /** A vnet device in loopback mode, as `ip link add NAME type vnet` makes it. */
  addVnet(name: string, opts: FakeVnetOptions = {}): FakeDevice {
    const { relay, seed, stats, ...devOpts } = opts;
    const d = this.addDevice(name, {
      driver: 'vnet',
      flags: IFF_BROADCAST | IFF_MULTICAST | IFF_NOARP,
      maxMtu: ETH_MAX_MTU,
      mac: `02:76:6e:00:00:${(this.nextIfindex & 0xff).toString(16).padStart(2, '0')}`,
      ...devOpts,
    });
    const s = seed ?? this.seedSource();
    d.vnet = {
      relay: { slave: '', mode: 0, arg1: 0, arg2: 0, ...relay },
      seed: s,
      stats: { ...zeroVnetStats(), ...stats },
      ownMac: d.mac,
      phaseStartMs: this.clockMs,
      rng: s,
    };
    if (d.vnet.relay.slave) {
      const slave = this.devices.get(d.vnet.relay.slave);
      if (!slave) throw new Error(`fake: slave ${d.vnet.relay.slave} does not exist`);
      this.adopt(d, slave);
    }
    return d;
  }

  /** Unregisters a device; vnet devices relaying to it fall back to loopback mode. */
  removeDevice(name: string): void {
    const d = this.device(name);
    this.devices.delete(name);
    for (const v of this.devices.values()) {
      if (v.vnet && v.vnet.relay.slave === name) {
        this.release(v);
        v.vnet.relay = { ...v.vnet.relay, slave: '' };
        v.vnet.stats.slave_lost += 1n;
        this.emit(v, ABI.VNET_EVENT_SLAVE_LOST);
      }
    }
    const slave = d.vnet?.relay.slave ? this.devices.get(d.vnet.relay.slave) : undefined;
    if (slave) slave.busy = false;
  }

  /** Creates a named network namespace (ip netns add NAME). */
  addNetns(name: string): void {
    if (this.namespaces.has(name)) throw new Error(`fake: netns ${name} exists`);
    this.namespaces.set(name, new Map());
  }

  /** Runs fn (setup: addVnet, addDevice...) with the namespace `name` current. */
  inNetns<T>(name: string, fn: () => T): T {
    const ns = this.namespaces.get(name);
    if (!ns) throw new Error(`fake: no netns ${name}`);
    const saved = this.devices;
    this.devices = ns;
    try {
      return fn();
    } finally {
      this.devices = saved;
    }
  }

  /** The device (throws a plain Error in the test when missing). */
  device(name: string): FakeDevice {
    const d = this.devices.get(name);
    if (!d) throw new Error(`fake: no device ${name}`);
    return d;
  }

  setVnetStats(name: string, stats: Partial<VnetStats>): void {
    const v = this.vnetOf(name);
    Object.assign(v.stats, stats);
  }

  addVnetStats(name: string, delta: Partial<VnetStats>): void {
    const v = this.vnetOf(name);
    for (const [k, n] of Object.entries(delta) as [keyof VnetStats, bigint][]) v.stats[k] += n;
  }

  /** The core's counters (added on top of a vnet device's own). */
  setLinkStats(name: string, stats: Partial<LinkStats>): void {
    Object.assign(this.device(name).link, stats);
  }

  /**
   * Simulates `count` frames of `bytes` sent through a vnet device, with
   * the driver's policy: loopback mode loops them back (tx and rx), relay
   * mode passes or drops them by mode (percent: the seeded generator; time:
   * `clockMs` since the last SET) and counts drops per reason.
   */
  transmit(name: string, count = 1, bytes = 98): void {
    const v = this.vnetOf(name);
    const b = BigInt(bytes);
    for (let i = 0; i < count; i++) {
      const { relay } = v;
      if (!relay.slave) {
        v.stats.tx_packets++;
        v.stats.tx_bytes += b;
        v.stats.rx_packets++;
        v.stats.rx_bytes += b;
        continue;
      }
      const slave = this.devices.get(relay.slave);
      let drop: keyof VnetStats | undefined;
      if (relay.mode === ABI.VNET_MODE_PERCENT) {
        v.rng = (v.rng * 6364136223846793005n + 1442695040888963407n) & 0xffffffffffffffffn;
        if (Number((v.rng >> 33n) % 100n) >= relay.arg1) drop = 'tx_drop_percent';
      } else if (relay.mode === ABI.VNET_MODE_TIME) {
        const t = (this.clockMs - v.phaseStartMs) % (relay.arg1 + relay.arg2);
        if (t >= relay.arg1) drop = 'tx_drop_time';
      }
      if (!drop && (!slave || !this.running(slave))) drop = 'tx_drop_no_slave';
      if (drop) {
        v.stats[drop]++;
        v.stats.tx_dropped++;
      } else {
        v.stats.tx_packets++;
        v.stats.tx_bytes += b;
        slave!.link.tx_packets++;
        slave!.link.tx_bytes += b;
      }
    }
  }

  /** Multicasts a VNET_CMD_EVENT about a vnet device to subscribed sockets. */
  emitEvent(name: string, event: number): void {
    this.emit(this.device(name), event);
  }

  // ------------------------------------------------------ inspection

  /** Makes the next matching call(s) of `method` fail (after validation). */
  injectError(method: string, error: string | Error, opts: InjectOptions = {}): void {
    const list = this.injections.get(method) ?? [];
    list.push({
      error:
        typeof error === 'string'
          ? (call) =>
              sysErr(error, opts.syscall ?? defaultSyscall(call), {
                ifname: opts.ifname ?? (typeof call.args[0] === 'string' ? call.args[0] : undefined),
                extack: opts.extack,
              })
          : error,
      times: opts.times ?? 1,
      match: opts.match,
    });
    this.injections.set(method, list);
  }

  clearInjections(): void {
    this.injections.clear();
    this.failNext.clear();
  }

  /** The calls that reached the "kernel" (passed validation), optionally of one method. */
  kernelCalls(method?: string): FakeCall[] {
    return this.calls.filter((c) => c.sent && (method === undefined || c.method === method));
  }

  /** The calls that reached the kernel and may have changed something. */
  mutations(): FakeCall[] {
    return this.kernelCalls().filter((c) => MUTATING.has(c.method));
  }

  clearCalls(): void {
    this.calls.length = 0;
  }

  /** GenlSockets opened and not closed. */
  openSocketCount(): number {
    return [...this.sockets].filter((s) => !s.closed).length;
  }

  // ------------------------------------------------------ VnetBinding

  getInterface(ifname: string): InterfaceInfo {
    const name = this.enter('getInterface', [ifname], () => ifnameArg(ifname));
    const d = this.lookup(name, 'ioctl(SIOCGIFINDEX)');
    const info: InterfaceInfo = {
      name: d.name,
      ifindex: d.ifindex,
      // rtnetlink's 32 bits: LOWER_UP while running with carrier
      flags: this.flagsOf(d) | (this.running(d) ? IFF_LOWER_UP : 0),
      mtu: d.mtu,
      mac: d.type === 'none' ? '' : d.mac,
      txqueuelen: d.txqueuelen,
    };
    if (d.ipv4) {
      info.ipv4 = { address: d.ipv4.address, netmask: d.ipv4.netmask };
      if (d.flags & IFF_BROADCAST && d.ipv4.broadcast !== undefined) info.ipv4.broadcast = d.ipv4.broadcast;
    }
    return info;
  }

  listInterfaces(): string[] {
    this.enter('listInterfaces', [], () => undefined);
    return [...this.devices.values()].sort((a, b) => a.ifindex - b.ifindex).map((d) => d.name);
  }

  setAddress(ifname: string, address: string): void {
    const [name, addr] = this.enter('setAddress', [ifname, address], () => [ifnameArg(ifname), ipv4Arg(address, 'address')] as const);
    const d = this.lookup(name, 'ioctl(SIOCSIFADDR)');
    this.needAdmin('ioctl(SIOCSIFADDR)', name);
    if (d.ipv4?.address === addr) return;
    const prefix = classfulPrefix(addr);
    const mask = prefixMask(prefix);
    d.ipv4 = { address: addr, netmask: intToIp(mask) };
    if (d.flags & IFF_BROADCAST && prefix < 31) d.ipv4.broadcast = intToIp((ipToInt(addr) | ~mask) >>> 0);
  }

  setNetmask(ifname: string, netmask: string): void {
    const [name, m] = this.enter('setNetmask', [ifname, netmask], () => [ifnameArg(ifname), ipv4Arg(netmask, 'netmask')] as const);
    const d = this.lookup(name, 'ioctl(SIOCSIFNETMASK)');
    this.needAdmin('ioctl(SIOCSIFNETMASK)', name);
    if (!d.ipv4) throw sysErr('EADDRNOTAVAIL', 'ioctl(SIOCSIFNETMASK)', { ifname: name });
    const mask = ipToInt(m);
    if (badMask(mask)) throw sysErr('EINVAL', 'ioctl(SIOCSIFNETMASK)', { ifname: name });
    d.ipv4 = { address: d.ipv4.address, netmask: m };
    const prefix = 32 - Math.log2((~mask >>> 0) + 1);
    if (d.flags & IFF_BROADCAST && prefix < 31) d.ipv4.broadcast = intToIp((ipToInt(d.ipv4.address) | ~mask) >>> 0);
  }

  setMtu(ifname: string, mtu: number): void {
    const [name, n] = this.enter('setMtu', [ifname, mtu], () => [ifnameArg(ifname), intArg(mtu, 'mtu', 0, INT32_MAX)] as const);
    const d = this.lookup(name, 'ioctl(SIOCSIFMTU)');
    this.needAdmin('ioctl(SIOCSIFMTU)', name);
    if (n < d.minMtu || n > d.maxMtu) throw sysErr('EINVAL', 'ioctl(SIOCSIFMTU)', { ifname: name });
    d.mtu = n;
  }

  changeFlags(ifname: string, set: number, clear: number): number {
    const [name, s, c] = this.enter('changeFlags', [ifname, set, clear], () => [
      ifnameArg(ifname),
      intArg(set, 'set', 0, 0xffff),
      intArg(clear, 'clear', 0, 0xffff),
    ] as const);
    const d = this.lookup(name, 'ioctl(SIOCGIFFLAGS)');
    this.needAdmin('ioctl(SIOCSIFFLAGS)', name);
    const wanted = (this.flagsOf(d) | s) & ~c;
    d.flags = (d.flags & ~IFF_CHANGEABLE) | (wanted & IFF_CHANGEABLE);
    return this.flagsOf(d);
  }

  driverName(ifname: string): string {
    const name = this.enter('driverName', [ifname], () => ifnameArg(ifname));
    const d = this.lookup(name, 'ioctl(SIOCETHTOOL)');
    if (!d.driver) throw sysErr('EOPNOTSUPP', 'ioctl(SIOCETHTOOL)', { ifname: name });
    return d.driver;
  }

  linkStats(ifname: string): LinkStats {
    const name = this.enter('linkStats', [ifname], () => ifnameArg(ifname));
    return this.statsOf(this.lookup(name, 'rtnl RTM_GETLINK'));
  }

  /** dev_get_stats(): the core's counters plus a vnet device's own. */
  statsOf(d: FakeDevice): LinkStats {
    const out = { ...d.link };
    if (d.vnet) {
      // ndo_get_stats64 reports the driver's counters; the core adds its own.
      const v = d.vnet.stats;
      out.rx_packets += v.rx_packets;
      out.rx_bytes += v.rx_bytes;
      out.tx_packets += v.tx_packets;
      out.tx_bytes += v.tx_bytes;
      out.rx_dropped += v.rx_dropped;
      out.tx_dropped += v.tx_dropped;
    }
    return out;
  }

  linkStatsAsync(ifname: string): Promise<LinkStats> {
    return later(this.calls, () => this.linkStats(ifname));
  }

  resetStats(ifname: string): void {
    const name = this.enter('resetStats', [ifname], () => ifnameArg(ifname));
    const d = this.privateIoctl(name, 0);
    this.needAdmin('ioctl(SIOCDEVPRIVATE+0)', name);
    d.vnet!.stats = zeroVnetStats();
    this.emit(d, ABI.VNET_EVENT_STATS_RESET);
  }

  setRelay(ifname: string, info: RelayInfo): void {
    const [name, ri] = this.enter('setRelay', [ifname, info], () => {
      const n = ifnameArg(ifname);
      const o = objArg(info, 'info');
      return [
        n,
        {
          slave: ifnameArg(o.slave, 'info.slave', true),
          mode: intArg(o.mode, 'info.mode', INT32_MIN, INT32_MAX),
          arg1: intArg(o.arg1, 'info.arg1', INT32_MIN, INT32_MAX),
          arg2: intArg(o.arg2, 'info.arg2', INT32_MIN, INT32_MAX),
        },
      ] as const;
    });
    const d = this.privateIoctl(name, 1);
    this.needAdmin('ioctl(SIOCDEVPRIVATE+1)', name);
    // The ioctl path has no extack.
    this.relaySet(d, { ...ri, slave: ri.slave }, undefined, 'ioctl(SIOCDEVPRIVATE+1)', name, false);
  }

  getRelay(ifname: string): RelayInfo {
    const name = this.enter('getRelay', [ifname], () => ifnameArg(ifname));
    const d = this.privateIoctl(name, 2);
    return { ...d.vnet!.relay };
  }

  openGenl(): GenlSocket {
    this.enter('openGenl', [], () => undefined);
    if (!this.moduleLoaded) {
      throw sysErr('ENOENT', 'genl_ctrl_resolve', {
        detail: `generic netlink family '${ABI.VNET_GENL_NAME}' is not registered: is the vnet module loaded?`,
      });
    }
    const s = new FakeGenlSocket(this);
    this.sockets.add(s);
    return s;
  }

  openEcho(): EchoSocket {
    this.enter('openEcho', [], () => undefined);
    if (!this.moduleLoaded) {
      throw sysErr('ENOENT', 'genl_ctrl_resolve', {
        detail: `generic netlink family '${ABI.VNET_GENL_NAME}' is not registered: is the vnet module loaded?`,
      });
    }
    const s = new FakeEchoSocket(this);
    this.echoSockets.push(s);
    return s;
  }

  setBroadcast(ifname: string, address: string): void {
    const [name, a] = this.enter('setBroadcast', [ifname, address], () => [ifnameArg(ifname), ipv4Arg(address, 'address')] as const);
    const d = this.lookup(name, 'ioctl(SIOCSIFBRDADDR)');
    this.needAdmin('ioctl(SIOCSIFBRDADDR)', name);
    if (!d.ipv4) throw sysErr('EADDRNOTAVAIL', 'ioctl(SIOCSIFBRDADDR)', { ifname: name });
    d.ipv4 = { ...d.ipv4, broadcast: a };
  }

  setTxqueuelen(ifname: string, txqueuelen: number): void {
    const [name, n] = this.enter('setTxqueuelen', [ifname, txqueuelen], () => [ifnameArg(ifname), intArg(txqueuelen, 'txqueuelen', 0, INT32_MAX)] as const);
    const d = this.lookup(name, 'ioctl(SIOCSIFTXQLEN)');
    this.needAdmin('ioctl(SIOCSIFTXQLEN)', name);
    d.txqueuelen = n;
  }

  setHwAddress(ifname: string, mac: string): void {
    const [name, m] = this.enter('setHwAddress', [ifname, mac], () => {
      const v = str(mac, 'mac');
      if (!/^[0-9a-fA-F]{2}(:[0-9a-fA-F]{2}){5}$/.test(v)) {
        throw typeError('ERR_INVALID_ARG_VALUE', `The "mac" argument must be an Ethernet address (aa:bb:cc:dd:ee:ff). Received '${v}'`);
      }
      return [ifnameArg(ifname), v.toLowerCase()] as const;
    });
    const d = this.lookup(name, 'ioctl(SIOCSIFHWADDR)');
    this.needAdmin('ioctl(SIOCSIFHWADDR)', name);
    if (parseInt(m.slice(0, 2), 16) & 1 || m === '00:00:00:00:00:00') {
      throw sysErr('EADDRNOTAVAIL', 'ioctl(SIOCSIFHWADDR)', { ifname: name });
    }
    if (d.vnet?.relay.slave) throw sysErr('EBUSY', 'ioctl(SIOCSIFHWADDR)', { ifname: name });
    d.mac = m;
    if (d.vnet) d.vnet.ownMac = m;
  }

  addAddress(ifname: string, addr: AddressSpec): void {
    const [name, spec] = this.enter('addAddress', [ifname, addr], () => [ifnameArg(ifname), rtnl.addrArg(addr, true)] as const);
    const d = this.lookup(name, 'ioctl(SIOCGIFINDEX)');
    this.needAdmin('rtnl RTM_NEWADDR', name);
    rtnl.addAddress(this, d, spec);
  }

  delAddress(ifname: string, addr: AddressSpec): void {
    const [name, spec] = this.enter('delAddress', [ifname, addr], () => [ifnameArg(ifname), rtnl.addrArg(addr, false)] as const);
    const d = this.lookup(name, 'ioctl(SIOCGIFINDEX)');
    this.needAdmin('rtnl RTM_DELADDR', name);
    rtnl.delAddress(this, d, spec);
  }

  dumpLinks(kind?: string): LinkInfo[] {
    const k = this.enter('dumpLinks', kind === undefined ? [] : [kind], () => (kind === undefined ? undefined : str(kind, 'kind')));
    const all = rtnl.dumpLinks(this);
    return k ? all.filter((l) => l.kind === k) : all;
  }

  dumpAddresses(): AddressInfo[] {
    this.enter('dumpAddresses', [], () => undefined);
    return rtnl.dumpAddresses(this);
  }

  enterNetns(name: string): void {
    const n = this.enter('enterNetns', [name], () => {
      const v = str(name, 'name');
      const path = rtnl.netnsPath(v);
      if (path === '') {
        throw typeError('ERR_INVALID_ARG_VALUE', `The "name" argument '${v}' is not a network namespace name or an absolute path`);
      }
      return v;
    });
    if (this.calls.some((c) => c.sent && c.method !== 'enterNetns')) {
      // sockets opened before setns(2) stay in the old namespace
      throw new Error('fake: enterNetns() after other calls reached the kernel');
    }
    const path = rtnl.netnsPath(n);
    const key = path.startsWith('/run/netns/') ? path.slice('/run/netns/'.length) : path;
    const ns = this.namespaces.get(key);
    if (!ns) throw sysErr('ENOENT', 'open', { detail: `network namespace '${path}'` });
    if (!this.privileged) throw sysErr('EPERM', 'setns(CLONE_NEWNET)', { detail: `network namespace '${path}'` });
    this.devices = ns;
    this.currentNetns = key;
  }

  openGenlAsync(): Promise<GenlSocket> {
    return later(this.calls, () => this.openGenl());
  }

  /**
   * The kernel drops events for every subscribed socket and watch() as if
   * their receive queues overran (ENOBUFS): unread events are lost, the
   * overrun is counted in eventsLost, and the next event delivered says
   * lostBefore.
   */
  overrunEvents(): void {
    for (const s of this.sockets) s.overrun();
  }

  // ------------------------------------------------ kernel internals

  /** Records a call; validates; applies injected errors.  Returns validate()'s result. */
  enter<T>(method: string, args: unknown[], validate: () => T): T {
    const call: FakeCall = { method, args: args.map(copyArg), sent: false };
    this.calls.push(call);
    const v = validate(); // throws before anything is "sent"
    call.sent = true;
    const once = this.failNext.get(method);
    if (once) {
      this.failNext.delete(method);
      throw once;
    }
    const list = this.injections.get(method);
    const inj = list?.find((i) => i.times > 0 && (!i.match || i.match(call.args)));
    if (inj) {
      inj.times--;
      throw typeof inj.error === 'function' ? inj.error(call) : inj.error;
    }
    return v;
  }

  needAdmin(syscall: string, ifname?: string): void {
    if (!this.privileged) throw sysErr('EPERM', syscall, ifname ? { ifname } : {});
  }

  private lookup(name: string, syscall: string): FakeDevice {
    const d = this.devices.get(name);
    if (!d) throw sysErr('ENODEV', syscall, { ifname: name });
    return d;
  }

  private privateIoctl(name: string, n: number): FakeDevice {
    const syscall = `ioctl(SIOCDEVPRIVATE+${n})`;
    const d = this.lookup(name, syscall);
    if (!d.vnet) throw sysErr('EOPNOTSUPP', syscall, { ifname: name });
    return d;
  }

  private vnetOf(name: string): NonNullable<FakeDevice['vnet']> {
    const d = this.device(name);
    if (!d.vnet) throw new Error(`fake: ${name} is not a vnet device`);
    return d.vnet;
  }

  /** vnet_genl_dev(): the device a netlink request names. */
  genlDev(dev: string | number, syscall: string): FakeDevice {
    const d =
      typeof dev === 'number' ? [...this.devices.values()].find((x) => x.ifindex === dev) : this.devices.get(dev);
    const ifname = typeof dev === 'string' ? dev : undefined;
    if (!d) throw sysErr('ENODEV', syscall, { ifname, extack: 'no such device' });
    if (!d.vnet) throw sysErr('ENODEV', syscall, { ifname, extack: 'not a vnet device' });
    return d;
  }

  private running(d: FakeDevice): boolean {
    if (!(d.flags & IFF_UP)) return false;
    if (d.vnet?.relay.slave) {
      const s = this.devices.get(d.vnet.relay.slave);
      return !!s && this.running(s);
    }
    return d.carrier;
  }

  private flagsOf(d: FakeDevice): number {
    return (d.flags & ~IFF_RUNNING) | (this.running(d) ? IFF_RUNNING : 0);
  }

  /** rtnetlink's 32 bits: LOWER_UP while running with carrier. */
  linkFlags(d: FakeDevice): number {
    return this.flagsOf(d) | (this.running(d) ? IFF_LOWER_UP : 0);
  }

  /**
   * vnet_relay_set(): validate, look the slave up, adopt it, commit.
   * `slave` undefined keeps the current one, '' detaches.
   */
  relaySet(
    d: FakeDevice,
    req: { slave?: string | number; mode: number; arg1: number; arg2: number },
    seed: bigint | undefined,
    syscall: string,
    ifname: string | undefined,
    withExtack: boolean,
  ): void {
    const v = d.vnet!;
    const fail = (code: string, msg: string): never => {
      throw sysErr(code, syscall, { ifname, extack: withExtack ? `vnet: ${msg}` : undefined });
    };
    switch (req.mode) {
      case ABI.VNET_MODE_PASS:
        break;
      case ABI.VNET_MODE_PERCENT:
        if (req.arg1 < 0 || req.arg1 > 100) fail('EINVAL', 'percent mode: arg1, the share of packets passed, must be 0..100');
        break;
      case ABI.VNET_MODE_TIME:
        if (req.arg1 < 1 || req.arg2 < 1) fail('EINVAL', 'time mode: relay (arg1) and drop (arg2) windows must be at least 1 ms');
        break;
      default:
        fail('EINVAL', 'unknown mode');
    }
    const cur = v.relay.slave ? this.devices.get(v.relay.slave) : undefined;
    let slave: FakeDevice | undefined;
    if (req.slave === undefined) {
      slave = cur;
    } else if (req.slave !== '' && req.slave !== 0) {
      slave =
        typeof req.slave === 'number'
          ? [...this.devices.values()].find((x) => x.ifindex === req.slave)
          : this.devices.get(req.slave);
      if (!slave) fail('ENODEV', 'slave interface not found');
      if (slave !== cur) {
        if (slave === d || slave!.vnet) fail('ELOOP', 'cannot relay to itself or to another vnet device');
        if (slave!.type !== 'ether') fail('EINVAL', 'slave is not an Ethernet device');
        if (slave!.busy) fail('EBUSY', 'slave already has a receive handler (bridge, bond, macvlan or vnet)');
      }
    }
    if (slave !== cur) {
      if (cur) this.release(d);
      if (slave) this.adopt(d, slave);
    }
    v.relay = {
      slave: slave ? slave.name : '',
      mode: req.mode,
      arg1: req.mode === ABI.VNET_MODE_PASS ? 0 : req.arg1,
      arg2: req.mode === ABI.VNET_MODE_TIME ? req.arg2 : 0,
    };
    v.seed = seed ?? this.seedSource();
    v.rng = v.seed;
    v.phaseStartMs = this.clockMs;
    this.emit(d, ABI.VNET_EVENT_CONFIG);
  }

  /** vnet_adopt_slave(): its MAC, ARP on, MTU capped by the slave's. */
  private adopt(d: FakeDevice, slave: FakeDevice): void {
    slave.busy = true;
    if (d.mtu > slave.mtu) d.mtu = slave.mtu;
    d.maxMtu = slave.mtu;
    d.mac = slave.mac;
    d.flags &= ~IFF_NOARP;
    d.vnet!.relay = { ...d.vnet!.relay, slave: slave.name };
  }

  /** vnet_restore_loopback() after letting the slave go. */
  private release(d: FakeDevice): void {
    const cur = d.vnet!.relay.slave ? this.devices.get(d.vnet!.relay.slave) : undefined;
    if (cur) cur.busy = false;
    d.maxMtu = ETH_MAX_MTU;
    d.mac = d.vnet!.ownMac;
    d.flags |= IFF_NOARP;
  }

  state(d: FakeDevice): VnetState {
    const v = d.vnet!;
    const s = v.relay.slave ? this.devices.get(v.relay.slave) : undefined;
    return {
      ifindex: d.ifindex,
      ifname: d.name,
      mode: v.relay.mode,
      arg1: v.relay.arg1,
      arg2: v.relay.arg2,
      seed: v.seed,
      slaveIfindex: s ? s.ifindex : 0,
      slaveName: s ? s.name : '',
      ...(s ? { slaveRpFilter: s.rpFilter ?? 0 } : {}),
      stats: { ...v.stats },
    };
  }

  private emit(d: FakeDevice, event: number): void {
    if (!d.vnet) return;
    const ev: VnetEvent = { event, state: this.state(d) };
    for (const s of this.sockets) s.deliver(ev);
  }

  forget(s: FakeGenlSocket): void {
    this.sockets.delete(s);
  }
}

/** One fake vnet_nl socket. */
export class FakeGenlSocket implements GenlSocket {
  readonly familyId: number;
  closed = false;
  subscribed = false;
  eventsLost = 0;
  /** events received and not yet read */
  readonly queue: VnetEvent[] = [];
  /** its watch() subscriptions */
  readonly watches: FakeSubscription[] = [];
  private unreported = 0;

  constructor(private readonly k: FakeBinding) {
    this.familyId = k.familyId;
  }

  deliver(ev: VnetEvent): void {
    if (this.closed) return;
    if (this.subscribed) this.queue.push(structuredClone(ev));
    for (const w of this.watches) w.deliver(ev);
  }

  /** See FakeBinding.overrunEvents(). */
  overrun(): void {
    if (this.closed) return;
    if (this.subscribed) {
      this.queue.length = 0;
      this.eventsLost++;
      this.unreported++;
    }
    for (const w of this.watches) w.overrun();
  }

  private open(syscall: string): void {
    if (this.closed) throw sysErr('EBADF', syscall, { detail: 'GenlSocket is closed' });
  }

  echo(message: string): string {
    const m = this.k.enter('genl.echo', [message], () => str(message, 'message'));
    this.open('genl VNET_CMD_ECHO');
    if (Buffer.byteLength(m) > ABI.VNET_ECHO_MSG_MAX) {
      throw sysErr('EINVAL', 'genl VNET_CMD_ECHO', { extack: 'Attribute failed policy validation' });
    }
    return this.k.echoImpl(m);
  }

  get(dev: string | number): VnetState {
    const d = this.k.enter('genl.get', [dev], () => devArg(dev));
    this.open('genl VNET_CMD_GET');
    return this.k.state(this.k.genlDev(d, 'genl VNET_CMD_GET'));
  }

  dump(): VnetState[] {
    this.k.enter('genl.dump', [], () => undefined);
    this.open('genl VNET_CMD_GET');
    return [...this.k.devices.values()]
      .filter((d) => d.vnet)
      .sort((a, b) => a.ifindex - b.ifindex)
      .map((d) => this.k.state(d));
  }

  set(req: RelaySetRequest): VnetState {
    const r = this.k.enter('genl.set', [req], () => {
      const o = objArg(req, 'req');
      return {
        dev: devArg(o.dev, 'req.dev'),
        mode: intArg(o.mode, 'req.mode', 0, UINT32_MAX),
        arg1: intArg(o.arg1, 'req.arg1', INT32_MIN, INT32_MAX),
        arg2: intArg(o.arg2, 'req.arg2', INT32_MIN, INT32_MAX),
        seed: o.seed === undefined ? undefined : seedArg(o.seed, 'req.seed'),
        slave: o.slave === undefined ? undefined : ifnameArg(o.slave, 'req.slave', true),
      };
    });
    const syscall = 'genl VNET_CMD_SET';
    const ifname = typeof r.dev === 'string' ? r.dev : undefined;
    this.open(syscall);
    this.k.needAdmin(syscall, ifname);
    const d = this.k.genlDev(r.dev, syscall);
    this.k.relaySet(d, r, r.seed, syscall, ifname, true);
    const s = this.k.state(d);
    if (this.k.setWarning) s.warning = this.k.setWarning;
    return s;
  }

  resetStats(dev: string | number): VnetState {
    const d0 = this.k.enter('genl.resetStats', [dev], () => devArg(dev));
    const syscall = 'genl VNET_CMD_RESET_STATS';
    const ifname = typeof d0 === 'string' ? d0 : undefined;
    this.open(syscall);
    this.k.needAdmin(syscall, ifname);
    const d = this.k.genlDev(d0, syscall);
    d.vnet!.stats = zeroVnetStats();
    this.k.emitEvent(d.name, ABI.VNET_EVENT_STATS_RESET);
    return this.k.state(d);
  }

  subscribe(): void {
    this.k.enter('genl.subscribe', [], () => undefined);
    this.open('setsockopt(NETLINK_ADD_MEMBERSHIP)');
    this.subscribed = true;
  }

  /** Never blocks: the queued event, or null with timeoutMs gone by on the fake clock. */
  nextEvent(timeoutMs: number): VnetEvent | null {
    this.k.enter('genl.nextEvent', [timeoutMs], () => {
      intArg(timeoutMs, 'timeoutMs', 0, INT32_MAX);
      if (!this.subscribed) throw typeError('ERR_INVALID_STATE', 'nextEvent(): call subscribe() first');
    });
    this.open('genl VNET_CMD_EVENT');
    const ev = this.queue.shift();
    if (!ev) {
      this.k.clockMs += timeoutMs; // the wait took its whole timeout
      return null;
    }
    if (this.unreported) ev.lostBefore = this.unreported;
    this.unreported = 0;
    return ev;
  }

  echoAsync(message: string): Promise<string> {
    return later(this.k.calls, () => this.echo(message));
  }

  getAsync(dev: string | number): Promise<VnetState> {
    return later(this.k.calls, () => this.get(dev));
  }

  dumpAsync(): Promise<VnetState[]> {
    return later(this.k.calls, () => this.dump());
  }

  setAsync(req: RelaySetRequest): Promise<VnetState> {
    return later(this.k.calls, () => this.set(req));
  }

  resetStatsAsync(dev: string | number): Promise<VnetState> {
    return later(this.k.calls, () => this.resetStats(dev));
  }

  watch(listener: (ev: VnetEvent) => void, onError?: (err: Error) => void): EventSubscription {
    this.k.enter('genl.watch', [], () => {
      if (typeof listener !== 'function') throw wrongType('listener', 'function', listener);
      if (onError !== undefined && typeof onError !== 'function') throw wrongType('onError', 'function', onError);
    });
    this.open('setsockopt(NETLINK_ADD_MEMBERSHIP)');
    const w = new FakeSubscription(listener, onError);
    this.watches.push(w);
    return w;
  }

  close(): void {
    this.k.enter('genl.close', [], () => undefined);
    this.closed = true;
    for (const w of this.watches) w.stop();
    this.k.forget(this);
  }
}

function copyArg(a: unknown): unknown {
  return typeof a === 'object' && a !== null ? { ...(a as object) } : a;
}

function defaultSyscall(call: FakeCall): string {
  const m = /^genl\.(\w+)$/.exec(call.method);
  if (m) {
    const cmd: Record<string, string> = {
      echo: 'VNET_CMD_ECHO',
      get: 'VNET_CMD_GET',
      dump: 'VNET_CMD_GET',
      set: 'VNET_CMD_SET',
      resetStats: 'VNET_CMD_RESET_STATS',
      nextEvent: 'VNET_CMD_EVENT',
    };
    return `genl ${cmd[m[1]] ?? 'vnet_nl'}`;
  }
  const ioctl: Record<string, string> = {
    getInterface: 'ioctl(SIOCGIFFLAGS)',
    setAddress: 'ioctl(SIOCSIFADDR)',
    setNetmask: 'ioctl(SIOCSIFNETMASK)',
    setMtu: 'ioctl(SIOCSIFMTU)',
    changeFlags: 'ioctl(SIOCSIFFLAGS)',
    driverName: 'ioctl(SIOCETHTOOL)',
    linkStats: 'rtnl RTM_GETLINK',
    resetStats: 'ioctl(SIOCDEVPRIVATE+0)',
    setRelay: 'ioctl(SIOCDEVPRIVATE+1)',
    getRelay: 'ioctl(SIOCDEVPRIVATE+2)',
    openGenl: 'genl_ctrl_resolve',
    openEcho: 'genl_ctrl_resolve',
    listInterfaces: 'if_nameindex',
    setBroadcast: 'ioctl(SIOCSIFBRDADDR)',
    setTxqueuelen: 'ioctl(SIOCSIFTXQLEN)',
    setHwAddress: 'ioctl(SIOCSIFHWADDR)',
    addAddress: 'rtnl RTM_NEWADDR',
    delAddress: 'rtnl RTM_DELADDR',
    dumpLinks: 'rtnl RTM_GETLINK',
    dumpAddresses: 'rtnl RTM_GETADDR',
    'echo.send': 'genl VNET_CMD_ECHO',
    'echo.receive': 'poll',
  };
  return ioctl[call.method] ?? call.method;
}

/** A fake kernel with lo, an Ethernet eth0 (up) and vnet0 in loopback mode. */
export function standardFake(): FakeBinding {
  const k = new FakeBinding();
  k.addLoopback();
  k.addDevice('eth0', {
    flags: IFF_UP | IFF_BROADCAST | IFF_MULTICAST,
    ipv4: { address: '192.168.1.10', netmask: '255.255.255.0', broadcast: '192.168.1.255' },
  });
  k.addVnet('vnet0');
  return k;
}
