#!/usr/bin/env node
'use strict';
/*
 * The ceiling of a pipelined ECHO from one thread: the addon's EchoSocket
 * with 16 requests per datagram (sendMany) and the replies taken as they
 * are queued, no bookkeeping at all.  What is left per round trip is the
 * kernel's own work for a request (it answers in the sender's context):
 * vnet-echo -f cannot go faster than this.
 *
 *   node bench/guest/echo-batch.js COUNT
 * prints "echo_batch: COUNT round trips in S s: R/s".
 */
const path = require('node:path');

const { loadNativeBinding } = require(path.join(__dirname, '..', '..', 'dist', 'binding', 'native.js'));

const count = Number(process.argv[2] || 20000);
const e = loadNativeBinding().openEcho();
const loop = (n) => {
  let sent = 0;
  let got = 0;
  while (got < n) {
    if (sent === got) sent += e.sendMany('hello', Math.min(16, n - sent)).length;
    for (let r = e.receive(0); r; r = e.receive(0)) {
      if (r.message !== 'hello') throw new Error(`seq ${r.seq}: ${r.error ?? r.message}`);
      got++;
    }
    if (sent !== got && !e.receive(1000)) throw new Error('no reply');
  }
};
loop(200); // warm up
const t0 = process.hrtime.bigint();
loop(count);
const s = Number(process.hrtime.bigint() - t0) / 1e9;
e.close();
console.log(`echo_batch: ${count} round trips in ${s.toFixed(3)} s: ${Math.round(count / s)}/s`);
