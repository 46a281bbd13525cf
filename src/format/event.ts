/*
 * vnet-monitor's lines: one per VNET_CMD_EVENT, as text or as one JSON
 * object per line (NDJSON).  Pure functions.
 */
import type { VnetEvent, VnetState } from '../binding/types';
import { ABI } from '../abi';
import { directionName } from '../modes';
import { Json, relayStateJson, vnetStatsJson } from './json';
import { receiveLine, relayLine } from './relay';

export function eventName(event: number): string {
  switch (event) {
    case ABI.VNET_EVENT_CONFIG:
      return 'config';
    case ABI.VNET_EVENT_SLAVE_LOST:
      return 'slave_lost';
    case ABI.VNET_EVENT_STATS_RESET:
      return 'stats_reset';
    case ABI.VNET_EVENT_REVERTED:
      return 'reverted';
    default:
      return `event${event}`;
  }
}

/** Both policies: "relay mode ...; receive mode ..." (the latter from kernels that have it). */
function policies(s: VnetState): string {
  const rx = receiveLine(s);
  return rx === undefined ? relayLine(s) : `${relayLine(s)}; ${rx}`;
}

const DIRECTION_WORDS: Record<string, string> = { tx: 'transmit policy', rx: 'receive policy', both: 'transmit and receive policies' };

/** "vnet0: config: relay mode percent  arguments 80 0  slave eth0  seed 42; receive mode pass ...". */
export function eventLine(e: VnetEvent): string {
  const s = e.state;
  switch (e.event) {
    case ABI.VNET_EVENT_SLAVE_LOST:
      return `${s.ifname}: slave lost: the slave was unregistered; ${policies(s)}`;
    case ABI.VNET_EVENT_STATS_RESET:
      return `${s.ifname}: statistics reset`;
    case ABI.VNET_EVENT_REVERTED: {
      const d = e.direction === undefined ? 'policy' : (DIRECTION_WORDS[directionName(e.direction)] ?? `direction ${e.direction}`);
      return `${s.ifname}: reverted: the ${d} went back to pass (auto-revert); ${policies(s)}`;
    }
    default:
      return `${s.ifname}: ${eventName(e.event)}: ${policies(s)}`;
  }
}

export function eventJson(e: VnetEvent): Json {
  const s = e.state;
  return {
    event: eventName(e.event),
    direction: e.direction === undefined ? undefined : directionName(e.direction),
    ifindex: s.ifindex,
    ifname: s.ifname,
    ...relayStateJson(s),
    slave_ifindex: s.slaveIfindex === 0 ? undefined : s.slaveIfindex,
    slave_rp_filter: s.slaveRpFilter,
    stats: vnetStatsJson(s.stats),
  };
}
