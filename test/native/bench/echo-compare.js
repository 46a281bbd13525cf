#!/usr/bin/env node
/*
 * ECHO round trips/s, the addon from Node against the libnl C client, in
 * one lab boot: ROUNDS alternating rounds of COUNT round trips each, the
 * median of each side and the median of the per-round ratios (absolute
 * rates under qemu TCG drift from run to run; ratios within one boot do
 * not).  Build the C client on the host and add it to the lab:
 *
 *   gcc -O2 -I kernel/include/uapi $(pkg-config --cflags libnl-genl-3.0) \
 *       -o /tmp/nl_echo_loop test/native/bench/nl_echo_loop.c -static \
 *       $(pkg-config --libs libnl-genl-3.0) -lpthread -lm
 *   lab/run --add /tmp/nl_echo_loop -- \
 *       node test/native/bench/echo-compare.js /tmp/nl_echo_loop [ROUNDS] [COUNT] [MODE]
 *
 * MODE: a mode of echo-rate.js (sync, async, async-N); default sync.
 */
'use strict';

const { execFileSync } = require('node:child_process');
const path = require('node:path');

const [cbin, rounds = '5', count = '10000', mode = 'sync'] = process.argv.slice(2);
if (!cbin) {
  console.error('usage: echo-compare.js C_CLIENT [ROUNDS] [COUNT] [MODE]');
  process.exit(2);
}
const rate = (out) => Number(/: (\d+)\/s/.exec(out)[1]);
const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};

const c = [];
const n = [];
let syscalls = '';
for (let i = 0; i < Number(rounds); i++) {
  c.push(rate(execFileSync(cbin, [count], { encoding: 'utf8' })));
  const out = execFileSync(process.execPath, [path.join(__dirname, 'echo-rate.js'), count, mode], { encoding: 'utf8' });
  n.push(rate(out));
  syscalls = /([\d.]+) syscalls\/request/.exec(out)[1];
  console.log(`round ${i + 1}: C ${c[i]}/s, Node ${mode} ${n[i]}/s, ratio ${(n[i] / c[i]).toFixed(2)}`);
}
const ratios = n.map((x, i) => x / c[i]);
console.log(
  `median: C ${median(c)}/s, Node ${mode} ${median(n)}/s (${syscalls} syscalls/request); ` +
    `ratio ${median(ratios).toFixed(2)} (min ${Math.min(...ratios).toFixed(2)}, max ${Math.max(...ratios).toFixed(2)})`,
);
