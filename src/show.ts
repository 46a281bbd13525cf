/*
 * Gathering what vnetconfig (and vnet-up after its changes) displays about
 * vnet devices: one RTM_GETLINK dump (kind, flags, MTU, MAC, queue length,
 * dev_get_stats() counters), one RTM_GETADDR dump (the device's IPv4 and
 * IPv6 addresses, or all of them for several devices) and one VNET_CMD_GET
 * dump (the driver's state).  Snapshots, not per-device lookups: a device
 * deleted meanwhile is simply not shown, as `ip -s link` does.  Reads only.
 */
import type { AddressInfo, GenlSocket, LinkInfo, VnetBinding, VnetState } from './binding/types';
import { isSystemError, kernel } from './errors';
import { formatIfconfig } from './format/ifconfig';
import { Json, linkJson } from './format/json';
import { dropLines, receiveLine, relayLine } from './format/relay';
import { shortRow } from './format/short';
import type { Style } from './style';

export interface DeviceView {
  link: LinkInfo;
  /** this device's addresses, IPv4 (primary first) then IPv6 */
  addrs: AddressInfo[];
  state: VnetState;
}

/** Opens the genl socket, runs fn, closes it. */
export function withGenl<T>(b: VnetBinding, fn: (g: GenlSocket) => T): T {
  const g = kernel({}, () => b.openGenl());
  try {
    return fn(g);
  } finally {
    g.close();
  }
}

/**
 * The addresses of `links`: one device's from a dump the kernel filters
 * (in a namespace of a thousand interfaces the whole dump is theirs too),
 * several devices' from one whole dump.  A device deleted meanwhile has none.
 */
function addressesOf(b: VnetBinding, links: LinkInfo[]): AddressInfo[] {
  if (links.length !== 1) return kernel({}, () => b.dumpAddresses());
  return kernel({ dev: links[0].name }, () => {
    try {
      return b.dumpAddresses(links[0].ifindex);
    } catch (e) {
      if (isSystemError(e) && e.code === 'ENODEV') return [];
      throw e;
    }
  });
}

/** The views of `links` (vnet devices from one dump, see vnetLinks()), in their order. */
export function readViews(b: VnetBinding, links: LinkInfo[]): DeviceView[] {
  if (links.length === 0) return [];
  const addrs = addressesOf(b, links);
  const states = new Map(withGenl(b, (g) => kernel({}, () => g.dump())).map((s) => [s.ifindex, s]));
  const views: DeviceView[] = [];
  for (const link of links) {
    const state = states.get(link.ifindex);
    if (!state) continue; // deleted between the dumps
    views.push({ link, addrs: addrs.filter((a) => a.ifindex === link.ifindex), state });
  }
  return views;
}

export function formatDevice(v: DeviceView, withDrops: boolean, style?: Style): string {
  return formatIfconfig({ ...v.link, addrs: v.addrs }, v.link.stats, {
    style,
    extra: [relayLine(v.state), receiveLine(v.state)].filter((l): l is string => l !== undefined),
    trailer: withDrops ? dropLines(v.state.stats) : [],
  });
}

export function formatShort(v: DeviceView): string {
  return shortRow(v.link.name, v.link.mtu, v.link.flags, v.link.stats);
}

export function deviceJson(v: DeviceView, withDrops: boolean): Json {
  return linkJson({ ...v.link, addrs: v.addrs }, v.link.stats, v.state, withDrops);
}
