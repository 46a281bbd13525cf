'use strict';
/*
 * The bench's outputs: the goals table on the terminal, docs/performance.md
 * and its plot, drawn by gnuplot (Debian's gnuplot-nox) from the measured
 * ratios: a bar per goal, its spread over the rounds as an error bar, and
 * the goal as a mark.
 */
const { spawnSync } = require('node:child_process');
const fs = require('node:fs');

const { fmtRatio } = require('./stats');

const mark = (met) => (met === null ? '?' : met ? 'met' : 'MISSED');

/** The goals as fixed-width text. */
function goalsText(goals) {
  const w = Math.max(...goals.map((g) => g.what.length), 10);
  const lines = [`${'goal'.padEnd(w)}  ${'measured'.padEnd(20)} ${'wanted'.padEnd(7)} result`];
  for (const g of goals) lines.push(`${g.what.padEnd(w)}  ${fmtRatio(g.ratio).padEnd(20)} ${g.goalText.padEnd(7)} ${mark(g.met)}`);
  return lines.join('\n');
}

function mdTable(head, rows) {
  const esc = (x) => String(x ?? '').replace(/\|/g, '\\|');
  return [`| ${head.map((h) => h[0]).join(' | ')} |`, `|${head.map(() => '---').join('|')}|`, ...rows.map((r) => `| ${head.map((h) => esc(r[h[1]])).join(' | ')} |`)].join('\n');
}

/**
 * Draws the plot with gnuplot into `svg`.  Returns null on success, else
 * why not.  Each bar: the measured ratio (median of the rounds), the
 * rounds' min and max as an error bar, the goal as a mark.
 */
function plot(goals, svg) {
  const withRatio = goals.filter((g) => g.ratio && Number.isFinite(g.ratio.median) && !['drop-3sigma', 'time-edges'].includes(g.id));
  if (!withRatio.length) return 'nothing to plot';
  const dat = `${svg}.dat`;
  fs.writeFileSync(
    dat,
    withRatio
      .map((g, i) => {
        const goalv = g.max ?? g.min;
        const label = g.what.replace(/"/g, "'");
        return `${i} ${g.ratio.median} ${g.ratio.min} ${g.ratio.max} ${goalv} ${g.met ? 1 : 0} "${label}"`;
      })
      .join('\n') + '\n',
  );
  const h = 170 + 26 * withRatio.length;
  const script = `
set terminal svg size 900,${h} dynamic font "sans,11" background "#ffffff"
set output "${svg}"
set label 1 "vnet, issue 9: the ratios measured (bar: median of the rounds, whiskers: min to max)\\nand the goals (diamonds); blue: met, red: missed" at screen 0.01, screen 1 left front offset 0,-1
set tmargin 4
set style fill solid 0.6 border -1
set ytics nomirror
set yrange [${withRatio.length - 0.3}:-0.7]
set xrange [0:*]
set xlabel "ratio"
set grid xtics
set key below
unset ytics
set ytics () 
set ytics scale 0
set lmargin 52
set arrow from 1, graph 0 to 1, graph 1 nohead dt 2 lc rgb "#888888"
plot "${dat}" using (($2)/2):1:(0):2:($1-0.35):($1+0.35):($6 > 0.5 ? 0x4a90d9 : 0xd9534f):ytic(7) with boxxyerror lc rgb variable notitle, \\
     "" using 2:1:3:4 with xerrorbars lc rgb "#333333" pt 0 notitle, \\
     "" using 5:1 with points pt 13 ps 1.4 lc rgb "#222222" title "goal"
`;
  const r = spawnSync('gnuplot', [], { input: script, encoding: 'utf8' });
  fs.rmSync(dat, { force: true });
  if (r.error) return `gnuplot: ${r.error.message}`;
  if (r.status !== 0) return `gnuplot exit ${r.status}: ${r.stderr.trim()}`;
  if (!fs.existsSync(svg) || !/<svg/.test(fs.readFileSync(svg, 'utf8'))) return 'gnuplot wrote no SVG';
  return null;
}

/** docs/performance.md. */
/**
 * How far a missed goal is from its bound, in % (to a tenth under 1 %: a
 * median that rounds to the bound, 0.966 against 0.97, is not "0 % short"),
 * and the median itself to 4 places.
 */
function missedBy(g) {
  const pct = g.max !== undefined ? (g.ratio.median / g.max - 1) * 100 : (1 - g.ratio.median / g.min) * 100;
  const by = pct < 0.1 ? 'less than 0.1' : pct.toFixed(pct < 1 ? 1 : 0);
  return `${by} % ${g.max !== undefined ? 'over' : 'short'} (median ${g.ratio.median.toFixed(4)})`;
}

function markdown({ goals, tables, env, notes, plotFile, commit, command, date, host, load }) {
  const out = [];
  out.push('# Performance');
  out.push('');
  out.push(
    `Written by \`${command}\` (bench/run.js) on ${date}, commit \`${commit}\`: every figure below comes from that run. ` +
      `Guest kernel ${env.kernel}, ${env.cpus} vCPUs under qemu TCG (${env.tcg}); host ${host}. ` +
      'Absolute figures under TCG drift by about 25 % from run to run: the ratios, taken round by round against an anchor measured in the same round of the same boot, are what count. ' +
      `Each figure is the median of ${env.rounds} alternating rounds` +
      (env.scalingRounds && env.scalingRounds !== env.rounds ? ` (${env.scalingRounds} in the boot with vCPUs in parallel, for one pktgen thread against two)` : '') +
      ", with the rounds' minimum and maximum in parentheses.",
  );
  out.push('');
  if (load) {
    out.push(
      `**Host load during this run**: the 1-minute load average, sampled every 15 s (${load.samples} samples), was ${load.median.toFixed(2)} ` +
        `(median; ${load.min.toFixed(2)} to ${load.max.toFixed(2)}) on ${load.cores} cores, and ` +
        (load.otherQemu
          ? `${load.otherQemu} lab VM(s) other than the bench's own ran meanwhile (other engineers' test suites on the same machine). `
          : 'no lab VM other than the bench\'s own ran meanwhile. ') +
        "The guest's vCPUs got what was left of the cores: a ratio within a round holds " +
        'only as far as the load stayed even across it, and the spreads below show how far that was.',
    );
    out.push('');
  }
  out.push('## Goals (issue 9)');
  out.push('');
  out.push(
    mdTable(
      [
        ['goal', 'what'],
        ['measured', 'measured'],
        ['wanted', 'goalText'],
        ['result', 'result'],
      ],
      goals.map((g) => ({ ...g, measured: fmtRatio(g.ratio) + (g.extra ? `; ${g.extra}` : ''), result: mark(g.met) })),
    ),
  );
  out.push('');
  if (plotFile) out.push(`![measured ratios and goals](${plotFile})`, '');
  const missed = goals.filter((g) => g.met === false);
  if (missed.length) {
    out.push('### Missed goals: by how much, and what bounds them', '');
    for (const g of missed) {
      out.push(`- **${g.what}**: ${fmtRatio(g.ratio)} against ${g.goalText}, ${missedBy(g)}. ${notes[g.id] ?? notes[g.id.replace(/-\d+$/, '')] ?? ''}`.trim());
    }
    out.push('');
  }
  out.push('## Datapath');
  out.push('');
  out.push(notes.datapathMethod);
  out.push('');
  out.push(
    mdTable(
      [
        ['path', 'name'],
        ['frame', 'size'],
        ['frames/s', 'value'],
        ['/ veth direct', 'ratio'],
        ['/ relay pass', 'vsPass'],
      ],
      (tables.datapath ?? []).filter((r) => !/2 pktgen threads/.test(r.name)),
    ),
  );
  out.push('');
  out.push('### One pktgen thread against two (64 B)');
  out.push('');
  out.push(notes.scalingMethod);
  out.push('');
  out.push(
    mdTable(
      [
        ['boot', 'boot'],
        ['path', 'name'],
        ['1 thread, frames/s', 'one'],
        ['2 threads, frames/s', 'two'],
        ['2 / 1', 'ratio'],
      ],
      (tables.scaling ?? []).map((r) => ({ ...r, boot: r.boot === 'scaling' ? `vCPUs in parallel (${env.scalingTcg})` : `vCPUs in turn (${env.tcg})` })),
    ),
  );
  out.push('');
  out.push('## Drop accuracy');
  out.push('');
  out.push(notes.accuracyMethod);
  out.push('');
  out.push(
    mdTable(
      [
        ['setting', 'name'],
        ['frames', 'frames'],
        ['observed drops', 'observed'],
        ['sigma', 'sigma'],
        ['z', 'z'],
        ['within 3 sigma', 'okText'],
      ],
      (tables.percent ?? []).map((r) => ({ ...r, okText: r.ok ? 'yes' : 'NO' })),
    ),
  );
  out.push('');
  out.push(
    mdTable(
      [
        ['time mode', 'name'],
        ['frames', 'frames'],
        ['edges', 'edges'],
        ['max error', 'maxErr'],
        ['max gap', 'maxGap'],
        ['error - gap, max', 'excess'],
        ['longest send(2)', 'send'],
        ['misplaced frames', 'misplaced'],
        ['drop counter', 'counters'],
      ],
      tables.time ?? [],
    ),
  );
  out.push('');
  out.push('## Control path');
  out.push('');
  out.push(notes.controlMethod);
  out.push('');
  out.push(
    mdTable(
      [
        ['operation', 'name'],
        ['per second', 'value'],
        ['/ C', 'ratio'],
      ],
      tables.control ?? [],
    ),
  );
  out.push('');
  out.push('## Commands');
  out.push('');
  out.push(notes.cliMethod);
  out.push('');
  for (const [where, title] of [
    ['host', 'On the host (no module: --help and --version)'],
    ['guest', 'In the guest (real calls against the module)'],
  ]) {
    if (!tables[`cli_${where}`]) continue;
    out.push(`### ${title}`, '');
    out.push(
      mdTable(
        [
          ['command', 'name'],
          ['ms', 'ms'],
          ['/ node -e 0', 'vsNode'],
          ['/ ip link show', 'vsIp'],
        ],
        tables[`cli_${where}`],
      ),
    );
    out.push('');
  }
  if (tables.crowd) {
    out.push('### `vnetconfig -a` in a crowded namespace', '');
    if (notes.crowdMethod) out.push(notes.crowdMethod, '');
    out.push(mdTable([['command (interfaces in the namespace)', 'name'], ['ms', 'ms'], ['/ 10 interfaces', 'ratio']], tables.crowd));
    out.push('');
  }
  out.push('## Memory');
  out.push('');
  out.push(notes.memoryMethod);
  out.push('');
  out.push(mdTable([['what', 'name'], ['measured', 'value'], ['/ anchor', 'ratio']], tables.memory ?? []));
  out.push('');
  out.push('## Reproducing');
  out.push('');
  out.push(notes.reproduce);
  out.push('');
  return out.join('\n');
}

module.exports = { goalsText, markdown, missedBy, plot, mdTable };
