#!/usr/bin/env node
'use strict';
/*
 * The addon's side of bench/c/ctl_loop: COUNT GETs or SETs of DEV in a
 * tight loop, by ioctl (getRelay/setRelay) or generic netlink (get/set),
 * each checked.  Prints "ctl_node MODE: COUNT requests in S s: R/s".
 *
 *   node bench/guest/ctl-node.js ioctl-get|ioctl-set|genl-get|genl-set DEV COUNT
 */
const path = require('node:path');

const { loadNativeBinding } = require(path.join(__dirname, '..', '..', 'dist', 'binding', 'native.js'));

const [mode, dev, countArg] = process.argv.slice(2);
const count = Number(countArg);
const b = loadNativeBinding();
const g = b.openGenl();

const ops = {
  'ioctl-get': () => b.getRelay(dev),
  'ioctl-set': (i) => b.setRelay(dev, { slave: '', mode: 1, arg1: i & 1 ? 60 : 50, arg2: 0 }),
  'genl-get': () => {
    if (g.get(dev).ifname !== dev) throw new Error('wrong device');
  },
  'genl-set': (i) => {
    if (g.set({ dev, mode: 1, arg1: i & 1 ? 60 : 50, arg2: 0 }).arg1 !== (i & 1 ? 60 : 50)) throw new Error('not set');
  },
};
const op = ops[mode];
if (!op || !(count > 0)) {
  console.error('usage: ctl-node.js ioctl-get|ioctl-set|genl-get|genl-set DEV COUNT');
  process.exit(2);
}
for (let i = 0; i < 100; i++) op(i); // warm up
const t0 = process.hrtime.bigint();
for (let i = 0; i < count; i++) op(i);
const s = Number(process.hrtime.bigint() - t0) / 1e9;
g.close();
console.log(`ctl_node ${mode}: ${count} requests in ${s.toFixed(3)} s: ${Math.round(count / s)}/s`);
