/*
 * Compact JSON with exact 64-bit counters: a bigint is written as its
 * decimal digits (a JSON number), never through a float.  Shapes and key
 * names follow iproute2's `ip -j` where the concept overlaps.
 */
import type { AddressInfo, LinkStats, VnetPolicy, VnetState, VnetStats } from '../binding/types';
import {
  IFF_ALLMULTI,
  IFF_AUTOMEDIA,
  IFF_BROADCAST,
  IFF_DEBUG,
  IFF_DORMANT,
  IFF_DYNAMIC,
  IFF_ECHO,
  IFF_LOOPBACK,
  IFF_LOWER_UP,
  IFF_MASTER,
  IFF_MULTICAST,
  IFF_NOARP,
  IFF_NOTRAILERS,
  IFF_POINTOPOINT,
  IFF_PORTSEL,
  IFF_PROMISC,
  IFF_RUNNING,
  IFF_SLAVE,
  IFF_UP,
} from '../netflags';
import { netmaskToPrefix } from '../parse';
import type { IfconfigInfo } from './ifconfig';
import { gemodelJsonNumbers, modeName } from './policy';

export type Json =
  | null
  | boolean
  | number
  | bigint
  | string
  | Json[]
  | { [key: string]: Json | undefined };

/** JSON.stringify, compact, with bigints written exactly; undefined members are left out. */
export function toJson(v: Json): string {
  if (v === null) return 'null';
  switch (typeof v) {
    case 'bigint':
      return v.toString();
    case 'number':
      return Number.isFinite(v) ? JSON.stringify(v) : 'null';
    case 'boolean':
    case 'string':
      return JSON.stringify(v);
  }
  if (Array.isArray(v)) return `[${v.map(toJson).join(',')}]`;
  const parts: string[] = [];
  for (const [k, val] of Object.entries(v)) {
    if (val === undefined) continue;
    parts.push(`${JSON.stringify(k)}:${toJson(val)}`);
  }
  return `{${parts.join(',')}}`;
}

/** iproute2's print_link_flags order, NO-CARRIER included. */
const IP_FLAGS: ReadonlyArray<[number, string]> = [
  [IFF_LOOPBACK, 'LOOPBACK'],
  [IFF_BROADCAST, 'BROADCAST'],
  [IFF_POINTOPOINT, 'POINTOPOINT'],
  [IFF_MULTICAST, 'MULTICAST'],
  [IFF_NOARP, 'NOARP'],
  [IFF_ALLMULTI, 'ALLMULTI'],
  [IFF_PROMISC, 'PROMISC'],
  [IFF_NOTRAILERS, 'NOTRAILERS'],
  [IFF_DEBUG, 'DEBUG'],
  [IFF_DYNAMIC, 'DYNAMIC'],
  [IFF_AUTOMEDIA, 'AUTOMEDIA'],
  [IFF_PORTSEL, 'PORTSEL'],
  [IFF_MASTER, 'MASTER'],
  [IFF_SLAVE, 'SLAVE'],
  [IFF_UP, 'UP'],
  [IFF_LOWER_UP, 'LOWER_UP'],
  [IFF_DORMANT, 'DORMANT'],
  [IFF_ECHO, 'ECHO'],
];

export function flagsArray(flags: number): string[] {
  const out: string[] = [];
  if (flags & IFF_UP && !(flags & IFF_RUNNING)) out.push('NO-CARRIER');
  for (const [bit, name] of IP_FLAGS) if (flags & bit) out.push(name);
  return out;
}

export function stats64Json(s: LinkStats): Json {
  return {
    rx: {
      bytes: s.rx_bytes,
      packets: s.rx_packets,
      errors: s.rx_errors,
      dropped: s.rx_dropped,
      over_errors: s.rx_over_errors,
      multicast: s.multicast,
    },
    tx: {
      bytes: s.tx_bytes,
      packets: s.tx_packets,
      errors: s.tx_errors,
      dropped: s.tx_dropped,
      carrier_errors: s.tx_carrier_errors,
      collisions: s.collisions,
    },
  };
}

export function vnetStatsJson(s: VnetStats): Json {
  return {
    rx_packets: s.rx_packets,
    rx_bytes: s.rx_bytes,
    tx_packets: s.tx_packets,
    tx_bytes: s.tx_bytes,
    rx_dropped: s.rx_dropped,
    tx_dropped: s.tx_dropped,
    tx_drop_percent: s.tx_drop_percent,
    tx_drop_time: s.tx_drop_time,
    tx_drop_no_slave: s.tx_drop_no_slave,
    tx_drop_slave: s.tx_drop_slave,
    slave_lost: s.slave_lost,
    tx_drop_gemodel: s.tx_drop_gemodel,
    rx_drop_delivery: s.rx_drop_delivery,
    rx_drop_percent: s.rx_drop_percent,
    rx_drop_time: s.rx_drop_time,
    rx_drop_gemodel: s.rx_drop_gemodel,
  };
}

/**
 * One direction's policy: mode, the four arguments as the kernel has
 * them (gemodel's in parts per million), seed, revert_ms (the time left,
 * only while an auto-revert is pending), and for gemodel expected_loss
 * (a fraction) and mean_burst (frames; null when unbounded, absent unless
 * 1-h = 100% and 1-k = 0).
 */
export function policyJson(p: VnetPolicy): { [key: string]: Json | undefined } {
  return {
    mode: modeName(p.mode),
    arg1: p.arg1,
    arg2: p.arg2,
    arg3: p.arg3,
    arg4: p.arg4,
    seed: p.seed,
    revert_ms: p.revertMs,
    ...gemodelJsonNumbers(p),
  };
}

/**
 * A device's relay configuration: its slave (null in loopback mode), the
 * transmit policy at the top level (as before the receive policy
 * existed), the receive policy as `rx` (absent from a kernel without
 * one), the slave's rp_filter.
 */
export function relayStateJson(s: VnetState): { [key: string]: Json | undefined } {
  return {
    slave: s.slaveName === '' ? null : s.slaveName,
    ...policyJson(s),
    rx: s.rx ? policyJson(s.rx) : undefined,
  };
}

/** linkinfo for `ip -d -j link` style output. */
export function linkinfoJson(s: VnetState, withStats: boolean): Json {
  const { slave, ...policies } = relayStateJson(s);
  return {
    info_kind: 'vnet',
    info_data: {
      ...policies,
      slave,
      slave_ifindex: s.slaveIfindex === 0 ? undefined : s.slaveIfindex,
      slave_rp_filter: s.slaveRpFilter,
      stats: withStats ? vnetStatsJson(s.stats) : undefined,
    },
  };
}

const SCOPE_NAMES: Record<number, string> = { 0: 'global', 200: 'site', 253: 'link', 254: 'host' };
/** IFA_F_SECONDARY (IPv4; the same bit is "temporary" for IPv6) */
const IFA_F_SECONDARY = 0x01;

/** One address as `ip -j addr` shows it. */
export function addrJson(a: AddressInfo): Json {
  return {
    family: a.family,
    local: a.local,
    prefixlen: a.prefixlen,
    broadcast: a.broadcast,
    scope: SCOPE_NAMES[a.scope] ?? a.scope,
    secondary: a.family === 'inet' && a.flags & IFA_F_SECONDARY ? true : undefined,
    temporary: a.family === 'inet6' && a.flags & IFA_F_SECONDARY ? true : undefined,
    label: a.label,
  };
}

/** One interface, as `ip -j -s -d addr show` would shape it. */
export function linkJson(
  info: IfconfigInfo,
  stats?: LinkStats,
  state?: VnetState,
  withVnetStats = false,
): Json {
  let addrInfo: Json[] = [];
  if (info.addrs) {
    addrInfo = info.addrs.map(addrJson);
  } else if (info.ipv4) {
    addrInfo = [
      {
        family: 'inet',
        local: info.ipv4.address,
        prefixlen: netmaskToPrefix(info.ipv4.netmask) ?? 32,
        broadcast: info.ipv4.broadcast,
      },
    ];
  }
  return {
    ifindex: info.ifindex,
    ifname: info.name,
    flags: flagsArray(info.flags),
    mtu: info.mtu,
    txqlen: info.txqueuelen,
    link_type: 'ether',
    address: info.mac,
    broadcast: 'ff:ff:ff:ff:ff:ff',
    linkinfo: state ? linkinfoJson(state, withVnetStats) : undefined,
    addr_info: addrInfo,
    stats64: stats ? stats64Json(stats) : undefined,
  };
}
