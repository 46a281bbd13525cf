#!/usr/bin/env node
/*
 * The addon's ECHO rate and syscalls per request, against the real module
 * (run it in the lab: lab/run -- node test/native/bench/echo-rate.js).
 *
 *   node test/native/bench/echo-rate.js [COUNT] [MODE...]
 *
 * MODE: sync (default), async (await one echoAsync() after the other),
 * async-N (N echoAsync() in flight).  Prints one line per mode:
 * "echo_node MODE: COUNT round trips in S s: R/s, X syscalls/request".
 * VNET_BENCH_ADDON=FILE measures that build of the addon instead.
 */
'use strict';

const path = require('node:path');

const root = path.resolve(__dirname, '..', '..', '..');
const { loadNativeBinding } = require(path.join(root, 'dist', 'binding', 'native.js'));

const count = Number(process.argv[2] || 20000);
const modes = process.argv.slice(3);
if (!modes.length) modes.push('sync');

// VNET_BENCH_ADDON=FILE: measure another build of the addon (e.g. an older
// one, for a before/after figure), loaded as is.
function load() {
  const file = process.env.VNET_BENCH_ADDON;
  if (!file) return loadNativeBinding();
  const m = { exports: {} };
  process.dlopen(m, file);
  m.exports.setErrorClass(class extends Error {});
  return m.exports;
}
const b = load();
const t = b._test;
const g = b.openGenl();
const msg = 'hello';

function report(mode, n, t0, s0) {
  const s = Number(process.hrtime.bigint() - t0) / 1e9;
  const calls = (t.syscalls() - s0) / n;
  console.log(`echo_node ${mode}: ${n} round trips in ${s.toFixed(3)} s: ${Math.round(n / s)}/s, ${calls.toFixed(2)} syscalls/request`);
}

async function run(mode) {
  for (let i = 0; i < 200; i++) g.echo(msg); // warm up
  const s0 = t.syscalls();
  const t0 = process.hrtime.bigint();
  if (mode === 'sync') {
    for (let i = 0; i < count; i++) if (g.echo(msg) !== msg) throw new Error('mismatch');
  } else if (mode === 'async') {
    for (let i = 0; i < count; i++) if ((await g.echoAsync(msg)) !== msg) throw new Error('mismatch');
  } else if (/^async-\d+$/.test(mode)) {
    const depth = Number(mode.slice(6));
    let sent = 0;
    const lane = async () => {
      while (sent < count) {
        sent++;
        if ((await g.echoAsync(msg)) !== msg) throw new Error('mismatch');
      }
    };
    await Promise.all(Array.from({ length: depth }, lane));
  } else {
    throw new Error(`unknown mode ${mode}`);
  }
  report(mode, count, t0, s0);
}

(async () => {
  for (const m of modes) await run(m);
  g.close();
})().catch((e) => {
  console.error(e);
  process.exitCode = 1;
});
