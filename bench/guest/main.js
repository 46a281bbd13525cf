#!/usr/bin/env node
'use strict';
/*
 * The bench inside the lab guest (bench/run.js boots it):
 *
 *   node bench/guest/main.js [--smoke] [--rounds N] [CASE...]
 *
 * CASE: datapath accuracy control cli memory (default: all), or scaling
 * (the datapath's 1- and 2-thread runs only, for a boot whose vCPUs run
 * in parallel).  Every figure is a "BENCH <json>" line on stdout; progress
 * and errors on stderr.  A case that fails prints "BENCH {case, error}"
 * and the others still run; the exit status is 1 if any failed.
 */
const { log, emit } = require('./sys');

const args = process.argv.slice(2);
const smoke = args.includes('--smoke');
const ri = args.indexOf('--rounds');
const rounds = ri >= 0 ? Number(args[ri + 1]) : smoke ? 1 : 3;
const cases = args.filter((a, i) => !a.startsWith('--') && args[i - 1] !== '--rounds');
const ALL = ['datapath', 'accuracy', 'control', 'cli', 'memory'];

/** Counts: the in a full run, small ones in the smoke run. */
const N = smoke
  ? { frames: 20000, accuracy: 10000, edgeMs: 300, echo: 2000, flood: 20000, ctl: 1000, reps: 2, crowd: 100, devices: 100 }
  : { frames: 200000, accuracy: 100000, edgeMs: 1500, echo: 20000, flood: 100000, ctl: 10000, reps: 5, crowd: 1000, devices: 1000 };

const b = require('../../dist/binding/native.js').loadNativeBinding();

const RUN = {
  datapath: () => require('./datapath').datapath(b, { rounds, count: N.frames }),
  scaling: () => require('./datapath').datapath(b, { rounds, count: N.frames, scalingOnly: true, tag: 'scaling' }),
  accuracy: () => require('./accuracy').accuracy(b, { rounds, count: N.accuracy, edgeMs: N.edgeMs }),
  control: () => require('./control').control(b, { rounds, echoCount: N.echo, floodCount: N.flood, ctlCount: N.ctl }),
  cli: () => require('./cli').cli(b, { rounds, reps: N.reps, crowdSize: N.crowd }),
  memory: () => require('./memory').memory(b, { rounds: Math.min(rounds, 2), devices: N.devices }),
};

let failed = 0;
const fs = require('node:fs');
emit({
  case: 'env',
  kernel: require('node:os').release(),
  cpus: require('node:os').cpus().length,
  node: process.version,
  smoke,
  rounds,
  counts: N,
  cmdline: fs.readFileSync('/proc/cmdline', 'utf8').trim(),
});
for (const c of cases.length ? cases : ALL) {
  const t0 = Date.now();
  try {
    if (!RUN[c]) throw new Error(`unknown case ${c}`);
    RUN[c]();
    emit({ case: 'done', name: c, seconds: (Date.now() - t0) / 1000 });
  } catch (e) {
    failed++;
    log(`${c} failed: ${e.stack}`);
    emit({ case: 'error', name: c, error: String(e.message) });
  }
}
process.exitCode = failed ? 1 : 0;
