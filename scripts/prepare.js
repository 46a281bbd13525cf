#!/usr/bin/env node
'use strict';
/*
 * npm "prepare": builds the checkout (ABI constants, the addon with
 * cmake-js, the TypeScript) after `npm ci` / `npm install` in it, and
 * before `npm pack` (whose "prepack" then adds prebuilds/).
 *
 * It never installs anything: the build tools are devDependencies that
 * `npm ci` installs.  `npm install -g .` runs "prepare" in a folder it
 * merely links, without installing any dependency; in a checkout that
 * `npm ci` has not set up, that would need a second npm run here (which
 * wrote the lockfile and put 317 development packages into the user's
 * clone).  So it stops with the supported ways to install instead.
 */
const { spawnSync } = require('node:child_process');
const fs = require('node:fs');
const path = require('node:path');

const root = path.resolve(__dirname, '..');
const TOOLS = ['typescript', 'cmake-js', 'node-addon-api', 'commander', 'chalk', 'node-gyp-build'];

function main() {
  const missing = TOOLS.filter((m) => !fs.existsSync(path.join(root, 'node_modules', m, 'package.json')));
  if (missing.length > 0) {
    const linking = process.env.npm_config_global === 'true';
    console.error(
      [
        `vnet: cannot build here: ${missing.join(', ')} missing from ${path.join(root, 'node_modules')}.`,
        linking
          ? '`npm install -g .` only links this folder, and installs none of its dependencies.'
          : 'This checkout has no dependencies installed.',
        'To install the commands from a clone:',
        '  npm ci && npm pack && sudo npm install -g ./vnet-*.tgz',
        'To develop: npm ci (builds everything), then npm test.  See README.md, "Installing".',
        ...(linking ? ['(`npm rm -g vnet` removes the link npm has left.)'] : []),
      ].join('\n'),
    );
    return 1;
  }
  // The outer npm's settings (global, prefix, ...) are not for this run.
  const env = Object.fromEntries(Object.entries(process.env).filter(([k]) => !/^npm_config_/i.test(k)));
  // Build output goes to stderr: `npm pack`'s stdout is the tarball's name.
  const r = spawnSync('npm', ['run', '--silent', 'build'], { cwd: root, stdio: ['ignore', 2, 2], env });
  if (r.error) throw r.error;
  return r.status ?? 1;
}

process.exitCode = main();
