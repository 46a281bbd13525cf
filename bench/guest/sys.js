'use strict';
/*
 * The bench's helpers inside the lab guest: commands, counters, pktgen,
 * and the one output channel (emit: "BENCH <json>" lines on stdout, which
 * bench/run.js collects on the host).  Progress goes to stderr.
 */
const { execFileSync, spawnSync } = require('node:child_process');
const fs = require('node:fs');
const path = require('node:path');

const ROOT = path.resolve(__dirname, '..', '..');
const BIN = path.join(ROOT, 'bench', 'c', 'build');

/** Runs argv, returns its stdout; throws with its stderr on failure. */
function sh(...argv) {
  try {
    return execFileSync(argv[0], argv.slice(1), { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
  } catch (e) {
    throw new Error(`${argv.join(' ')}: exit ${e.status}: ${String(e.stderr || e.message).trim()}`);
  }
}

/** Runs argv and ignores failure (cleanup). */
function quiet(...argv) {
  spawnSync(argv[0], argv.slice(1), { stdio: 'ignore' });
}

/** Feeds `ip -batch -` (thousands of links in one process). */
function ipBatch(lines, netns) {
  const argv = [...(netns ? ['-n', netns] : []), '-batch', '-'];
  const r = spawnSync('ip', argv, { input: lines.join('\n') + '\n', encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`ip -batch: ${r.stderr.trim()}`);
}

function log(msg) {
  process.stderr.write(`bench: ${msg}\n`);
}

/** One measurement, for the host (bench/run.js). */
function emit(record) {
  process.stdout.write(`BENCH ${JSON.stringify(record)}\n`);
}

/** ethtool -S DEV as an object of numbers. */
function ethtoolStats(dev) {
  const out = {};
  for (const m of sh('ethtool', '-S', dev).matchAll(/^\s+(\w+): (\d+)$/gm)) out[m[1]] = Number(m[2]);
  return out;
}

function sysctl(key, value) {
  fs.writeFileSync(`/proc/sys/${key.replace(/\./g, '/')}`, String(value));
}

/** Waits until `cond()` is true, up to `ms`. */
function waitFor(cond, ms = 5000) {
  const end = Date.now() + ms;
  while (Date.now() < end) {
    if (cond()) return true;
    spawnSync('sleep', ['0.05']);
  }
  return cond();
}

// ------------------------------------------------------------------
// pktgen (Documentation/networking/pktgen.rst)

const PG = '/proc/net/pktgen';

function pg(file, cmd) {
  fs.writeFileSync(path.join(PG, file), `${cmd}\n`);
  const res = fs.readFileSync(path.join(PG, file), 'utf8');
  const m = /Result: (.*)/.exec(res);
  if (m && !/^OK/.test(m[1]) && file !== 'pgctrl') throw new Error(`pktgen ${file}: '${cmd}': ${m[1]}`);
}

function pgReset() {
  if (!fs.existsSync(path.join(PG, 'pgctrl'))) sh('modprobe', 'pktgen');
  for (const t of fs.readdirSync(PG).filter((f) => f.startsWith('kpktgend_'))) pg(t, 'rem_device_all');
}

/**
 * Floods DEV with COUNT frames per thread (THREADS pktgen threads, one
 * per vCPU, DEV@0, DEV@1 ...) of SIZE bytes (pktgen's pkt_size: the frame
 * without its FCS), through dev_queue_xmit() (xmit_mode queue_xmit, so a
 * qdisc on DEV applies), a fresh skb per frame.  Returns the frames handed
 * to the device, the time (pktgen's own, the slowest thread), pps, and
 * pktgen's errors (frames the stack refused).
 */
function pktgen(dev, { count, size, threads = 1, dst = '02:00:00:00:00:01' }) {
  pgReset();
  const names = [];
  for (let t = 0; t < threads; t++) {
    const name = threads === 1 ? dev : `${dev}@${t}`;
    names.push(name);
    pg(`kpktgend_${t}`, `add_device ${name}`);
    pg(name, 'xmit_mode queue_xmit');
    pg(name, `count ${count}`);
    pg(name, `pkt_size ${size}`);
    pg(name, 'clone_skb 0');
    pg(name, 'delay 0');
    pg(name, `dst_mac ${dst}`);
  }
  fs.writeFileSync(path.join(PG, 'pgctrl'), 'start\n'); // returns when every thread is done
  let sent = 0;
  let usec = 0;
  let errors = 0;
  for (const name of names) {
    // pgctrl's start can return while a thread still writes its result
    // (seen once: "Result: OK: ting", the tail of "Starting"): read again
    const RESULT = /Result: OK: (\d+)\(.*?\) usec, (\d+) \(/;
    let res = '';
    if (!waitFor(() => RESULT.test((res = fs.readFileSync(path.join(PG, name), 'utf8'))), 2000)) {
      throw new Error(`pktgen ${name}: no result:\n${res}`);
    }
    const m = RESULT.exec(res);
    usec = Math.max(usec, Number(m[1]));
    sent += Number(m[2]);
    errors += Number(/errors: (\d+)/.exec(res)?.[1] ?? 0);
  }
  pgReset();
  return { sent, usec, errors, pps: (sent * 1e6) / usec };
}

module.exports = { ROOT, BIN, sh, quiet, ipBatch, log, emit, ethtoolStats, sysctl, waitFor, pktgen };
