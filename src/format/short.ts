/*
 * ifconfig -s: net-tools 2.10's short table (lib/interface.c,
 * ife_print_short, and the header ifconfig prints), byte for byte: one
 * line per interface with its MTU, RX/TX packet, error, drop and overrun
 * counts and one letter per flag.
 */
import type { LinkStats } from '../binding/types';
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

export const SHORT_HEADER = 'Iface             MTU    RX-OK RX-ERR RX-DRP RX-OVR    TX-OK TX-ERR TX-DRP TX-OVR Flg';

/** ife_print_short's letters, in its order (P twice: PROMISC, POINTOPOINT). */
const LETTERS: ReadonlyArray<[number, string]> = [
  [IFF_ALLMULTI, 'A'],
  [IFF_BROADCAST, 'B'],
  [IFF_DEBUG, 'D'],
  [IFF_LOOPBACK, 'L'],
  [IFF_MULTICAST, 'M'],
  [IFF_DYNAMIC, 'd'],
  [IFF_PROMISC, 'P'],
  [IFF_NOTRAILERS, 'N'],
  [IFF_NOARP, 'O'],
  [IFF_POINTOPOINT, 'P'],
  [IFF_SLAVE, 's'],
  [IFF_MASTER, 'm'],
  [IFF_RUNNING, 'R'],
  [IFF_UP, 'U'],
];

export function shortFlags(allFlags: number): string {
  const flags = allFlags & 0xffff; // SIOCGIFFLAGS' 16 bits, as net-tools has them
  if (flags === 0) return '[NO FLAGS]';
  return LETTERS.filter(([bit]) => flags & bit).map(([, l]) => l).join('');
}

const r = (v: bigint | number, w: number): string => String(v).padStart(w);
const l = (v: bigint | number | string, w: number): string => String(v).padEnd(w);

/** One row: "%-15.15s %5d %8llu %6lu %6lu %-6lu %8llu %6lu %6lu %6lu FLAGS". */
export function shortRow(name: string, mtu: number, flags: number, s: LinkStats): string {
  return (
    `${l(Array.from(name).slice(0, 15).join(''), 15)} ${r(mtu, 5)} ` +
    `${r(s.rx_packets, 8)} ${r(s.rx_errors, 6)} ${r(s.rx_dropped, 6)} ${l(s.rx_fifo_errors, 6)} ` +
    `${r(s.tx_packets, 8)} ${r(s.tx_errors, 6)} ${r(s.tx_dropped, 6)} ${r(s.tx_fifo_errors, 6)} ` +
    shortFlags(flags)
  );
}
