#!/usr/bin/env node
'use strict';
/*
 * npm "install" script of the published package, node-gyp-build's
 * convention with cmake-js in place of node-gyp:
 *
 *   - the binary node-gyp-build picks (prebuilds/linux-<arch>/, or an
 *     earlier build in build/Release) loads in this Node.js: nothing to do
 *     (no compiler needed);
 *   - otherwise (another architecture, musl, a glibc or libstdc++ too old
 *     for the prebuilt one): build from source with cmake-js (cmake, make
 *     or ninja, g++), then check that build/Release/vnet.node loads.
 *
 * Either way, the commands' V8 code caches (dist/bundle/*.<arch>.cache, made
 * by the build for the Node that built the package) are made again when
 * this Node does not take them: without them a command starts slower,
 * never differently (src/bundle/load.ts).
 *
 * In a development checkout (the package is not under node_modules/) it
 * does nothing: there `npm ci` runs "prepare", which builds everything.
 * `npm rebuild vnet` runs it again.
 */
const { spawnSync } = require('node:child_process');
const path = require('node:path');

const root = path.resolve(__dirname, '..');
const say = (msg) => console.error(`vnet: ${msg}`);

/** The binary node-gyp-build picks, if it loads here; else undefined. */
function loadable() {
  let file;
  try {
    file = require('node-gyp-build').path(root);
  } catch (e) {
    say(e.message.trim().split('\n')[0]);
    return undefined;
  }
  try {
    const m = { exports: {} };
    process.dlopen(m, file);
    if (typeof m.exports.setErrorClass !== 'function') throw new Error('not the vnet addon');
    return file;
  } catch (e) {
    say(`${path.relative(root, file)} does not load here: ${e.message.split('\n')[0]}`);
    return undefined;
  }
}

function buildFromSource() {
  let cmakeJs;
  try {
    cmakeJs = require.resolve('cmake-js/bin/cmake-js', { paths: [root] });
  } catch {
    say('cmake-js is not installed (an install with --omit=optional?): cannot build from source');
    return false;
  }
  say('building the addon from source (cmake-js: cmake, make or ninja, g++)');
  const r = spawnSync(process.execPath, [cmakeJs, 'rebuild'], { cwd: root, stdio: ['ignore', 2, 2] });
  if (r.error) say(r.error.message);
  return r.status === 0;
}

/** The code caches for this Node; a failure only costs start-up time. */
function codeCaches() {
  try {
    const dir = path.join(root, 'dist', 'bundle');
    const cmds = Object.keys(require(path.join(root, 'package.json')).bin);
    for (const f of require(path.join(dir, 'load.js')).refreshCaches(dir, cmds)) say(`code cache of ${f} (the command works, its start is slower)`);
  } catch (e) {
    say(`code caches: ${e.message.split('\n')[0]} (the commands work, they start slower)`);
  }
}

function main() {
  if (path.basename(path.dirname(root)) !== 'node_modules') return 0;
  codeCaches();
  const file = loadable();
  if (file) {
    say(`using ${path.relative(root, file)}`);
    return 0;
  }
  if (buildFromSource()) {
    const built = loadable();
    if (built) {
      say(`built ${path.relative(root, built)}`);
      return 0;
    }
  }
  say(
    `no binary for linux-${process.arch} loads here and the build from source failed: install ` +
      'cmake, make and g++ (Debian: apt-get install cmake make g++), then run `npm rebuild -g vnet`',
  );
  return 1;
}

process.exitCode = main();
