/*
 * Words for one direction's drop policy: mode names, durations, gemodel's
 * probabilities with its expected loss and mean burst, the time left of
 * an auto-revert, and the sentences that say what a direction does (now,
 * or as just applied).  Pure functions.
 */
import type { VnetPolicy } from '../binding/types';
import { gemodelNumbers } from '../gemodel';
import { MODE_GEMODEL, MODE_PASS, MODE_PERCENT, MODE_TIME } from '../modes';

export function modeName(mode: number): string {
  switch (mode) {
    case MODE_PASS:
      return 'pass';
    case MODE_PERCENT:
      return 'percent';
    case MODE_TIME:
      return 'time';
    case MODE_GEMODEL:
      return 'gemodel';
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

/** Time left of an auto-revert: exact below a second, else rounded up to a tenth ("25.4 s"). */
export function formatLeft(ms: number): string {
  return formatMs(ms < 1000 ? ms : Math.ceil(ms / 100) * 100);
}

/** Parts per million as an exact percentage: 10000 → "1%", 5000 → "0.5%", 1 → "0.0001%". */
export function ppmText(ppm: number): string {
  const whole = Math.floor(ppm / 10000);
  const frac = String(ppm % 10000).padStart(4, '0').replace(/0+$/, '');
  return `${whole}${frac === '' ? '' : `.${frac}`}%`;
}

/** Three significant digits, no exponent, no trailing zeros: 4.7619 → "4.76", 5 → "5". */
function sig3(x: number): string {
  if (x === 0) return '0';
  const digits = Math.max(0, 2 - Math.floor(Math.log10(Math.abs(x))));
  return String(Number(x.toFixed(Math.min(digits, 20))));
}

/** An expected loss (fraction) as a percentage: 0.047619 → "4.76%". */
export function lossText(fraction: number): string {
  return `${sig3(fraction * 100)}%`;
}

/** gemodel's parameters, netem's names: "p 1%, r 20%, 1-h 100%, 1-k 0%". */
export function gemodelParams(p: VnetPolicy): string {
  return `p ${ppmText(p.arg1)}, r ${ppmText(p.arg2)}, 1-h ${ppmText(p.arg3)}, 1-k ${ppmText(p.arg4)}`;
}

/** "expected loss 4.76%, mean burst 5 frames" (the burst only where it is 1/r: 1-h = 100%, 1-k = 0). */
export function gemodelSummary(p: VnetPolicy): string {
  const n = gemodelNumbers(p.arg1, p.arg2, p.arg3, p.arg4);
  let s = `expected loss ${lossText(n.loss)}`;
  if (n.meanBurst !== undefined) {
    s += n.meanBurst === Infinity ? ', bursts unbounded (r = 0)' : `, mean burst ${sig3(n.meanBurst)} frames`;
  }
  return s;
}

/** "80 0" as Rubini printed the arguments; gemodel's four. */
export function argsText(p: VnetPolicy): string {
  return p.mode === MODE_GEMODEL ? `${p.arg1} ${p.arg2} ${p.arg3} ${p.arg4}` : `${p.arg1} ${p.arg2}`;
}

/** "; back to pass in 25.4 s" while an auto-revert is pending, else "". */
export function revertText(p: VnetPolicy): string {
  return p.revertMs === undefined ? '' : `; back to pass in ${formatLeft(p.revertMs)}`;
}

const burst = (p: VnetPolicy): string => `with burst loss (gemodel ${gemodelParams(p)}): ${gemodelSummary(p)}`;

/** What the transmit policy does now: "vnet0 relays 80% of packets to eth0 (drops 20%)". */
export function txSentence(dev: string, slave: string, p: VnetPolicy): string {
  switch (p.mode) {
    case MODE_PASS:
      return `${dev} relays everything to ${slave}`;
    case MODE_PERCENT:
      if (p.arg1 >= 100) return `${dev} relays everything to ${slave} (100%)`;
      if (p.arg1 <= 0) return `${dev} drops every packet meant for ${slave} (relays 0%)`;
      return `${dev} relays ${p.arg1}% of packets to ${slave} (drops ${100 - p.arg1}%)`;
    case MODE_TIME:
      return `${dev} relays to ${slave} for ${formatMs(p.arg1)}, then drops for ${formatMs(p.arg2)}, repeating`;
    case MODE_GEMODEL:
      return `${dev} relays to ${slave} ${burst(p)}`;
    default:
      return `${dev} relays to ${slave} in an unknown mode ${p.mode} (arguments ${argsText(p)})`;
  }
}

/** What the receive policy does now: "vnet0 delivers 80% of what it receives from eth0 (drops 20%)". */
export function rxSentence(dev: string, slave: string, p: VnetPolicy): string {
  switch (p.mode) {
    case MODE_PASS:
      return `${dev} delivers everything it receives from ${slave}`;
    case MODE_PERCENT:
      if (p.arg1 >= 100) return `${dev} delivers everything it receives from ${slave} (100%)`;
      if (p.arg1 <= 0) return `${dev} drops everything it receives from ${slave} (delivers 0%)`;
      return `${dev} delivers ${p.arg1}% of what it receives from ${slave} (drops ${100 - p.arg1}%)`;
    case MODE_TIME:
      return `${dev} delivers what it receives from ${slave} for ${formatMs(p.arg1)}, then drops for ${formatMs(p.arg2)}, repeating`;
    case MODE_GEMODEL:
      return `${dev} delivers what it receives from ${slave} ${burst(p)}`;
    default:
      return `${dev} receives from ${slave} in an unknown mode ${p.mode} (arguments ${argsText(p)})`;
  }
}

/** What a SET just applied to the transmit policy: "relaying 80% of packets to eth0 (dropping 20%)". */
export function txApplied(slave: string, p: VnetPolicy): string {
  switch (p.mode) {
    case MODE_PASS:
      return `relaying everything to ${slave}`;
    case MODE_PERCENT:
      return `relaying ${p.arg1}% of packets to ${slave} (dropping ${100 - p.arg1}%)`;
    case MODE_TIME:
      return `relaying to ${slave} in time mode: relay ${formatMs(p.arg1)}, drop ${formatMs(p.arg2)}, repeating`;
    case MODE_GEMODEL:
      return `relaying to ${slave} ${burst(p)}`;
    default:
      return `mode ${p.mode} ${argsText(p)} to ${slave}`;
  }
}

/** What a SET just applied to the receive policy: "delivering 80% of packets received from eth0 (dropping 20%)". */
export function rxApplied(slave: string, p: VnetPolicy): string {
  switch (p.mode) {
    case MODE_PASS:
      return `delivering everything received from ${slave}`;
    case MODE_PERCENT:
      return `delivering ${p.arg1}% of packets received from ${slave} (dropping ${100 - p.arg1}%)`;
    case MODE_TIME:
      return `delivering packets received from ${slave} in time mode: deliver ${formatMs(p.arg1)}, drop ${formatMs(p.arg2)}, repeating`;
    case MODE_GEMODEL:
      return `delivering packets received from ${slave} ${burst(p)}`;
    default:
      return `receive mode ${p.mode} ${argsText(p)} from ${slave}`;
  }
}

/** Whether a policy draws random numbers (its seed matters). */
export function seeded(p: VnetPolicy): boolean {
  return p.mode === MODE_PERCENT || p.mode === MODE_GEMODEL;
}

/** gemodel's numbers for JSON: expected_loss (fraction) and mean_burst (frames; null when unbounded). */
export function gemodelJsonNumbers(p: VnetPolicy): { expected_loss?: number; mean_burst?: number } {
  if (p.mode !== MODE_GEMODEL) return {};
  const n = gemodelNumbers(p.arg1, p.arg2, p.arg3, p.arg4);
  return { expected_loss: Number(n.loss.toPrecision(6)), mean_burst: n.meanBurst };
}
