/*
 * ifconfig's long display, in the net-tools 2.10 layout (lib/interface.c,
 * ife_print_long), byte for byte: two spaces between fields, eight spaces
 * of indentation, the single space before "overruns" on the TX errors
 * line, 1024-based units with one truncated decimal, a blank line after
 * each interface.  Pure functions from data to strings.
 */
import type { InterfaceInfo, LinkStats } from '../binding/types';
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
  /** lines appended after the TX errors line (vnetconfig -s) */
  trailer?: string[];
}

export const INDENT = '        ';

/** One interface's block, ending with the blank line. */
export function formatIfconfig(
  info: InterfaceInfo,
  stats: LinkStats | undefined,
  opts: IfconfigOptions = {},
): string {
  const st = opts.style ?? PLAIN;
  const out: string[] = [];
  out.push(`${st.bold(info.name)}: ${formatFlags(info.flags)}  mtu ${info.mtu}`);
  if (info.ipv4) {
    let l = `${INDENT}inet ${info.ipv4.address}  netmask ${info.ipv4.netmask}`;
    if (info.flags & IFF_BROADCAST) l += `  broadcast ${info.ipv4.broadcast ?? '0.0.0.0'}`;
    out.push(l);
  }
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
