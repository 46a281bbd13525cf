#!/usr/bin/env node
'use strict';
/*
 * Runs jest on the given paths and ends with the one summary line CI
 * reads: "N passed, N failed[, N skipped]".  A suite that fails to run
 * (compile error, crash) counts as one failed test; a run that executed
 * no test at all counts as one failure too.
 *
 *   node scripts/jest-summary.js [jest args...]
 */
const { spawnSync } = require('node:child_process');
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');

const out = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'jest-')), 'result.json');
const jest = require.resolve('jest/bin/jest');
const run = spawnSync(process.execPath, [jest, '--json', `--outputFile=${out}`, ...process.argv.slice(2)], {
  stdio: 'inherit',
});

let passed = 0;
let failed = 0;
let skipped = 0;
try {
  const r = JSON.parse(fs.readFileSync(out, 'utf8'));
  passed = r.numPassedTests;
  failed = r.numFailedTests + r.numRuntimeErrorTestSuites;
  skipped = r.numPendingTests + r.numTodoTests;
  if (r.numTotalTests === 0) {
    console.error('jest-summary: no test was executed');
    failed += 1;
  }
} catch (e) {
  console.error(`jest-summary: no results from jest (exit ${run.status}): ${e.message}`);
  failed += 1;
}
if (run.status !== 0 && failed === 0) failed = 1;

console.log(`${passed} passed, ${failed} failed${skipped ? `, ${skipped} skipped` : ''}`);
process.exitCode = failed === 0 ? 0 : 1;
