/*
 * Words for a relay configuration: mode names, durations in plain units,
 * Rubini's insanely lines and plain-English sentences.  Pure functions.
 */
import type { RelayInfo, VnetState, VnetStats } from '../binding/types';
import { MODE_PASS, MODE_PERCENT, MODE_TIME } from '../modes';

export function modeName(mode: number): string {
  switch (mode) {
    case MODE_PASS:
      return 'pass';
    case MODE_PERCENT:
      return 'percent';
    case MODE_TIME:
      return 'time';
    default:
      return `unknown(${mode})`;
  }
}

/** 500 → "500 ms", 1000 → "1 s", 1500 → "1.5 s", 90000 → "90 s". */
export function formatMs(ms: number): string {
  if (ms < 1000) return `${ms} ms`;
  const whole = Math.floor(ms / 1000);
  const frac = String(ms % 1000).padStart(3, '0').replace(/0+$/, '');
  return frac === '' ? `${whole} s` : `${whole}.${frac} s`;
}

/** The width of Rubini's labels: "arguments: " */
const LABEL_WIDTH = 11;

function label(name: string, value: string): string {
  return `${`${name}:`.padEnd(LABEL_WIDTH)}${value}`;
}

/**
 * Rubini's insanely output, aligned as the original printed it
 * ("slave:     eth0"), plus the seed of the drop generator.
 */
export function insanelyLines(info: RelayInfo, seed?: bigint): string[] {
  const lines = [
    label('slave', info.slave === '' ? '(none)' : info.slave),
    label('mode', modeName(info.mode)),
    label('arguments', `${info.arg1} ${info.arg2}`),
  ];
  if (seed !== undefined) lines.push(label('seed', String(seed)));
  return lines;
}

/** What the device does now, as a sentence. */
export function describeRelay(dev: string, info: RelayInfo): string {
  if (info.slave === '') return `${dev} has no slave: it loops packets back (loopback mode)`;
  switch (info.mode) {
    case MODE_PASS:
      return `${dev} relays everything to ${info.slave}`;
    case MODE_PERCENT:
      if (info.arg1 >= 100) return `${dev} relays everything to ${info.slave} (100%)`;
      if (info.arg1 <= 0) return `${dev} drops every packet meant for ${info.slave} (relays 0%)`;
      return `${dev} relays ${info.arg1}% of packets to ${info.slave} (drops ${100 - info.arg1}%)`;
    case MODE_TIME:
      return `${dev} relays to ${info.slave} for ${formatMs(info.arg1)}, then drops for ${formatMs(info.arg2)}, repeating`;
    default:
      return `${dev} relays to ${info.slave} in an unknown mode ${info.mode} (arguments ${info.arg1} ${info.arg2})`;
  }
}

/**
 * What a SET just applied (or, with changed false, what was already
 * there), in plain units.  The seed is shown where it matters: percent
 * mode, or when the user gave one.
 */
export function describeApplied(dev: string, info: RelayInfo, seed?: bigint, changed = true): string {
  const p = changed ? `${dev}: ` : `${dev}: unchanged: `;
  const withSeed = seed === undefined ? '' : ` (seed ${seed})`;
  if (info.slave === '') return `${p}${changed ? 'slave detached: ' : 'no slave: '}looping packets back (loopback mode)`;
  switch (info.mode) {
    case MODE_PASS:
      return `${p}relaying everything to ${info.slave}${withSeed}`;
    case MODE_PERCENT:
      return `${p}relaying ${info.arg1}% of packets to ${info.slave} (dropping ${100 - info.arg1}%)${withSeed}`;
    case MODE_TIME:
      return `${p}relaying to ${info.slave} in time mode: relay ${formatMs(info.arg1)}, drop ${formatMs(info.arg2)}, repeating${withSeed}`;
    default:
      return `${p}mode ${info.mode} ${info.arg1} ${info.arg2} to ${info.slave}${withSeed}`;
  }
}

/**
 * The warning for a slave with strict reverse-path filtering, whose
 * replies from hosts routed through the vnet device are dropped, or
 * undefined.
 */
export function rpFilterWarning(s: VnetState): string[] | undefined {
  if (s.slaveName === '' || s.slaveRpFilter !== 1) return undefined;
  const sl = s.slaveName;
  return [
    `warning: ${sl} has strict reverse-path filtering (rp_filter=1): replies from hosts routed through ${s.ifname} arrive on ${sl} and are dropped`,
    `  (use loose mode: sysctl -w net.ipv4.conf.${sl}.rp_filter=2, and net.ipv4.conf.all.rp_filter must not be 1)`,
  ];
}

export function stateToRelay(s: VnetState): RelayInfo {
  return { slave: s.slaveName, mode: s.mode, arg1: s.arg1, arg2: s.arg2 };
}

/** vnetconfig's relay line (without indentation). */
export function relayLine(s: VnetState): string {
  const slave = s.slaveName === '' ? 'no slave (loopback)' : `slave ${s.slaveName}`;
  return `relay mode ${modeName(s.mode)}  arguments ${s.arg1} ${s.arg2}  ${slave}  seed ${s.seed}`;
}

/** vnetconfig -s: the driver's own counters (ethtool -S names). */
export function dropLines(st: VnetStats): string[] {
  return [
    `TX drops ${st.tx_dropped}  percent ${st.tx_drop_percent}  time ${st.tx_drop_time}  no_slave ${st.tx_drop_no_slave}  slave ${st.tx_drop_slave}`,
    `RX dropped ${st.rx_dropped}  slave_lost ${st.slave_lost}`,
  ];
}
