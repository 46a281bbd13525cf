/*
 * ifconfig's long display, in the net-tools 2.10 layout (lib/interface.c,
 * ife_print_long), byte for byte: two spaces between fields, eight spaces
 * of indentation, the single space before "overruns" on the TX errors
 * line, 1024-based units with one truncated decimal, a blank line after
 * each interface.  Pure functions from data to strings.
 */
import type { AddressInfo, LinkStats } from '../binding/types';
import {
  IFF_ALLMULTI,
  IFF_BROADCAST,
  IFF_DEBUG,
  IFF_DYNAMIC,
  IFF_LOOPBACK,
  IFF_MASTER,
  IFF_MULTICAST,
  IFF_NOARP,
  IFF_NOTRAILERS,
  IFF_POINTOPOINT,
  IFF_PROMISC,
  IFF_RUNNING,
  IFF_SLAVE,
  IFF_UP,
} from '../netflags';
import { prefixToNetmask } from '../parse';
import { PLAIN, Style } from '../style';

/** ife_print_long's order. */
const IFCONFIG_FLAGS: ReadonlyArray<[number, string]> = [
  [IFF_UP, 'UP'],
  [IFF_BROADCAST, 'BROADCAST'],
  [IFF_DEBUG, 'DEBUG'],
  [IFF_LOOPBACK, 'LOOPBACK'],
  [IFF_POINTOPOINT, 'POINTOPOINT'],
  [IFF_NOTRAILERS, 'NOTRAILERS'],
  [IFF_RUNNING, 'RUNNING'],
  [IFF_NOARP, 'NOARP'],
  [IFF_PROMISC, 'PROMISC'],
  [IFF_ALLMULTI, 'ALLMULTI'],
  [IFF_SLAVE, 'SLAVE'],
  [IFF_MASTER, 'MASTER'],
  [IFF_MULTICAST, 'MULTICAST'],
  [IFF_DYNAMIC, 'DYNAMIC'],
];

/**
 * "flags=4163<UP,BROADCAST,RUNNING,MULTICAST>", including net-tools'
 * quirk of dropping the last character when no named flag is set
 * ("flags=0<").  The flags are cut to SIOCGIFFLAGS' 16 bits, as net-tools
 * has them.
 */
export function formatFlags(allFlags: number): string {
  // net-tools reads SIOCGIFFLAGS: 16 bits, so never LOWER_UP, DORMANT, ECHO
  const flags = allFlags & 0xffff;
  let s = `flags=${flags}<`;
  if (flags === 0) s += '>';
  for (const [bit, name] of IFCONFIG_FLAGS) if (flags & bit) s += `${name},`;
  return s.endsWith(',') ? `${s.slice(0, -1)}>` : s.slice(0, -1);
}

const UNITS: ReadonlyArray<[bigint, string]> = [
  [1n << 50n, 'PiB'],
  [1n << 40n, 'TiB'],
  [1n << 30n, 'GiB'],
  [1n << 20n, 'MiB'],
  [1n << 10n, 'KiB'],
];

/** "(1.2 KiB)" without the parentheses: net-tools 2.10's arithmetic, exactly. */
export function humanBytes(n: bigint): string {
  let tenths = n * 10n;
  let unit = 'B';
  if (n > 1n << 60n) {
    tenths = n / 115292150460684697n;
    unit = 'EiB';
  } else {
    for (const [size, name] of UNITS) {
      if (n > size) {
        tenths /= size;
        unit = name;
        break;
      }
    }
  }
  return `${tenths / 10n}.${tenths % 10n} ${unit}`;
}

export interface IfconfigOptions {
  style?: Style;
  /** lines inserted after the ether line (vnet's relay line) */
  extra?: string[];
  /** lines appended after the TX errors line (vnetconfig -d) */
  trailer?: string[];
}

/** What the long display shows of an interface. */
export interface IfconfigInfo {
  name: string;
  ifindex?: number;
  flags: number;
  mtu: number;
  mac: string;
  txqueuelen: number;
  /** the one address SIOCGIFADDR knows (used when `addrs` is absent) */
  ipv4?: { address: string; netmask: string; broadcast?: string };
  /** every address, IPv4 and IPv6, from an RTM_GETADDR dump */
  addrs?: AddressInfo[];
}

export const INDENT = '        ';

/** net-tools' IPv6 scope bits (/proc/net/if_inet6) from an RT_SCOPE_*. */
function scopeId(rtScope: number): [number, string] {
  switch (rtScope) {
    case 254:
      return [0x10, 'host'];
    case 253:
      return [0x20, 'link'];
    case 200:
      return [0x40, 'site'];
    default:
      return [0, 'global'];
  }
}

/** The inet and inet6 lines (without indentation), in ife_print_long's order. */
export function addressLines(info: IfconfigInfo): string[] {
  const out: string[] = [];
  const brd = (b?: string): string => (info.flags & IFF_BROADCAST ? `  broadcast ${b ?? '0.0.0.0'}` : '');
  if (!info.addrs) {
    if (info.ipv4) out.push(`inet ${info.ipv4.address}  netmask ${info.ipv4.netmask}${brd(info.ipv4.broadcast)}`);
    return out;
  }
  for (const a of info.addrs.filter((x) => x.family === 'inet')) {
    out.push(`inet ${a.local}  netmask ${prefixToNetmask(a.prefixlen)}${brd(a.broadcast)}`);
  }
  for (const a of info.addrs.filter((x) => x.family === 'inet6')) {
    const [id, name] = scopeId(a.scope);
    out.push(`inet6 ${a.local}  prefixlen ${a.prefixlen}  scopeid 0x${id.toString(16)}<${name}>`);
  }
  return out;
}

/** One interface's block, ending with the blank line. */
export function formatIfconfig(
  info: IfconfigInfo,
  stats: LinkStats | undefined,
  opts: IfconfigOptions = {},
): string {
  const st = opts.style ?? PLAIN;
  const out: string[] = [];
  out.push(`${st.bold(info.name)}: ${formatFlags(info.flags)}  mtu ${info.mtu}`);
  for (const l of addressLines(info)) out.push(INDENT + l);
  out.push(`${INDENT}ether ${info.mac}  txqueuelen ${info.txqueuelen}  (Ethernet)`);
  for (const l of opts.extra ?? []) out.push(INDENT + l);
  if (stats) {
    out.push(
      `${INDENT}RX packets ${stats.rx_packets}  bytes ${stats.rx_bytes} (${humanBytes(stats.rx_bytes)})`,
      `${INDENT}RX errors ${stats.rx_errors}  dropped ${stats.rx_dropped}  overruns ${stats.rx_fifo_errors}  frame ${stats.rx_frame_errors}`,
      `${INDENT}TX packets ${stats.tx_packets}  bytes ${stats.tx_bytes} (${humanBytes(stats.tx_bytes)})`,
      `${INDENT}TX errors ${stats.tx_errors}  dropped ${stats.tx_dropped} overruns ${stats.tx_fifo_errors}  carrier ${stats.tx_carrier_errors}  collisions ${stats.collisions}`,
    );
  }
  for (const l of opts.trailer ?? []) out.push(INDENT + l);
  out.push('');
  return out.join('\n') + '\n';
}
