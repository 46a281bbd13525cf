'use strict';
/*
 * The smoke run's checks (npm test): every case ran and produced sane
 * figures.  Nothing here depends on speed: a slow machine passes, a
 * broken bench (a case that did not run, a figure that is not a number,
 * counters that do not add up, a plot that cannot be drawn) does not.
 */
const { PATHS, SCALING_PATHS } = require('../guest/datapath');
const { LOSSES } = require('../guest/accuracy');
const { CTL_MODES } = require('../guest/control');

const pos = (x) => typeof x === 'number' && Number.isFinite(x) && x > 0;

function checks(recs, o, goals, _tables, plotErr) {
  const out = [];
  const check = (name, ok, detail) => out.push({ name, ok: !!ok, detail: ok ? undefined : detail });
  const by = (c) => recs.filter((r) => r.case === c);
  const guestCases = o.cases.filter((c) => c !== 'host');

  for (const e of by('error')) check(`guest case ${e.name} ran without an error`, false, e.error);
  for (const c of guestCases) check(`guest case ${c} completed`, by('done').some((d) => d.name === c), 'no completion record');

  if (guestCases.includes('datapath')) {
    const dp = by('datapath');
    for (const size of [60, 1514]) {
      for (const p of PATHS) {
        for (const threads of SCALING_PATHS.includes(p) ? [1, 2] : [1]) {
          const r = dp.filter((x) => x.path === p && x.size === size && x.threads === threads);
          check(
            `datapath ${p} ${size} B x${threads}: ${o.rounds} run(s), pktgen sent its frames, a rate`,
            r.length === o.rounds && r.every((x) => pos(x.pps) && x.sent >= x.errors && x.sent > 0),
            JSON.stringify(r),
          );
        }
      }
    }
  }
  if (guestCases.includes('accuracy')) {
    const a = by('accuracy');
    for (const loss of LOSSES) {
      const r = a.find((x) => x.kind === 'percent' && x.loss === loss);
      check(
        `accuracy: percent at ${loss} % loss: every frame counted once (relayed or dropped), a finite z`,
        r && r.frames === r.sent && r.other_drops === 0 && Number.isFinite(r.z),
        JSON.stringify(r),
      );
    }
    const s = a.find((x) => x.kind === 'seeded');
    check('accuracy: the same --seed drops the same number of frames', s && s.dropped[0] === s.dropped[1], JSON.stringify(s));
    const t = a.filter((x) => x.kind === 'time');
    check(
      'accuracy: time mode edges seen, the drop counter agrees with the frames that did not arrive',
      t.length > 0 && t.every((x) => x.edges > 0 && x.counter_dropped === x.dropped && x.relayed > 0 && x.dropped > 0),
      JSON.stringify(t),
    );
  }
  if (guestCases.includes('control')) {
    const e = by('control').filter((x) => x.op === 'echo');
    check(
      'control: ECHO rates of the libnl C client, the addon, vnet-echo -f and the raw-netlink C clients; 2 syscalls per request',
      e.length === o.rounds && e.every((x) => pos(x.c) && pos(x.node) && pos(x.flood) && pos(x.raw) && pos(x.batch) && x.syscalls === 2),
      JSON.stringify(e),
    );
    for (const m of CTL_MODES) {
      const r = by('control').filter((x) => x.op === m);
      check(`control: ${m} rates, C and Node`, r.length === o.rounds && r.every((x) => pos(x.c) && pos(x.node)), JSON.stringify(r));
    }
  }
  if (o.cases.includes('host')) {
    const h = by('cli').filter((x) => x.where === 'host');
    check('cli host: every command --help and --version timed, with the anchors', h.length >= 18 && h.every((x) => x.ms.length === o.rounds && x.ms.every(pos)), `${h.length} rows`);
  }
  if (guestCases.includes('cli')) {
    const g = by('cli').filter((x) => x.where === 'guest');
    check('cli guest: every command timed (real calls, exit 0), with the anchors', g.length >= 10 && g.every((x) => x.ms.length === o.rounds && x.ms.every(pos)), `${g.length} rows`);
    const c = by('crowd');
    check('cli guest: vnetconfig -a and ip link show in the two namespaces', c.length === 4 && c.every((x) => x.ms.every(pos)), JSON.stringify(c));
  }
  if (guestCases.includes('memory')) {
    const m = by('memory');
    check('memory: kernel memory per device, vnet and dummy, positive', ['vnet', 'dummy'].every((k) => m.some((x) => x.kind === k && pos(x.kernel_kb))), JSON.stringify(m));
    const r = by('rss');
    check('memory: RSS without and with the addon', r.length > 0 && r.every((x) => pos(x.node_kb) && pos(x.loaded) && x.used >= x.start), JSON.stringify(r));
  }
  const bad = goals.filter((g) => !g.ratio || !Number.isFinite(g.ratio.median));
  check(`every goal measured has a ratio (${goals.length} goals)`, goals.length > 0 && bad.length === 0, bad.map((g) => g.what).join('; '));
  check('the plot is drawn by gnuplot', plotErr === null, plotErr);
  return out;
}

module.exports = { checks };
