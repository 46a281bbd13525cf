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
 *  - the module's semantics: a transmit and a receive policy per device
 *    (test/fake-policy.ts: pass, percent, time, gemodel; validation with
 *    the kernel's extack texts, arguments read back as 0 when ignored,
 *    reseeding on every SET, auto-revert on the fake clock with a
 *    REVERTED event), relay validation (EINVAL / ENODEV / ELOOP / EBUSY),
 *    several vnet devices sharing a slave, adopting a slave (its MAC, ARP
 *    on, MTU capped) and letting it go, slave loss on unregister, events
 *    to subscribed sockets, EPERM for mutating commands when
 *    unprivileged, ENOENT when not loaded;
 *  - ifconfig's view: SIOCSIFADDR's classful netmask and broadcast,
 *    SIOCSIFFLAGS's changeable flags, RUNNING from the carrier, MTU range.
 *
 * Programmable: add/remove devices, set or add counters, simulate traffic
 * (transmit(), and receive() of frames for a device's address),
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
import { ABI } from '../src/abi';
import type {
  AddressInfo,
  AddressSpec,
  EchoSocket,
  GenlSocket,
  InterfaceInfo,
  LinkInfo,
  LinkStats,
  RelayInfo,
  VnetBinding,
  VnetEvent,
  VnetState,
  VnetStats,
} from '../src/binding/types';
import { ifnameArg, INT32_MAX, intArg, relayInfoArg, str } from './fake-args';
import { later } from './fake-async';
import { FakeCalls } from './fake-calls';
import { FakeEchoSocket } from './fake-echo';
import { FakeGenlSocket } from './fake-genl';
import * as iface from './fake-iface';
import { Direction, FakePolicy, newPolicy, PolicyRequest, policyState } from './fake-policy';
import * as relaying from './fake-relay';
import * as rtnl from './fake-rtnl';
import {
  ETH_MAX_MTU,
  ETH_MIN_MTU,
  FakeDevice,
  FakeDeviceOptions,
  FakeVnetOptions,
  IFF_BROADCAST,
  IFF_LOOPBACK,
  IFF_LOWER_UP,
  IFF_MULTICAST,
  IFF_NOARP,
  IFF_RUNNING,
  IFF_UP,
  sysErr,
  zeroLinkStats,
  zeroVnetStats,
} from './fake-types';

export * from './fake-types';
export { FakeGenlSocket } from './fake-genl';

// ----------------------------------------------------------------- the fake

export class FakeBinding extends FakeCalls implements VnetBinding {
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
  /** false: openGenl() fails with ENOENT (genl_ctrl_resolve), as without the module */
  moduleLoaded = true;
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
  private readonly sockets = new Set<FakeGenlSocket>();
  private nextIfindex = 1;

  constructor() {
    super();
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
    const { relay, rx, seed, stats, ...devOpts } = opts;
    const d = this.addDevice(name, {
      driver: 'vnet',
      flags: IFF_BROADCAST | IFF_MULTICAST | IFF_NOARP,
      maxMtu: ETH_MAX_MTU,
      mac: `02:76:6e:00:00:${(this.nextIfindex & 0xff).toString(16).padStart(2, '0')}`,
      ...devOpts,
    });
    const s = seed ?? this.seedSource();
    const { slave, ...tx } = relay ?? {};
    d.vnet = {
      slave: '',
      tx: newPolicy(s, this.clockMs, tx),
      rx: newPolicy(rx?.seed ?? this.seedSource(), this.clockMs, rx),
      stats: { ...zeroVnetStats(), ...stats },
      ownMac: d.mac,
    };
    if (slave) relaying.adopt(this, d, this.device(slave));
    return d;
  }

  /**
   * Sets a vnet device's state directly, as if the kernel had it already
   * (no validation, no event; an auto-revert as `revertAt` on the fake
   * clock): the slave (without adopting it: MAC and flags stay), and
   * members of either policy.
   */
  configure(name: string, c: { slave?: string; tx?: Partial<FakePolicy>; rx?: Partial<FakePolicy> }): void {
    const v = this.vnetOf(name);
    if (c.slave !== undefined) v.slave = c.slave;
    Object.assign(v.tx, c.tx);
    Object.assign(v.rx, c.rx);
  }

  /** Unregisters a device; vnet devices relaying to it fall back to loopback mode. */
  removeDevice(name: string): void {
    this.device(name);
    this.devices.delete(name);
    for (const v of this.devices.values()) {
      if (v.vnet && v.vnet.slave === name) {
        relaying.release(this, v);
        v.vnet.stats.slave_lost += 1n;
        this.emit(v, ABI.VNET_EVENT_SLAVE_LOST);
      }
    }
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
   * Simulates `count` frames of `bytes` sent through a vnet device: looped
   * back, or relayed through its transmit policy (fake-relay.ts).
   */
  transmit(name: string, count = 1, bytes = 98): void {
    relaying.transmit(this, name, count, bytes);
  }

  /**
   * Simulates `count` frames of `bytes` for a vnet device's own address
   * arriving on its slave, through its receive policy (fake-relay.ts).
   */
  receive(name: string, count = 1, bytes = 98): void {
    relaying.receive(this, name, count, bytes);
  }

  /** The auto-revert work: reverts due on the fake clock happen now (fake-relay.ts). */
  fireReverts(): void {
    relaying.fireReverts(this);
  }

  /** The earliest pending auto-revert of this namespace. */
  nextRevert(): { d: FakeDevice; dir: Direction; at: number } | undefined {
    return relaying.nextRevert(this);
  }

  /** Multicasts a VNET_CMD_EVENT about a vnet device to subscribed sockets. */
  emitEvent(name: string, event: number): void {
    this.emit(this.device(name), event);
  }

  // ------------------------------------------------------ inspection

  /** The auto-revert work ran when it was due: before any call is taken. */
  protected beforeCall(): void {
    this.fireReverts();
  }

  /** GenlSockets opened and not closed. */
  openSocketCount(): number {
    return [...this.sockets].filter((s) => !s.closed).length;
  }

  // ------------------------------------------------------ VnetBinding

  getInterface(ifname: string): InterfaceInfo {
    return iface.getInterface(this, ifname);
  }

  listInterfaces(): string[] {
    this.enter('listInterfaces', [], () => undefined);
    return [...this.devices.values()].sort((a, b) => a.ifindex - b.ifindex).map((d) => d.name);
  }

  setAddress(ifname: string, address: string): void {
    iface.setAddress(this, ifname, address);
  }

  setNetmask(ifname: string, netmask: string): void {
    iface.setNetmask(this, ifname, netmask);
  }

  setMtu(ifname: string, mtu: number): void {
    iface.setMtu(this, ifname, mtu);
  }

  changeFlags(ifname: string, set: number, clear: number): number {
    return iface.changeFlags(this, ifname, set, clear);
  }

  driverName(ifname: string): string {
    return iface.driverName(this, ifname);
  }

  linkStats(ifname: string): LinkStats {
    const name = this.enter('linkStats', [ifname], () => ifnameArg(ifname));
    return this.statsOf(this.lookup(name, 'rtnl RTM_GETLINK'));
  }

  /** dev_get_stats(): the core's counters plus a vnet device's own (fake-iface.ts). */
  statsOf(d: FakeDevice): LinkStats {
    return iface.statsOf(d);
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
    const [name, ri] = this.enter('setRelay', [ifname, info], () => [ifnameArg(ifname), relayInfoArg(info)] as const);
    const d = this.privateIoctl(name, 1);
    this.needAdmin('ioctl(SIOCDEVPRIVATE+1)', name);
    // The ioctl path has no extack; it sets the transmit policy.
    this.relaySet(d, ri, undefined, 'ioctl(SIOCDEVPRIVATE+1)', name, false);
  }

  getRelay(ifname: string): RelayInfo {
    const name = this.enter('getRelay', [ifname], () => ifnameArg(ifname));
    const d = this.privateIoctl(name, 2);
    const { slave, tx } = d.vnet!;
    return { slave, mode: tx.mode, arg1: tx.arg1, arg2: tx.arg2 };
  }

  openGenl(): GenlSocket {
    this.resolveFamily('openGenl');
    const s = new FakeGenlSocket(this);
    this.sockets.add(s);
    return s;
  }

  /** genl_ctrl_resolve(): ENOENT without the module. */
  private resolveFamily(method: string): void {
    this.enter(method, [], () => undefined);
    if (!this.moduleLoaded) {
      throw sysErr('ENOENT', 'genl_ctrl_resolve', {
        detail: `generic netlink family '${ABI.VNET_GENL_NAME}' is not registered: is the vnet module loaded?`,
      });
    }
  }

  openEcho(): EchoSocket {
    this.resolveFamily('openEcho');
    const s = new FakeEchoSocket(this);
    this.echoSockets.push(s);
    return s;
  }

  setBroadcast(ifname: string, address: string): void {
    iface.setBroadcast(this, ifname, address);
  }

  setTxqueuelen(ifname: string, txqueuelen: number): void {
    iface.setTxqueuelen(this, ifname, txqueuelen);
  }

  setHwAddress(ifname: string, mac: string): void {
    iface.setHwAddress(this, ifname, mac);
  }

  addAddress(ifname: string, addr: AddressSpec): void {
    rtnl.request(this, 'addAddress', ifname, addr);
  }

  delAddress(ifname: string, addr: AddressSpec): void {
    rtnl.request(this, 'delAddress', ifname, addr);
  }

  dumpLinks(kind?: string): LinkInfo[] {
    const k = this.enter('dumpLinks', kind === undefined ? [] : [kind], () => (kind === undefined ? undefined : str(kind, 'kind')));
    const all = rtnl.dumpLinks(this);
    return k ? all.filter((l) => l.kind === k) : all;
  }

  dumpAddresses(ifindex?: number): AddressInfo[] {
    const i = this.enter('dumpAddresses', ifindex === undefined ? [] : [ifindex], () =>
      ifindex === undefined ? undefined : intArg(ifindex, 'ifindex', 1, INT32_MAX),
    );
    if (i === undefined) return rtnl.dumpAddresses(this);
    if (![...this.devices.values()].some((d) => d.ifindex === i)) throw sysErr('ENODEV', 'rtnl RTM_GETADDR', {});
    return rtnl.dumpAddresses(this).filter((a) => a.ifindex === i);
  }

  enterNetns(name: string): void {
    rtnl.enterNetns(this, name);
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

  lookup(name: string, syscall: string): FakeDevice {
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

  vnetOf(name: string): NonNullable<FakeDevice['vnet']> {
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

  running(d: FakeDevice): boolean {
    if (!(d.flags & IFF_UP)) return false;
    if (d.vnet?.slave) {
      const s = this.devices.get(d.vnet.slave);
      return !!s && this.running(s);
    }
    return d.carrier;
  }

  flagsOf(d: FakeDevice): number {
    return (d.flags & ~IFF_RUNNING) | (this.running(d) ? IFF_RUNNING : 0);
  }

  /** rtnetlink's 32 bits: LOWER_UP while running with carrier. */
  linkFlags(d: FakeDevice): number {
    return this.flagsOf(d) | (this.running(d) ? IFF_LOWER_UP : 0);
  }

  /** vnet_relay_set() (fake-relay.ts). */
  relaySet(
    d: FakeDevice,
    req: PolicyRequest & { slave?: string | number },
    seed: bigint | undefined,
    syscall: string,
    ifname: string | undefined,
    withExtack: boolean,
  ): void {
    relaying.relaySet(this, d, req, seed, syscall, ifname, withExtack);
  }

  state(d: FakeDevice): VnetState {
    const v = d.vnet!;
    const s = v.slave ? this.devices.get(v.slave) : undefined;
    return {
      ifindex: d.ifindex,
      ifname: d.name,
      ...policyState(v.tx, this.clockMs),
      rx: policyState(v.rx, this.clockMs),
      slaveIfindex: s ? s.ifindex : 0,
      slaveName: s ? s.name : '',
      ...(s ? { slaveRpFilter: s.rpFilter ?? 0 } : {}),
      stats: { ...v.stats },
    };
  }

  emit(d: FakeDevice, event: number, direction?: number): void {
    if (!d.vnet) return;
    const ev: VnetEvent = { event, ...(direction === undefined ? {} : { direction }), state: this.state(d) };
    for (const s of this.sockets) s.deliver(ev);
  }

  forget(s: FakeGenlSocket): void {
    this.sockets.delete(s);
  }
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
