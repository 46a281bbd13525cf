#!/usr/bin/env node
'use strict';
/*
 * npm run bench: issue 9's measurements, side by side with their anchors.
 *
 *   node bench/run.js [--smoke] [--rounds N] [--scaling-rounds N] [--kernel V]
 *                     [--cases LIST] [--no-scaling] [--no-doc] [--keep FILE]
 *                     [--from FILE]
 *
 * 1. builds what it needs: the C clients (bench/c), the project if dist/
 *    is missing, gnuplot (Debian's gnuplot-nox) if it is not installed;
 * 2. on the host: the commands' wall time (--help, --version) against
 *    `node -e 0` and `ip link show`;
 * 3. boots the lab once (--smp 2) and runs bench/guest/main.js there: the
 *    datapath, drop accuracy, control path, commands and memory cases;
 * 4. boots it a second time with LAB_TCG_THREAD=multi (vCPUs in parallel)
 *    for the datapath's 1- against 2-thread runs, unless --no-scaling:
 *    --scaling-rounds rounds (default 7, at least --rounds), as its two
 *    vCPU threads compete with everything else on the host and its
 *    per-round ratios scatter the most (a few paths: ~40 s a round);
 * 5. prints the goals table and writes docs/performance.md with its plot
 *    (docs/performance.svg), unless --no-doc.
 *
 * --smoke: one round, small counts, no scaling boot, no doc: it checks
 * that every case ran and produced sane figures, asserts nothing about
 * time, and ends with "N passed, N failed" (npm test runs it).
 * --cases: a comma-separated subset of host,datapath,accuracy,control,
 * cli,memory.  --keep FILE: save every record (JSON lines).
 */
const { execFileSync, spawn, spawnSync } = require('node:child_process');
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');

const { analyze } = require('./lib/analyze');
const { checks } = require('./lib/checks');
const { notes } = require('./lib/notes');
const { goalsText, markdown, plot } = require('./lib/report');
const { wallRounds } = require('./lib/wall');

const ROOT = path.resolve(__dirname, '..');
/** The scaling boot's default rounds (see 4. above). */
const SCALING_ROUNDS = 7;
const say = (m) => process.stderr.write(`bench: ${m}\n`);

function parseArgs(argv) {
  const o = { smoke: false, rounds: undefined, scalingRounds: undefined, kernel: '6.1', cases: null, scaling: true, doc: true, keep: null, from: null };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    const val = () => {
      if (i + 1 >= argv.length) throw new Error(`${a} needs a value`);
      return argv[++i];
    };
    if (a === '--smoke') o.smoke = true;
    else if (a === '--rounds') o.rounds = Number(val());
    else if (a === '--scaling-rounds') o.scalingRounds = Number(val());
    else if (a === '--kernel') o.kernel = val();
    else if (a === '--cases') o.cases = val().split(',').filter(Boolean);
    else if (a === '--no-scaling') o.scaling = false;
    else if (a === '--no-doc') o.doc = false;
    else if (a === '--keep') o.keep = val();
    else if (a === '--from') o.from = val();
    else if (a === '-h' || a === '--help') {
      const lines = fs.readFileSync(__filename, 'utf8').split('\n');
      const head = lines.slice(3, lines.indexOf(' */'));
      process.stdout.write(head.map((l) => l.replace(/^ \*( |$)/, '')).join('\n') + '\n');
      process.exit(0);
    } else throw new Error(`unknown argument ${a}`);
  }
  for (const [k, flag] of [['rounds', '--rounds'], ['scalingRounds', '--scaling-rounds']]) {
    if (o[k] !== undefined && !(Number.isInteger(o[k]) && o[k] >= 1)) throw new Error(`${flag} must be a positive integer`);
  }
  if (o.smoke) {
    o.rounds ??= 1;
    o.scaling = false;
    o.doc = false;
  }
  o.rounds ??= 3;
  o.scalingRounds ??= Math.max(o.rounds, SCALING_ROUNDS);
  const known = ['host', 'datapath', 'accuracy', 'control', 'cli', 'memory'];
  for (const c of o.cases ?? []) if (!known.includes(c)) throw new Error(`unknown case ${c} (${known.join(', ')})`);
  o.cases ??= known;
  return o;
}

/** gnuplot from Debian, installed when missing (the plot must be drawn by a real tool). */
function ensureGnuplot() {
  if (spawnSync('gnuplot', ['--version'], { stdio: 'ignore' }).status === 0) return;
  say('installing gnuplot-nox (apt-get)');
  const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
  const opts = ['-y', '-q', '--no-install-recommends', '-o', 'Dpkg::Use-Pty=0'];
  let r = spawnSync('apt-get', ['install', ...opts, 'gnuplot-nox'], { stdio: ['ignore', 2, 2], env });
  if (r.status !== 0) {
    spawnSync('apt-get', ['update', '-q'], { stdio: ['ignore', 2, 2], env });
    r = spawnSync('apt-get', ['install', ...opts, 'gnuplot-nox'], { stdio: ['ignore', 2, 2], env });
  }
  if (r.status !== 0) throw new Error('could not install gnuplot-nox');
}

function build() {
  execFileSync('make', ['-s', '-C', path.join(ROOT, 'bench', 'c')], { stdio: ['ignore', 2, 2] });
  if (!fs.existsSync(path.join(ROOT, 'dist', 'bundle', 'vnetconfig.js'))) {
    say('dist/ is missing: npm run build');
    execFileSync('npm', ['run', '--silent', 'build'], { cwd: ROOT, stdio: ['ignore', 2, 2] });
  }
}

/** Host: each command's --help and --version, and the anchors. */
function hostCli({ rounds, smoke }) {
  const pkg = JSON.parse(fs.readFileSync(path.join(ROOT, 'package.json'), 'utf8'));
  const cmds = [
    { name: 'node -e 0', argv: [process.execPath, '-e', '0'], anchor: true },
    { name: 'ip link show', argv: ['ip', 'link', 'show'], anchor: true },
  ];
  for (const c of Object.keys(pkg.bin)) {
    for (const opt of ['--help', '--version']) cmds.push({ name: `${c} ${opt}`, argv: [path.join(ROOT, 'bin', c), opt] });
  }
  // the shims run node through env(1) from PATH: the same node as the anchor
  const env = { ...process.env, PATH: `${path.dirname(process.execPath)}:${process.env.PATH}` };
  const res = wallRounds(cmds, { rounds, reps: smoke ? 3 : 15, opts: { env } });
  return res.map((r) => ({ case: 'cli', where: 'host', name: r.name, anchor: !!cmds.find((c) => c.name === r.name).anchor, ms: r.ms }));
}

/** Boots the lab with the guest bench; resolves with its records and exit status. */
function guest({ kernel, rounds, smoke, cases, multi }) {
  const adds = execFileSync('make', ['-s', '-C', path.join(ROOT, 'bench', 'c'), 'list'], { encoding: 'utf8' })
    .trim()
    .split('\n')
    .flatMap((b) => ['--add', b]);
  const args = ['--kernel', kernel, '--smp', '2', ...adds, '--', 'node', 'bench/guest/main.js', '--rounds', String(rounds)];
  if (smoke) args.push('--smoke');
  args.push(...cases);
  const env = { ...process.env, LAB_TIMEOUT: process.env.LAB_TIMEOUT ?? (smoke ? '1200' : '7200') };
  if (multi) env.LAB_TCG_THREAD = 'multi';
  // The TSC as clocksource, as on hardware (bench/guest/datapath.js: under
  // TCG the kernel would mark it unstable and read hpet, an MMIO exit).
  env.LAB_APPEND = [process.env.LAB_APPEND, 'tsc=reliable'].filter(Boolean).join(' ');
  say(`lab/run ${args.filter((a) => !a.startsWith('/')).join(' ')}${multi ? ' (LAB_TCG_THREAD=multi)' : ''}`);
  return new Promise((resolve) => {
    const p = spawn(path.join(ROOT, 'lab', 'run'), args, { cwd: ROOT, env, stdio: ['ignore', 'pipe', 'inherit'] });
    const recs = [];
    let buf = '';
    p.stdout.on('data', (d) => {
      buf += d;
      let i;
      while ((i = buf.indexOf('\n')) >= 0) {
        const line = buf.slice(0, i);
        buf = buf.slice(i + 1);
        if (line.startsWith('BENCH ')) {
          try {
            recs.push(JSON.parse(line.slice(6)));
          } catch {
            say(`unreadable record: ${line}`);
          }
        } else if (line) process.stderr.write(`${line}\n`);
      }
    });
    p.on('close', (code) => resolve({ recs, code }));
  });
}

function git(...a) {
  const r = spawnSync('git', a, { cwd: ROOT, encoding: 'utf8' });
  return r.status === 0 ? r.stdout.trim() : '';
}

/**
 * The host's load while the bench runs: the 1-minute load average every
 * 15 s, and the qemu processes that are not ours (other engineers' labs
 * on the same cores).  The figures are only as good as the machine was
 * quiet: the doc says how quiet it was.
 */
function watchLoad() {
  const samples = [];
  const others = new Set();
  const sample = () => {
    samples.push(os.loadavg()[0]);
    const r = spawnSync('ps', ['-eo', 'pid,ppid,args'], { encoding: 'utf8' });
    for (const l of String(r.stdout ?? '').split('\n')) {
      const m = /^\s*(\d+)\s+\d+\s+(qemu-system\S*.*)$/.exec(l);
      // ours run our kernel with our run directory on their command line
      if (m && !m[2].includes(ROOT)) others.add(m[1]);
    }
  };
  sample();
  const timer = setInterval(sample, 15000);
  timer.unref();
  return () => {
    clearInterval(timer);
    sample();
    const s = [...samples].sort((a, b) => a - b);
    return { cores: os.cpus().length, samples: s.length, min: s[0], median: s[s.length >> 1], max: s[s.length - 1], otherQemu: others.size };
  };
}

/** Runs every case; returns the records and the run's own facts. */
async function measure(o) {
  const t0 = Date.now();
  const stopLoad = watchLoad();
  build();
  if (o.doc || o.smoke) ensureGnuplot();
  const recs = [];
  if (o.cases.includes('host')) {
    say('host: the commands against node -e 0');
    recs.push(...hostCli(o));
  }
  const guestCases = o.cases.filter((c) => c !== 'host');
  const failures = [];
  if (guestCases.length) {
    const g = await guest({ ...o, cases: guestCases, multi: false });
    recs.push(...g.recs);
    if (g.code !== 0) failures.push(`the guest bench exited ${g.code}`);
  }
  if (o.scaling && guestCases.includes('datapath')) {
    const g = await guest({ ...o, rounds: o.scalingRounds, cases: ['scaling'], multi: true });
    recs.push(...g.recs.filter((r) => r.case !== 'env'));
    if (g.code !== 0) failures.push(`the scaling boot (LAB_TCG_THREAD=multi) exited ${g.code}`);
  }
  const load = stopLoad();
  say(`host load (1-min average) during the run: median ${load.median.toFixed(2)}, ${load.min.toFixed(2)} to ${load.max.toFixed(2)} on ${load.cores} cores; ${load.otherQemu} other lab VM(s) seen`);
  const meta = {
    case: 'meta',
    rounds: o.rounds,
    scalingRounds: o.scaling && o.cases.includes('datapath') ? o.scalingRounds : undefined,
    seconds: Math.round((Date.now() - t0) / 1000),
    // (the bench's own outputs, the doc and its plot, do not count)
    commit: `${git('rev-parse', '--short', 'HEAD')}${git('status', '--porcelain', '--untracked-files=no', '--', '.', ':!docs/performance.md', ':!docs/performance.svg') ? ' + uncommitted changes' : ''}`,
    command: `npm run bench -- ${process.argv.slice(2).join(' ')}`.trim().replace(/ --$/, ''),
    date: new Date().toISOString().slice(0, 16).replace('T', ' ') + ' UTC',
    host: `${os.cpus().length} cores, ${os.cpus()[0]?.model ?? '?'}, Node ${process.version}`,
    load,
    failures,
  };
  if (o.keep) fs.writeFileSync(o.keep, [...recs, meta].map((r) => JSON.stringify(r)).join('\n') + '\n');
  return { recs, meta };
}

/** A kept run (--keep): its records and facts. */
function readKept(file) {
  const all = fs
    .readFileSync(file, 'utf8')
    .split('\n')
    .filter(Boolean)
    .map((l) => JSON.parse(l));
  const meta = all.find((r) => r.case === 'meta');
  if (!meta) throw new Error(`${file}: no "meta" record (not written by --keep?)`);
  return { recs: all.filter((r) => r.case !== 'meta'), meta: { ...meta, failures: [...(meta.failures ?? [])] } };
}

async function main() {
  const o = parseArgs(process.argv.slice(2));
  if (o.from && o.doc) ensureGnuplot();
  const { recs, meta } = o.from ? readKept(o.from) : await measure(o);
  const failures = meta.failures;
  const env = recs.find((r) => r.case === 'env') ?? {};
  const { goals, tables } = analyze(recs);
  process.stdout.write(`\n${goalsText(goals)}\n\n`);

  let plotErr = null;
  const runEnv = {
    ...env,
    tcg: 'thread=single',
    scalingTcg: 'thread=multi',
    rounds: meta.rounds,
    scalingRounds: meta.scalingRounds,
    counts: env.counts ?? {},
    load: meta.load,
  };
  if (o.doc) {
    const svg = path.join(ROOT, 'docs', 'performance.svg');
    plotErr = plot(goals, svg);
    if (plotErr) failures.push(`plot: ${plotErr}`);
    const md = markdown({
      goals,
      tables,
      env: runEnv,
      notes: notes(recs, runEnv),
      plotFile: plotErr ? null : 'performance.svg',
      commit: meta.commit,
      command: meta.command,
      date: meta.date,
      host: meta.host,
      load: meta.load,
    });
    fs.writeFileSync(path.join(ROOT, 'docs', 'performance.md'), md);
    say('wrote docs/performance.md and docs/performance.svg');
  }
  say(`done${o.from ? ` (records of ${o.from})` : ''} in ${meta.seconds} s`);

  if (o.smoke) {
    // the plot must be drawable: into a scratch file
    const svg = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'vnet-bench-')), 'plot.svg');
    plotErr = plot(goals, svg);
    const list = checks(recs, o, goals, tables, plotErr);
    for (const f of failures) list.push({ name: f, ok: false });
    for (const c of list) process.stdout.write(`${c.ok ? 'PASS' : 'FAIL'}: ${c.name}${c.detail ? ` (${c.detail})` : ''}\n`);
    const failed = list.filter((c) => !c.ok).length;
    process.stdout.write(`${list.length - failed} passed, ${failed} failed\n`);
    return failed ? 1 : 0;
  }
  for (const f of failures) say(`FAILED: ${f}`);
  return failures.length ? 1 : 0;
}

main().then(
  (rc) => {
    process.exitCode = rc;
  },
  (e) => {
    say(e.message);
    if (process.argv.includes('--smoke')) process.stdout.write('0 passed, 1 failed\n');
    process.exitCode = 1;
  },
);
