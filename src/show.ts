/*
 * Gathering what vnetconfig (and vnet-up after its changes) displays about
 * one vnet device: the interface (SIOCGIF*), its counters (dev_get_stats)
 * and the driver's state (VNET_CMD_GET).  Reads only.
 */
import type { GenlSocket, InterfaceInfo, LinkStats, VnetBinding, VnetState } from './binding/types';
import { kernel } from './errors';
import { formatIfconfig } from './format/ifconfig';
import { Json, linkJson } from './format/json';
import { dropLines, relayLine } from './format/relay';
import type { Style } from './style';

export interface DeviceView {
  info: InterfaceInfo;
  stats: LinkStats;
  state: VnetState;
}

export function readDevice(b: VnetBinding, genl: GenlSocket, dev: string): DeviceView {
  const info = kernel({ dev }, () => b.getInterface(dev));
  const stats = kernel({ dev }, () => b.linkStats(dev));
  const state = kernel({ dev }, () => genl.get(dev));
  return { info, stats, state };
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

export function formatDevice(v: DeviceView, withDrops: boolean, style?: Style): string {
  return formatIfconfig(v.info, v.stats, {
    style,
    extra: [relayLine(v.state)],
    trailer: withDrops ? dropLines(v.state.stats) : [],
  });
}

export function deviceJson(v: DeviceView, withDrops: boolean): Json {
  return linkJson(v.info, v.stats, v.state, withDrops);
}
