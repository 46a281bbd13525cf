'use strict';
/*
 * Wall time of commands, as a script sees it: fork, exec, run, exit, with
 * stdout and stderr into pipes that are read.  ROUNDS alternating rounds:
 * in each, every command runs REPS times in turn (A B C A B C ...), and
 * the round's figure for a command is the fastest of its REPS runs: on
 * this shared 2-core machine the other work only ever adds time to a run
 * (a lab guest's node -e 0 ranged over 0.39 to 0.66 s within one boot),
 * and the fastest run is the one it disturbed least.  Returns, per
 * command, the per-round figures in milliseconds.
 */
const { spawnSync } = require('node:child_process');

function median(xs) {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
}

/** One run of argv: milliseconds and exit status. */
function once(argv, opts = {}) {
  const t0 = process.hrtime.bigint();
  const r = spawnSync(argv[0], argv.slice(1), { stdio: ['ignore', 'pipe', 'pipe'], maxBuffer: 64 << 20, ...opts });
  const ms = Number(process.hrtime.bigint() - t0) / 1e6;
  if (r.error) throw new Error(`${argv.join(' ')}: ${r.error.message}`);
  return { ms, status: r.status, stderr: String(r.stderr ?? '') };
}

/**
 * cmds: [{ name, argv, ok?: number[] (accepted exit statuses, default [0]),
 *          before?: () => void (runs before each run, untimed) }]
 */
function wallRounds(cmds, { rounds, reps, warmup = 1, opts } = {}) {
  for (let i = 0; i < warmup; i++) for (const c of cmds) (c.before?.(), once(c.argv, opts));
  const res = cmds.map(() => []);
  for (let round = 0; round < rounds; round++) {
    const runs = cmds.map(() => []);
    for (let i = 0; i < reps; i++) {
      cmds.forEach((c, j) => {
        c.before?.();
        const r = once(c.argv, opts);
        if (!(c.ok ?? [0]).includes(r.status)) {
          throw new Error(`${c.argv.join(' ')}: exit ${r.status}: ${r.stderr.trim()}`);
        }
        runs[j].push(r.ms);
      });
    }
    runs.forEach((xs, j) => res[j].push(Math.min(...xs)));
  }
  return cmds.map((c, j) => ({ name: c.name, ms: res[j] }));
}

module.exports = { wallRounds, once, median };
