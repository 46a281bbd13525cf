/*
 * vnet-monitor's lines: one per VNET_CMD_EVENT, as text or as one JSON
 * object per line (NDJSON).  Pure functions.
 */
import type { VnetEvent } from '../binding/types';
import { ABI } from '../abi';
import { Json, vnetStatsJson } from './json';
import { modeName, relayLine } from './relay';

export function eventName(event: number): string {
  switch (event) {
    case ABI.VNET_EVENT_CONFIG:
      return 'config';
    case ABI.VNET_EVENT_SLAVE_LOST:
      return 'slave_lost';
    case ABI.VNET_EVENT_STATS_RESET:
      return 'stats_reset';
    default:
      return `event${event}`;
  }
}

/** "vnet0: config: relay mode percent  arguments 80 0  slave eth0  seed 42". */
export function eventLine(e: VnetEvent): string {
  const s = e.state;
  switch (e.event) {
    case ABI.VNET_EVENT_SLAVE_LOST:
      return `${s.ifname}: slave lost: the slave was unregistered; ${relayLine(s)}`;
    case ABI.VNET_EVENT_STATS_RESET:
      return `${s.ifname}: statistics reset`;
    default:
      return `${s.ifname}: ${eventName(e.event)}: ${relayLine(s)}`;
  }
}

export function eventJson(e: VnetEvent): Json {
  const s = e.state;
  return {
    event: eventName(e.event),
    ifindex: s.ifindex,
    ifname: s.ifname,
    mode: modeName(s.mode),
    arg1: s.arg1,
    arg2: s.arg2,
    seed: s.seed,
    slave: s.slaveName === '' ? null : s.slaveName,
    slave_ifindex: s.slaveIfindex === 0 ? undefined : s.slaveIfindex,
    slave_rp_filter: s.slaveRpFilter,
    stats: vnetStatsJson(s.stats),
  };
}
