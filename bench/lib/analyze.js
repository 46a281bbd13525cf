'use strict';
/*
 * From the bench's records (the guest's "BENCH" lines and the host's own)
 * to its tables and to issue 9's goals, each with the ratio measured and
 * whether it is met.  Pure: no I/O.
 */
const { summary, ratioOf, fmtRatio, fmtValue, kilo } = require('./stats');

const SIZES = { 60: '64 B', 1514: '1518 B' };
const PATH_NAMES = {
  veth: 'veth direct (veth pair)',
  netem: 'veth + netem loss L',
  pass: 'vnet relay pass',
  percent0: 'vnet relay percent, 0 % loss',
  percent0s: 'vnet relay percent, 0 % loss, --seed',
  time0: 'vnet relay time, 0 % loss',
  percent: 'vnet relay percent, L % loss',
  loopback: 'vnet loopback',
  macvlan: 'macvlan over a veth (private)',
  pass_hpet: 'vnet relay pass, clocksource hpet',
  time0_hpet: 'vnet relay time, 0 % loss, clocksource hpet',
};
/** Paths that are anchors (no "/ relay pass"), and the pass each other path is compared with. */
const ANCHORS = ['veth', 'netem', 'macvlan'];
const PASS_OF = { pass_hpet: 'pass_hpet', time0_hpet: 'pass_hpet' };

/** pps per round of one datapath configuration. */
function series(recs, tag, path, size, threads) {
  return recs
    .filter((r) => r.case === tag && r.path === path && r.size === size && r.threads === threads)
    .sort((a, b) => a.round - b.round)
    .map((r) => r.pps);
}

function goal(list, g) {
  const met = g.ratio && Number.isFinite(g.ratio.median) ? (g.max !== undefined ? g.ratio.median <= g.max : g.ratio.median >= g.min) : null;
  list.push({ ...g, met, goalText: g.max !== undefined ? `≤ ${g.max}` : `≥ ${g.min}` });
}

function datapath(recs, goals, tables) {
  const rows = [];
  const loss = recs.find((r) => r.case === 'datapath')?.loss ?? 20;
  for (const size of [60, 1514]) {
    const veth = series(recs, 'datapath', 'veth', size, 1);
    if (!veth.length) continue;
    const pass = series(recs, 'datapath', 'pass', size, 1);
    for (const path of Object.keys(PATH_NAMES)) {
      const itsPass = PASS_OF[path] ? series(recs, 'datapath', PASS_OF[path], size, 1) : pass;
      for (const threads of [1, 2]) {
        const s = series(recs, 'datapath', path, size, threads);
        if (!s.length) continue;
        rows.push({
          name: `${PATH_NAMES[path].replace(/\bL\b/, String(loss))}${threads > 1 ? ', 2 pktgen threads' : ''}`,
          size: SIZES[size],
          value: fmtValue(summary(s), kilo),
          ratio: fmtRatio(ratioOf(s, veth)),
          vsPass: ANCHORS.includes(path) ? '' : fmtRatio(ratioOf(s, itsPass)),
          threadRatio: threads > 1 ? fmtRatio(ratioOf(s, series(recs, 'datapath', path, size, 1))) : '',
        });
      }
    }
    const sz = SIZES[size];
    goal(goals, { id: `pass-${size}`, section: 'datapath', what: `relay pass / veth direct, ${sz}`, ratio: ratioOf(pass, veth), min: 0.97 });
    goal(goals, {
      id: `percent0-${size}`,
      section: 'datapath',
      what: `percent at 0 % loss / pass, ${sz}`,
      ratio: ratioOf(series(recs, 'datapath', 'percent0', size, 1), pass),
      min: 0.97,
    });
    goal(goals, {
      id: `time0-${size}`,
      section: 'datapath',
      what: `time at 0 % loss / pass, ${sz}`,
      ratio: ratioOf(series(recs, 'datapath', 'time0', size, 1), pass),
      min: 0.97,
    });
    goal(goals, {
      id: `percentL-${size}`,
      section: 'datapath',
      what: `percent at ${loss} % loss / netem loss ${loss} %, ${sz}`,
      ratio: ratioOf(series(recs, 'datapath', 'percent', size, 1), series(recs, 'datapath', 'netem', size, 1)),
      min: 1.0,
    });
  }
  tables.datapath = rows;

  // 2 threads against 1: the boot whose vCPUs run in parallel
  const srows = [];
  for (const tag of ['scaling', 'datapath']) {
    for (const path of ['veth', 'pass', 'percent0', 'percent0s', 'loopback']) {
      const one = series(recs, tag, path, 60, 1);
      const two = series(recs, tag, path, 60, 2);
      if (!one.length || !two.length) continue;
      const r = ratioOf(two, one);
      srows.push({ boot: tag, name: PATH_NAMES[path], one: fmtValue(summary(one), kilo), two: fmtValue(summary(two), kilo), ratio: fmtRatio(r) });
      if (tag === 'scaling' && ['pass', 'percent0', 'percent0s'].includes(path)) {
        goal(goals, { id: `scale-${path}`, section: 'datapath', what: `2 pktgen threads / 1, ${PATH_NAMES[path]}`, ratio: r, min: 1.8 });
      }
    }
  }
  tables.scaling = srows;
}

function accuracy(recs, goals, tables) {
  const rows = [];
  let worst = 0;
  for (const r of recs.filter((x) => x.case === 'accuracy' && x.kind === 'percent')) {
    worst = Math.max(worst, Math.abs(r.z));
    rows.push({
      name: `percent, loss ${r.loss} %`,
      frames: r.frames,
      observed: `${(100 * r.observed).toFixed(3)} %`,
      sigma: `${(100 * Math.sqrt((r.loss / 100) * (1 - r.loss / 100) / r.frames)).toFixed(3)} %`,
      z: r.z.toFixed(2),
      ok: Math.abs(r.z) <= 3,
    });
  }
  const seeded = recs.find((x) => x.case === 'accuracy' && x.kind === 'seeded');
  if (seeded) {
    rows.push({
      name: `percent, loss ${seeded.loss} %, --seed 42, twice`,
      frames: seeded.frames,
      observed: `${seeded.dropped[0]} and ${seeded.dropped[1]} dropped`,
      sigma: '',
      z: seeded.z.toFixed(2),
      ok: seeded.dropped[0] === seeded.dropped[1] && Math.abs(seeded.z) <= 3,
    });
  }
  const n = rows.filter((r) => r.name.startsWith('percent')).length;
  if (n) goal(goals, {
    id: 'drop-3sigma',
    section: 'accuracy',
    what: `percent mode's drop ratio, worst |z| of ${n} settings (within 3 sigma)`,
    ratio: n ? { median: worst, min: worst, max: worst, n: 1 } : null,
    max: 3,
  });
  tables.percent = rows;

  const trows = [];
  let excess = -Infinity;
  let misplaced = 0;
  for (const r of recs.filter((x) => x.case === 'accuracy' && x.kind === 'time')) {
    excess = Math.max(excess, r.max_excess_us);
    misplaced += r.misplaced + r.bad_edges;
    trows.push({
      name: `time ${r.on} ms / ${r.off} ms, round ${r.round}`,
      frames: r.frames,
      edges: r.edges,
      maxErr: `${r.max_err_us} µs`,
      maxGap: `${r.max_gap_us} µs`,
      excess: `${r.max_excess_us} µs`,
      send: r.max_send_us === undefined ? '' : `${r.max_send_us} µs`,
      misplaced: r.misplaced,
      counters: r.counter_dropped === r.dropped ? 'agree' : `counter ${r.counter_dropped} ≠ ${r.dropped}`,
    });
  }
  if (trows.length) {
    goal(goals, {
      id: 'time-edges',
      section: 'accuracy',
      what: 'time mode: window edge error less the inter-frame gap, worst (ms)',
      ratio: { median: excess / 1000, min: excess / 1000, max: excess / 1000, n: 1 },
      max: 1,
      extra: misplaced ? `${misplaced} frames or edges misplaced` : 'no frame misplaced',
    });
    if (misplaced) goals[goals.length - 1].met = false;
  }
  tables.time = trows;
}

function control(recs, goals, tables) {
  const echo = recs.filter((r) => r.case === 'control' && r.op === 'echo').sort((a, b) => a.round - b.round);
  const rows = [];
  if (echo.length) {
    const c = echo.map((r) => r.c);
    rows.push({ name: 'ECHO, libnl C client (nl_echo_loop)', value: fmtValue(summary(c), kilo), ratio: '1.00' });
    rows.push({ name: `ECHO, addon from Node (${echo[0].syscalls} syscalls/request)`, value: fmtValue(summary(echo.map((r) => r.node)), kilo), ratio: fmtRatio(ratioOf(echo.map((r) => r.node), c)) });
    rows.push({ name: 'ECHO, vnet-echo -f (16 in flight)', value: fmtValue(summary(echo.map((r) => r.flood)), kilo), ratio: fmtRatio(ratioOf(echo.map((r) => r.flood), c)) });
    if (echo[0].raw !== undefined) {
      rows.push({ name: 'ECHO, raw-netlink C, one at a time (echo_pipe 1)', value: fmtValue(summary(echo.map((r) => r.raw)), kilo), ratio: fmtRatio(ratioOf(echo.map((r) => r.raw), c)) });
    }
    if (echo[0].batch !== undefined) {
      rows.push({ name: 'ECHO, raw-netlink C, 16 per datagram (echo_pipe 16: the ceiling of pipelining)', value: fmtValue(summary(echo.map((r) => r.batch)), kilo), ratio: fmtRatio(ratioOf(echo.map((r) => r.batch), c)) });
    }
    goal(goals, { id: 'echo', section: 'control', what: 'ECHO from Node / C client', ratio: ratioOf(echo.map((r) => r.node), c), min: 0.9 });
    goal(goals, { id: 'flood', section: 'control', what: 'vnet-echo -f / C client (sequential)', ratio: ratioOf(echo.map((r) => r.flood), c), min: 1.5 });
  }
  for (const op of ['ioctl-get', 'ioctl-set', 'genl-get', 'genl-set']) {
    const xs = recs.filter((r) => r.case === 'control' && r.op === op).sort((a, b) => a.round - b.round);
    if (!xs.length) continue;
    const c = xs.map((r) => r.c);
    const nd = xs.map((r) => r.node);
    rows.push({ name: `${op.toUpperCase().replace('-', ' ')}, C`, value: fmtValue(summary(c), kilo), ratio: '1.00' });
    rows.push({ name: `${op.toUpperCase().replace('-', ' ')}, addon from Node`, value: fmtValue(summary(nd), kilo), ratio: fmtRatio(ratioOf(nd, c)) });
  }
  tables.control = rows;
}

function cli(recs, goals, tables) {
  for (const where of ['host', 'guest']) {
    const all = recs.filter((r) => r.case === 'cli' && r.where === where);
    const node = all.find((r) => r.name === 'node -e 0');
    const ip = all.find((r) => r.name === 'ip link show');
    if (!node) continue;
    const rows = [];
    let worst = null;
    for (const r of all) {
      const vsNode = ratioOf(r.ms, node.ms);
      rows.push({
        name: r.name,
        ms: fmtValue(summary(r.ms), (x) => x.toFixed(0)),
        vsNode: fmtRatio(vsNode),
        vsIp: ip ? fmtRatio(ratioOf(r.ms, ip.ms), 1) : '',
      });
      if (!r.anchor && (!worst || vsNode.median > worst.ratio.median)) worst = { name: r.name, ratio: vsNode };
    }
    tables[`cli_${where}`] = rows;
    if (worst) {
      goal(goals, {
        id: `cli-${where}`,
        section: 'cli',
        what: `slowest command / node -e 0, ${where} (${worst.name})`,
        ratio: worst.ratio,
        max: 1.3,
      });
    }
  }
  const crowd = recs.filter((r) => r.case === 'crowd');
  const v10 = crowd.find((r) => r.name.startsWith('vnetconfig') && r.interfaces === 10);
  const vN = crowd.find((r) => r.name.startsWith('vnetconfig') && r.interfaces > 10);
  const i10 = crowd.find((r) => r.name.startsWith('ip') && r.interfaces === 10);
  const iN = crowd.find((r) => r.name.startsWith('ip') && r.interfaces > 10);
  if (v10 && vN) {
    tables.crowd = [
      { name: v10.name, ms: fmtValue(summary(v10.ms), (x) => x.toFixed(0)), ratio: '1.00' },
      { name: vN.name, ms: fmtValue(summary(vN.ms), (x) => x.toFixed(0)), ratio: fmtRatio(ratioOf(vN.ms, v10.ms)) },
      ...(i10 && iN
        ? [
            { name: i10.name, ms: fmtValue(summary(i10.ms), (x) => x.toFixed(0)), ratio: '1.00' },
            { name: iN.name, ms: fmtValue(summary(iN.ms), (x) => x.toFixed(0)), ratio: fmtRatio(ratioOf(iN.ms, i10.ms)) },
          ]
        : []),
    ];
    goal(goals, { id: 'crowd', section: 'cli', what: `vnetconfig -a, ${vN.interfaces} interfaces / 10`, ratio: ratioOf(vN.ms, v10.ms), max: 1.5 });
  }
}

function memory(recs, tables) {
  const rows = [];
  const per = (kind, key) => recs.filter((r) => r.case === 'memory' && r.kind === kind).map((r) => r[key]);
  const v = per('vnet', 'kernel_kb');
  const d = per('dummy', 'kernel_kb');
  if (v.length) {
    const n = recs.find((r) => r.case === 'memory').devices;
    rows.push({ name: `kernel memory per vnet device (${n} devices)`, value: `${fmtValue(summary(v), (x) => x.toFixed(1))} KiB`, ratio: fmtRatio(ratioOf(v, d)) });
    rows.push({ name: `kernel memory per dummy device (${n} devices)`, value: `${fmtValue(summary(d), (x) => x.toFixed(1))} KiB`, ratio: '1.00' });
    rows.push({ name: 'MemFree per vnet device', value: `${fmtValue(summary(per('vnet', 'memfree_kb')), (x) => x.toFixed(1))} KiB`, ratio: fmtRatio(ratioOf(per('vnet', 'memfree_kb'), per('dummy', 'memfree_kb'))) });
    rows.push({ name: 'MemFree per dummy device', value: `${fmtValue(summary(per('dummy', 'memfree_kb')), (x) => x.toFixed(1))} KiB`, ratio: '1.00' });
  }
  const rss = recs.filter((r) => r.case === 'rss');
  if (rss.length) {
    const base = rss.map((r) => r.start);
    rows.push({ name: 'RSS of a Node process at start', value: `${fmtValue(summary(base))} KiB`, ratio: '1.00' });
    rows.push({ name: 'RSS with the addon loaded', value: `${fmtValue(summary(rss.map((r) => r.loaded)))} KiB`, ratio: fmtRatio(ratioOf(rss.map((r) => r.loaded), base)) });
    rows.push({ name: 'RSS after 1000 ECHOs and the three dumps', value: `${fmtValue(summary(rss.map((r) => r.used)))} KiB`, ratio: fmtRatio(ratioOf(rss.map((r) => r.used), base)) });
  }
  tables.memory = rows;
}

function analyze(recs) {
  const goals = [];
  const tables = {};
  datapath(recs, goals, tables);
  accuracy(recs, goals, tables);
  control(recs, goals, tables);
  cli(recs, goals, tables);
  memory(recs, tables);
  return { goals, tables };
}

module.exports = { analyze, PATH_NAMES };
