/*
 * The fake kernel's shared vocabulary (test/fake-binding.ts and its
 * parts): IFF_* flags, the device model, call records and error
 * injection, zeroed counters, and errors shaped as the addon's.
 */
import { VnetSystemError } from '../src/binding/errors';
import type { LinkStats, RelayInfo, VnetStats } from '../src/binding/types';
import type { FakePolicy } from './fake-policy';
import type { FakeAddr } from './fake-rtnl';

// ---------------------------------------------------------------- constants

export const IFF_UP = 0x1;
export const IFF_BROADCAST = 0x2;
export const IFF_LOOPBACK = 0x8;
export const IFF_RUNNING = 0x40;
export const IFF_LOWER_UP = 0x10000;
export const IFF_NOARP = 0x80;
export const IFF_MULTICAST = 0x1000;
/** What SIOCSIFFLAGS may change (dev_change_flags); the rest is kept. */
export const IFF_CHANGEABLE = 0x1 | 0x4 | 0x20 | 0x80 | 0x100 | 0x200 | 0x1000 | 0x2000 | 0x4000 | 0x8000;

export const ETH_MIN_MTU = 68;
export const ETH_MAX_MTU = 65535;

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
  /** has an rx_handler of another kind already (bridge port, bond slave,
   * macvlan lower device): vnet devices share a slave (a port), not these */
  busy: boolean;
  /** vnet devices only */
  vnet?: FakeVnet;
}

/** A vnet device's own state: its slave and its two policies (fake-policy.ts). */
export interface FakeVnet {
  /** "" = loopback mode */
  slave: string;
  tx: FakePolicy;
  rx: FakePolicy;
  stats: VnetStats;
  ownMac: string;
}

export type FakeDeviceOptions = Partial<Omit<FakeDevice, 'link' | 'vnet'>> & {
  link?: Partial<LinkStats>;
};

export interface FakeVnetOptions extends FakeDeviceOptions {
  /** the slave and the transmit policy */
  relay?: Partial<RelayInfo> & Partial<FakePolicy>;
  /** the receive policy */
  rx?: Partial<FakePolicy>;
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

export interface Injection {
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
    tx_drop_gemodel: 0n,
    rx_drop_delivery: 0n,
    rx_drop_percent: 0n,
    rx_drop_time: 0n,
    rx_drop_gemodel: 0n,
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

export function copyArg(a: unknown): unknown {
  return typeof a === 'object' && a !== null ? { ...(a as object) } : a;
}

export function defaultSyscall(call: FakeCall): string {
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
