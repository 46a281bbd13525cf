/*
 * npm run bench's arithmetic and its smoke checks (bench/lib), on
 * synthetic records: ratios are taken round by round, goals are judged
 * on the median, and the smoke run's checks fail on a broken bench.
 */
import * as path from 'node:path';

/* eslint-disable @typescript-eslint/no-require-imports */
const ROOT = path.join(__dirname, '..', '..');
const stats = require(path.join(ROOT, 'bench', 'lib', 'stats.js'));
const { analyze } = require(path.join(ROOT, 'bench', 'lib', 'analyze.js'));
const { checks } = require(path.join(ROOT, 'bench', 'lib', 'checks.js'));
const { notes } = require(path.join(ROOT, 'bench', 'lib', 'notes.js'));
const { missedBy } = require(path.join(ROOT, 'bench', 'lib', 'report.js'));
const { PATHS, SCALING_PATHS } = require(path.join(ROOT, 'bench', 'guest', 'datapath.js'));
/* eslint-enable @typescript-eslint/no-require-imports */

type Rec = Record<string, unknown>;

/** A complete smoke run's records, every figure plausible. */
function run(rounds = 1): Rec[] {
  const recs: Rec[] = [];
  for (let round = 1; round <= rounds; round++) {
    for (const size of [60, 1514]) {
      for (const p of PATHS) {
        for (const threads of SCALING_PATHS.includes(p) ? [1, 2] : [1]) {
          const pps = p === 'veth' ? 100000 : 99000;
          recs.push({ case: 'datapath', path: p, size, threads, round, loss: 20, sent: 20000, usec: 200000, errors: 0, pps });
        }
      }
    }
  }
  for (const loss of [1, 10, 50, 90, 99]) {
    recs.push({ case: 'accuracy', kind: 'percent', loss, frames: 10000, sent: 10000, dropped: loss * 100, other_drops: 0, observed: loss / 100, z: 0.5 });
  }
  recs.push({ case: 'accuracy', kind: 'seeded', loss: 20, frames: 10000, dropped: [1965, 1965], z: -0.9 });
  recs.push({ case: 'accuracy', kind: 'time', on: 20, off: 30, round: 1, frames: 3000, relayed: 1200, dropped: 1800, edges: 12, max_err_us: 150, max_gap_us: 100, max_excess_us: 50, bad_edges: 0, misplaced: 0, set_us: 100, counter_dropped: 1800 });
  for (let round = 1; round <= rounds; round++) {
    recs.push({ case: 'control', op: 'echo', round, c: 40000, node: 38000, flood: 45000, raw: 80000, batch: 140000, syscalls: 2 });
    for (const op of ['ioctl-get', 'ioctl-set', 'genl-get', 'genl-set']) recs.push({ case: 'control', op, round, c: 30000, node: 20000 });
  }
  const ms = (x: number) => Array.from({ length: rounds }, () => x);
  recs.push({ case: 'cli', where: 'host', name: 'node -e 0', anchor: true, ms: ms(50) });
  recs.push({ case: 'cli', where: 'host', name: 'ip link show', anchor: true, ms: ms(3) });
  for (let i = 0; i < 16; i++) recs.push({ case: 'cli', where: 'host', name: `cmd${i} --help`, anchor: false, ms: ms(55) });
  recs.push({ case: 'cli', where: 'guest', name: 'node -e 0', anchor: true, ms: ms(300) });
  recs.push({ case: 'cli', where: 'guest', name: 'ip link show', anchor: true, ms: ms(50) });
  for (let i = 0; i < 10; i++) recs.push({ case: 'cli', where: 'guest', name: `cmd${i}`, anchor: false, ms: ms(330) });
  for (const [name, interfaces, x] of [
    ['vnetconfig -a (10)', 10, 400],
    ['vnetconfig -a (100)', 100, 420],
    ['ip link show (10)', 10, 50],
    ['ip link show (100)', 100, 60],
  ] as const) {
    recs.push({ case: 'crowd', name, interfaces, ms: ms(x) });
  }
  recs.push({ case: 'memory', kind: 'vnet', round: 1, devices: 100, kernel_kb: 35, memfree_kb: 34, parts: {} });
  recs.push({ case: 'memory', kind: 'dummy', round: 1, devices: 100, kernel_kb: 34, memfree_kb: 33, parts: {} });
  recs.push({ case: 'rss', round: 1, node_kb: 40000, start: 40000, loaded: 41000, used: 42000 });
  for (const name of ['datapath', 'accuracy', 'control', 'cli', 'memory']) recs.push({ case: 'done', name, seconds: 1 });
  return recs;
}

const OPTS = { rounds: 1, cases: ['host', 'datapath', 'accuracy', 'control', 'cli', 'memory'] };

function failedChecks(recs: Rec[], plotErr: string | null = null): string[] {
  const { goals, tables } = analyze(recs);
  return checks(recs, OPTS, goals, tables, plotErr)
    .filter((c: { ok: boolean }) => !c.ok)
    .map((c: { name: string }) => c.name);
}

describe('bench arithmetic', () => {
  test('a ratio is the median of the per-round ratios, with their spread', () => {
    // the machine drifts: round 2 is slower for both, the ratio holds
    const r = stats.ratioOf([100, 50, 98], [110, 55, 100]);
    expect(r.median).toBeCloseTo(100 / 110, 5);
    expect(r.min).toBeCloseTo(50 / 55, 5);
    expect(r.max).toBeCloseTo(0.98, 5);
    expect(stats.fmtRatio(r)).toBe('0.91 (0.91–0.98)');
    expect(stats.median([3, 1, 2, 10])).toBe(2.5);
  });

  test('goals are judged on the median ratio, at or beyond (or within) the threshold', () => {
    const recs = run(3);
    const { goals } = analyze(recs);
    const g = (id: string) => goals.find((x: { id: string }) => x.id === id);
    expect(g('pass-60')).toMatchObject({ met: true, goalText: '≥ 0.97' }); // 0.99
    expect(g('percentL-60').met).toBe(true); // equal rates: 1.0 >= 1.0
    expect(g('flood')).toMatchObject({ met: false }); // 45000 / 40000 < 1.5
    expect(g('echo').ratio.median).toBeCloseTo(0.95, 5);
    expect(g('cli-guest')).toMatchObject({ met: true, goalText: '≤ 1.3' }); // 330 / 300
    expect(g('crowd').ratio.median).toBeCloseTo(1.05, 5);
    expect(g('drop-3sigma').met).toBe(true);
    expect(g('time-edges').met).toBe(true);
  });

  test("a missed relay-pass goal quotes its own frame size's macvlan, and claims the kernel's floor only when the figures show it", () => {
    // 64 B: macvlan 0.95 of veth, the relay 0.99 of macvlan; 1518 B: macvlan 0.96, the relay 0.90 of it
    const pps: Record<string, Record<number, number>> = { veth: { 60: 100000, 1514: 100000 }, macvlan: { 60: 95000, 1514: 96000 }, pass: { 60: 94050, 1514: 86400 } };
    const recs = run(3).map((r) => (r.case === 'datapath' && r.threads === 1 && pps[r.path as string] ? { ...r, pps: pps[r.path as string][r.size as number] } : r));
    const n = notes(recs, { counts: {} });
    expect(n['pass-60']).toContain('measured 0.95 (0.95–0.95)× veth direct in the same rounds, and the relay 0.99 (0.99–0.99)× macvlan: the relay costs what');
    expect(n['pass-1514']).toContain('measured 0.96 (0.96–0.96)× veth direct in the same rounds, and the relay 0.90 (0.90–0.90)× macvlan.');
    expect(n['pass-1514']).not.toContain('the relay costs what');
  });

  test("the guest-command bound says what 1.3 × node -e 0 leaves a real call after a command that does nothing", () => {
    const withVersion = (ms: number) =>
      notes([...run(3), { case: 'cli', where: 'guest', name: 'vnet-monitor --version', anchor: false, ms: [ms, ms, ms] }], { counts: {} })['cli-guest'];
    expect(withVersion(360)).toContain('With --version at 1.20 (1.20–1.20)× here, 1.3 × node -e 0 leaves a real call 30 ms for its own work');
    expect(withVersion(400)).toContain('With --version at 1.33 (1.33–1.33)× here, a command that does nothing is already over 1.3 × node -e 0');
  });

  test('a miss that rounds to its bound says by how much to a tenth of a percent', () => {
    expect(missedBy({ min: 0.97, ratio: { median: 0.9664 } })).toBe('0.4 % short (median 0.9664)');
    expect(missedBy({ min: 0.97, ratio: { median: 0.96996 } })).toBe('less than 0.1 % short (median 0.9700)');
    expect(missedBy({ min: 0.97, ratio: { median: 0.94 } })).toBe('3 % short (median 0.9400)');
    expect(missedBy({ max: 1.3, ratio: { median: 1.46 } })).toBe('12 % over (median 1.4600)');
  });

  test('a misplaced time-mode frame fails the edge goal, whatever the error', () => {
    const recs = run().map((r) => (r.kind === 'time' ? { ...r, misplaced: 1 } : r));
    expect(analyze(recs).goals.find((x: { id: string }) => x.id === 'time-edges').met).toBe(false);
  });
});

describe('the smoke run checks', () => {
  test('a complete run passes every check', () => {
    expect(failedChecks(run())).toEqual([]);
  });

  test('a case that did not finish, or failed, fails', () => {
    const recs = run().filter((r) => !(r.case === 'done' && r.name === 'memory'));
    recs.push({ case: 'error', name: 'memory', error: 'ip: boom' });
    expect(failedChecks(recs)).toEqual(['guest case memory ran without an error', 'guest case memory completed']);
  });

  test('a missing datapath configuration, a rate that is not a number, fail', () => {
    const recs = run().filter((r) => !(r.case === 'datapath' && r.path === 'loopback' && r.size === 1514 && r.threads === 2));
    const i = recs.findIndex((r) => r.case === 'datapath' && r.path === 'pass');
    recs[i] = { ...recs[i], pps: NaN };
    expect(failedChecks(recs)).toEqual([
      'datapath pass 60 B x1: 1 run(s), pktgen sent its frames, a rate',
      'datapath loopback 1514 B x2: 1 run(s), pktgen sent its frames, a rate',
      'every goal measured has a ratio (15 goals)', // relay pass / veth: NaN
    ]);
  });

  test('counters that do not add up fail: frames counted twice, a seed that does not repeat, a drop counter that disagrees', () => {
    const recs = run().map((r) => {
      if (r.kind === 'percent' && r.loss === 50) return { ...r, frames: 10001 };
      if (r.kind === 'seeded') return { ...r, dropped: [1965, 1966] };
      if (r.kind === 'time') return { ...r, counter_dropped: 1799 };
      return r;
    });
    expect(failedChecks(recs)).toEqual([
      'accuracy: percent at 50 % loss: every frame counted once (relayed or dropped), a finite z',
      'accuracy: the same --seed drops the same number of frames',
      'accuracy: time mode edges seen, the drop counter agrees with the frames that did not arrive',
    ]);
  });

  test('an ECHO that took more than two syscalls, a plot gnuplot could not draw, fail', () => {
    const recs = run().map((r) => (r.op === 'echo' ? { ...r, syscalls: 3 } : r));
    expect(failedChecks(recs, 'gnuplot exit 1')).toEqual([
      'control: ECHO rates of the libnl C client, the addon, vnet-echo -f and the raw-netlink C clients; 2 syscalls per request',
      'the plot is drawn by gnuplot',
    ]);
  });
});
