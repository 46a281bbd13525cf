'use strict';
/*
 * Case 2, drop accuracy.
 *
 * percent: vnet0 relays to veth0 in percent mode at a loss L of 1, 10,
 * 50, 90 and 99 %, COUNT pktgen frames each, from counters reset to zero;
 * the observed drop ratio d/n against L, in standard deviations of the
 * binomial (sigma = sqrt(L (1 - L) / n)): within 3 sigma is the goal.
 * Random seeds (per-CPU draws) and, once, --seed 42 twice: the same seed
 * must drop the same number of frames.
 *
 * time: bench/c/timeedge sends a numbered frame every GAP microseconds
 * out of vnet0 (relaying to veth0 in time mode) and sees which came out
 * of veth1; the fate changes are the window edges, compared with where
 * the policy puts them (the phase starts at the SET).
 */
const path = require('node:path');

const { BIN, pktgen, sh, log, emit, ethtoolStats } = require('./sys');

const LOSSES = [1, 10, 50, 90, 99];

function percentRun(gen, loss, count, seed) {
  gen.set({ dev: 'vnet0', slave: 'veth0', mode: 1, arg1: 100 - loss, arg2: 0, ...(seed === undefined ? {} : { seed: BigInt(seed) }) });
  gen.resetStats('vnet0');
  const r = pktgen('vnet0', { count, size: 60 });
  const s = ethtoolStats('vnet0');
  const n = s.tx_packets + s.tx_drop_percent;
  const p = loss / 100;
  const sigma = Math.sqrt((p * (1 - p)) / n);
  return {
    loss,
    frames: n,
    sent: r.sent,
    dropped: s.tx_drop_percent,
    other_drops: s.tx_dropped - s.tx_drop_percent,
    observed: s.tx_drop_percent / n,
    z: (s.tx_drop_percent / n - p) / sigma,
  };
}

function accuracy(b, { count, rounds, edgeMs }) {
  sh('ip', 'link', 'set', 'vnet0', 'up');
  const gen = b.openGenl();
  for (const loss of LOSSES) {
    const r = percentRun(gen, loss, count);
    emit({ case: 'accuracy', kind: 'percent', ...r });
    log(`accuracy: percent loss ${loss}%: observed ${(100 * r.observed).toFixed(3)}% over ${r.frames}, z=${r.z.toFixed(2)}`);
  }
  const a = percentRun(gen, 20, count, 42);
  const c = percentRun(gen, 20, count, 42);
  emit({ case: 'accuracy', kind: 'seeded', loss: 20, frames: a.frames, dropped: [a.dropped, c.dropped], z: a.z });
  log(`accuracy: --seed 42 twice at 20%: ${a.dropped} and ${c.dropped} dropped of ${a.frames}`);

  const timeedge = path.join(BIN, 'timeedge');
  for (const [on, off] of [
    [20, 30],
    [5, 5],
  ]) {
    for (let round = 1; round <= rounds; round++) {
      gen.resetStats('vnet0');
      const out = sh(timeedge, 'vnet0', 'veth0', 'veth1', String(on), String(off), String(edgeMs), '100');
      const kv = Object.fromEntries([...out.matchAll(/^(\w+)=(-?\d+)$/gm)].map((m) => [m[1], Number(m[2])]));
      const s = ethtoolStats('vnet0');
      emit({ case: 'accuracy', kind: 'time', on, off, round, ...kv, counter_dropped: s.tx_drop_time });
      log(`accuracy: time ${on}/${off} ms: ${kv.edges} edges, max error ${kv.max_err_us} us (gap up to ${kv.max_gap_us} us), ${kv.misplaced} misplaced`);
    }
  }
  gen.set({ dev: 'vnet0', slave: '', mode: 0, arg1: 0, arg2: 0 });
  gen.close();
}

module.exports = { accuracy, LOSSES };
