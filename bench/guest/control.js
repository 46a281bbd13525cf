'use strict';
/*
 * Case 3, the control path, in alternating rounds:
 *
 *   echo      ECHO round trips/s: the libnl C client (nl_echo_loop, no
 *             auto-ack, as the seed's sample) against the addon from Node
 *             in a tight loop (test/native/bench/echo-rate.js) and against
 *             `vnet-echo -f -q` (up to 16 in flight), whose rate is taken
 *             as (N - 1) / (T(-c N) - T(-c 1)): the command's own start
 *             and exit cancel out; and against raw-netlink C clients
 *             (bench/c/echo_pipe): one request at a time, the floor of a
 *             sequential client, and 16 per datagram, the ceiling of
 *             pipelining from one thread.
 *   get/set   GET and SET per second, by ioctl and by generic netlink: the
 *             C client (bench/c/ctl_loop) against the addon from Node
 *             (bench/guest/ctl-node.js); a SET alternates between percent
 *             50 and 60 so every one changes the device.
 *
 * Each Node figure runs in a fresh process, as the C client does.  In a
 * round every client runs TRIES times, in turn, and keeps its best: the
 * other work on this shared 2-core host only ever slows a run down (one
 * boot saw the Node client at 44.6k/s in one round and 26k/s in the next
 * while the C client held 35-37k/s), and the best run is the one it
 * disturbed least.
 */
const { spawnSync } = require('node:child_process');
const path = require('node:path');

const { BIN, ROOT, sh, quiet, log, emit } = require('./sys');

const rate = (out) => Number(/: (\d+)\/s/.exec(out)[1]);
const node = (...args) => sh(process.execPath, ...args);

/** Wall time of one run of argv, in seconds (stdout to a pipe). */
function wall(argv) {
  const t0 = process.hrtime.bigint();
  const r = spawnSync(argv[0], argv.slice(1), { stdio: ['ignore', 'pipe', 'pipe'], encoding: 'utf8' });
  const s = Number(process.hrtime.bigint() - t0) / 1e9;
  if (r.status !== 0) throw new Error(`${argv.join(' ')}: exit ${r.status}: ${r.stderr}`);
  if (!/ 0% loss/.test(r.stdout)) throw new Error(`${argv.join(' ')}: lost echoes:\n${r.stdout}`);
  return s;
}

const CTL_MODES = ['ioctl-get', 'ioctl-set', 'genl-get', 'genl-set'];
const TRIES = 3;

/** Runs each of fns TRIES times, in turn; returns each one's results. */
function inTurn(fns) {
  const out = fns.map(() => []);
  for (let t = 0; t < TRIES; t++) fns.forEach((f, i) => out[i].push(f()));
  return out;
}

function control(_b, { rounds, echoCount, floodCount, ctlCount }) {
  quiet('ip', 'link', 'del', 'vbc0');
  sh('ip', 'link', 'add', 'vbc0', 'type', 'vnet');
  const echoRate = path.join(ROOT, 'test', 'native', 'bench', 'echo-rate.js');
  const vnetEcho = path.join(ROOT, 'bin', 'vnet-echo');
  const ctlNode = path.join(__dirname, 'ctl-node.js');
  const echoPipe = (batch) => rate(sh(path.join(BIN, 'echo_pipe'), String(echoCount), String(batch)));
  // warm-up: first runs read node and the clients from the lazily loaded disk
  sh(path.join(BIN, 'nl_echo_loop'), '100');
  node(echoRate, '100');
  wall([vnetEcho, '-f', '-q', '-c', '1']);
  for (let round = 1; round <= rounds; round++) {
    const [cs, outs, t1s, tns, raws, batches] = inTurn([
      () => rate(sh(path.join(BIN, 'nl_echo_loop'), String(echoCount))),
      () => node(echoRate, String(echoCount)),
      () => wall([vnetEcho, '-f', '-q', '-c', '1']),
      () => wall([vnetEcho, '-f', '-q', '-c', String(floodCount)]),
      () => echoPipe(1),
      () => echoPipe(16),
    ]);
    const c = Math.max(...cs);
    const n = Math.max(...outs.map(rate));
    const syscalls = Math.max(...outs.map((o) => Number(/([\d.]+) syscalls\/request/.exec(o)[1])));
    const flood = (floodCount - 1) / (Math.min(...tns) - Math.min(...t1s));
    const raw = Math.max(...raws);
    const batch = Math.max(...batches);
    emit({ case: 'control', op: 'echo', round, c, node: n, flood, raw, batch, syscalls, count: echoCount, floodCount });
    log(`control round ${round}: ECHO C ${c}/s, Node ${n}/s (${syscalls} syscalls), vnet-echo -f ${Math.round(flood)}/s, raw C ${raw}/s, raw C x16 ${batch}/s`);
    for (const mode of CTL_MODES) {
      const [ccs, nns] = inTurn([
        () => rate(sh(path.join(BIN, 'ctl_loop'), mode, 'vbc0', String(ctlCount))),
        () => rate(node(ctlNode, mode, 'vbc0', String(ctlCount))),
      ]);
      const cc = Math.max(...ccs);
      const nn = Math.max(...nns);
      emit({ case: 'control', op: mode, round, c: cc, node: nn, count: ctlCount });
      log(`control round ${round}: ${mode} C ${cc}/s, Node ${nn}/s`);
    }
  }
  quiet('ip', 'link', 'del', 'vbc0');
}

module.exports = { control, CTL_MODES };
