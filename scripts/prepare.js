#!/usr/bin/env node
'use strict';
/*
 * npm "prepare": makes the package runnable from its folder.
 *
 * `npm install -g .` links the folder into the global prefix and runs its
 * lifecycle scripts, but installs none of its dependencies: so this
 * installs them (scripts ignored: no recursion into prepare) when they are
 * missing, then builds the ABI constants, the addon and the TypeScript.
 * It also runs before `npm pack`, so a tarball carries fresh dist/ and
 * build/Release/vnet.node (see "files"); tarball installs run no scripts.
 */
const { execFileSync } = require('node:child_process');
const fs = require('node:fs');
const path = require('node:path');

const root = path.resolve(__dirname, '..');
const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';
// The outer npm's settings (global, prefix, ...) must not reach the inner
// one: this installs into the package's own folder.
const env = Object.fromEntries(Object.entries(process.env).filter(([k]) => !/^npm_config_/i.test(k)));
const run = (args) => execFileSync(npm, args, { cwd: root, stdio: 'inherit', env });

function main() {
  const missing = ['commander', 'chalk', 'cmake-js', 'typescript', 'node-addon-api'].filter(
    (m) => !fs.existsSync(path.join(root, 'node_modules', m, 'package.json')),
  );
  if (missing.length > 0) {
    console.error(`vnet: installing dependencies (${missing.join(', ')} missing)`);
    run(['install', '--ignore-scripts', '--no-audit', '--no-fund']);
  }
  run(['run', '--silent', 'build']);
}

main();
