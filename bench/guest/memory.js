'use strict';
/*
 * Case 5, memory.
 *
 * kernel: N devices created at once (ip -batch) in a fresh namespace, the
 * kernel's memory before and after (/proc/meminfo: Slab + Percpu +
 * VmallocUsed + KernelStack + PageTables, and MemFree as a cross-check),
 * divided by N; vnet devices against dummy devices (the smallest
 * Ethernet device: the anchor), alternately.
 *
 * addon: a Node process's RSS at start, after loading the addon, and
 * after opening a generic-netlink socket and using it (1000 ECHOs, a
 * dump, the link and address dumps), each in a fresh process.
 */
const fs = require('node:fs');
const path = require('node:path');

const { ROOT, sh, quiet, ipBatch, log, emit } = require('./sys');

function meminfo() {
  const m = {};
  for (const l of fs.readFileSync('/proc/meminfo', 'utf8').split('\n')) {
    const r = /^(\w+):\s+(\d+) kB/.exec(l);
    if (r) m[r[1]] = Number(r[2]);
  }
  return m;
}

const KERNEL = ['Slab', 'Percpu', 'VmallocUsed', 'KernelStack', 'PageTables'];
const kernelKb = (m) => KERNEL.reduce((a, k) => a + (m[k] ?? 0), 0);

/** Settles: deferred frees (RCU) done, then a snapshot. */
function settled() {
  sh('sync');
  fs.writeFileSync('/proc/sys/vm/drop_caches', '3\n');
  sh('sleep', '1');
  return meminfo();
}

function devices(kind, n) {
  const ns = 'nbmem';
  quiet('ip', 'netns', 'del', ns);
  sh('ip', 'netns', 'add', ns);
  const before = settled();
  ipBatch(
    Array.from({ length: n }, (_, i) => `link add m${i} type ${kind}`),
    ns,
  );
  const after = settled();
  const count = sh('ip', '-n', ns, '-o', 'link', 'show').trim().split('\n').length - 1;
  // deleted one by one (synchronous), not with the namespace (cleanup_net
  // would still be freeing them when the next measurement starts)
  ipBatch(
    Array.from({ length: n }, (_, i) => `link del m${i}`),
    ns,
  );
  sh('ip', 'netns', 'del', ns);
  if (count !== n) throw new Error(`${kind}: ${count} devices, wanted ${n}`);
  const parts = Object.fromEntries(KERNEL.map((k) => [k, ((after[k] ?? 0) - (before[k] ?? 0)) / n]));
  return {
    kernel_kb: (kernelKb(after) - kernelKb(before)) / n,
    memfree_kb: (before.MemFree - after.MemFree) / n,
    parts,
  };
}

const RSS_JS = `
const rss = () => Math.round(process.memoryUsage().rss / 1024);
const out = { start: rss() };
const b = require(${JSON.stringify(path.join(ROOT, 'dist', 'binding', 'native.js'))}).loadNativeBinding();
out.loaded = rss();
const g = b.openGenl();
for (let i = 0; i < 1000; i++) g.echo('hello');
g.dump(); b.dumpLinks(); b.dumpAddresses();
out.used = rss();
g.close();
process.stdout.write(JSON.stringify(out));
`;

function memory(_b, { rounds, devices: n }) {
  sh('modprobe', 'dummy');
  for (let round = 1; round <= rounds; round++) {
    for (const kind of ['vnet', 'dummy']) {
      const r = devices(kind, n);
      emit({ case: 'memory', kind, round, devices: n, ...r });
      log(`memory round ${round}: ${kind}: ${r.kernel_kb.toFixed(2)} KiB kernel memory per device (MemFree: ${r.memfree_kb.toFixed(2)} KiB)`);
    }
    const base = Number(sh(process.execPath, '-e', 'process.stdout.write(String(Math.round(process.memoryUsage().rss / 1024)))'));
    const a = JSON.parse(sh(process.execPath, '-e', RSS_JS));
    emit({ case: 'rss', round, node_kb: base, ...a });
    log(`memory round ${round}: node ${base} KiB RSS; with the addon loaded ${a.loaded}, used ${a.used}`);
  }
}

module.exports = { memory };
