/*
 * Words for a device's relay configuration (its slave and both drop
 * policies): Rubini's insanely lines, plain-English sentences, what a SET
 * applied, vnetconfig's relay lines and drop counters.  Pure functions;
 * one direction's words are in ./policy.ts.
 */
import type { VnetPolicy, VnetState, VnetStats } from '../binding/types';
import type { Direction } from '../modes';
import {
  argsText,
  formatLeft,
  modeName,
  revertText,
  rxApplied,
  rxSentence,
  seeded,
  txApplied,
  txSentence,
} from './policy';

export { formatMs, modeName } from './policy';

/** The width of Rubini's labels: "arguments: " */
const LABEL_WIDTH = 11;

function label(name: string, value: string): string {
  return `${`${name}:`.padEnd(LABEL_WIDTH)}${value}`;
}

/**
 * Rubini's insanely lines, aligned as the original printed them
 * ("slave:     eth0"), for the transmit policy, with its seed and the
 * time left of an auto-revert; then the receive policy's ("rx mode:"),
 * when the kernel has one.
 */
export function insanelyLines(s: VnetState): string[] {
  const lines = [
    label('slave', s.slaveName === '' ? '(none)' : s.slaveName),
    label('mode', modeName(s.mode)),
    label('arguments', argsText(s)),
    label('seed', String(s.seed)),
  ];
  if (s.revertMs !== undefined) lines.push(label('revert', `in ${formatLeft(s.revertMs)}`));
  if (s.rx) {
    lines.push(label('rx mode', modeName(s.rx.mode)), label('rx args', argsText(s.rx)), label('rx seed', String(s.rx.seed)));
    if (s.rx.revertMs !== undefined) lines.push(label('rx revert', `in ${formatLeft(s.rx.revertMs)}`));
  }
  return lines;
}

/** What the device does now, a sentence per direction (the receive one only with a slave). */
export function describeState(s: VnetState): string[] {
  const dev = s.ifname;
  if (s.slaveName === '') return [`${dev} has no slave: it loops packets back (loopback mode)`];
  const out = [`${txSentence(dev, s.slaveName, s)}${revertText(s)}`];
  if (s.rx) out.push(`${rxSentence(dev, s.slaveName, s.rx)}${revertText(s.rx)}`);
  return out;
}

/** The policies a SET of `dir` set: [which, policy] pairs (the receive one absent from an old kernel's reply). */
export function setPolicies(s: VnetState, dir: Direction): ['tx' | 'rx', VnetPolicy][] {
  const out: ['tx' | 'rx', VnetPolicy][] = [];
  if (dir !== 'rx') out.push(['tx', s]);
  if (dir !== 'tx' && s.rx) out.push(['rx', s.rx]);
  return out;
}

/**
 * What a SET just applied to `dir` (or, with changed false, what was
 * already there), a line per direction, in plain units: the seed where
 * it matters (percent and gemodel, or when the user gave one), and the
 * time left when the kernel will set it back to pass.
 */
export function appliedLines(s: VnetState, dir: Direction, changed: boolean, seedGiven: boolean): string[] {
  const p = changed ? `${s.ifname}: ` : `${s.ifname}: unchanged: `;
  if (s.slaveName === '') return [`${p}${changed ? 'slave detached: ' : 'no slave: '}looping packets back (loopback mode)`];
  return setPolicies(s, dir).map(([which, pol]) => {
    const what = which === 'tx' ? txApplied(s.slaveName, pol) : rxApplied(s.slaveName, pol);
    const seed = seedGiven || seeded(pol) ? ` (seed ${pol.seed})` : '';
    return `${p}${what}${seed}${revertText(pol)}`;
  });
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

const revertWords = (p: VnetPolicy): string => (p.revertMs === undefined ? '' : `  revert in ${formatLeft(p.revertMs)}`);

/** vnetconfig's relay line (without indentation): the slave and the transmit policy. */
export function relayLine(s: VnetState): string {
  const slave = s.slaveName === '' ? 'no slave (loopback)' : `slave ${s.slaveName}`;
  return `relay mode ${modeName(s.mode)}  arguments ${argsText(s)}  ${slave}  seed ${s.seed}${revertWords(s)}`;
}

/** vnetconfig's receive-policy line, or undefined from a kernel without one. */
export function receiveLine(s: VnetState): string | undefined {
  const rx = s.rx;
  if (!rx) return undefined;
  return `receive mode ${modeName(rx.mode)}  arguments ${argsText(rx)}  seed ${rx.seed}${revertWords(rx)}`;
}

/** vnetconfig -d: the driver's own counters by reason (ethtool -S names). */
export function dropLines(st: VnetStats): string[] {
  return [
    `TX drops ${st.tx_dropped}  percent ${st.tx_drop_percent}  time ${st.tx_drop_time}  gemodel ${st.tx_drop_gemodel}  no_slave ${st.tx_drop_no_slave}  slave ${st.tx_drop_slave}`,
    `RX drops ${st.rx_dropped}  percent ${st.rx_drop_percent}  time ${st.rx_drop_time}  gemodel ${st.rx_drop_gemodel}  delivery ${st.rx_drop_delivery}`,
    `slave_lost ${st.slave_lost}`,
  ];
}
