#!/usr/bin/env node
'use strict';
/*
 * Bundles each command into one file, dist/bundle/<command>.bundle.js,
 * and makes its V8 code cache (<command>.<arch>.cache); the bin/ shim calls
 * src/bundle/load.ts's main(<command>), which runs the bundle with its
 * cache.  `npm run build:ts` runs it after tsc.
 *
 * Why: a command run from dist/ loads ~30 of the project's files and
 * ~25 of commander's and chalk's, each one resolved, stat'ed, read and
 * compiled on its own; in the lab guest (qemu TCG, a lazily read disk
 * image) that made `vnetconfig --help` 3x `node -e 0` (issue 9,
 * docs/performance.md).  One file per command is one read and one
 * compile.  esbuild (a devDependency; nothing of it is shipped) does the
 * bundling: resolving node_modules, CommonJS interop and JSON the way
 * Node does is what it is made for, and a hand-written concatenator
 * would have to re-implement exactly that.
 *
 * commander requires node:child_process at load time, only to spawn the
 * executables of git-style subcommands, which no vnet command has; that
 * one require pulls in net, dgram and the stream stack (~70 ms under
 * TCG).  The bundle gives commander a lazy stand-in that loads the real
 * module on first use.  If commander's source stops matching, the build
 * fails rather than silently losing that.
 *
 * The caches are made by running each command's `--help`, `--version`
 * and a usage error in a child process (src/bundle/load.ts, writeCache),
 * which touches no device and no kernel.
 *
 *   node scripts/bundle.js [--check]     (--check: build in memory only)
 *   node scripts/bundle.js --cache-only  (the caches again, for this Node)
 */
const fs = require('node:fs');
const path = require('node:path');

const root = path.resolve(__dirname, '..');
const dist = path.join(root, 'dist');
const out = path.join(dist, 'bundle');

/** The commands: one per bin/ entry of package.json. */
function commands() {
  const pkg = JSON.parse(fs.readFileSync(path.join(root, 'package.json'), 'utf8'));
  return Object.keys(pkg.bin).sort();
}

const CHILD_PROCESS = "const childProcess = require('node:child_process');";
const LAZY_CHILD_PROCESS =
  "const childProcess = { spawn: (...a) => require('node:child_process').spawn(...a) };";

/** esbuild plugin: commander's eager child_process require made lazy. */
const lazyChildProcess = {
  name: 'vnet-lazy-child-process',
  setup(build) {
    build.onLoad({ filter: /[\\/]commander[\\/]lib[\\/]command\.js$/ }, async (args) => {
      const src = await fs.promises.readFile(args.path, 'utf8');
      if (!src.includes(CHILD_PROCESS)) {
        throw new Error(`${args.path}: "${CHILD_PROCESS}" not found; update scripts/bundle.js for this commander`);
      }
      const uses = src.match(/childProcess\.(\w+)/g) ?? [];
      const other = uses.filter((u) => u !== 'childProcess.spawn');
      if (other.length) throw new Error(`${args.path}: uses ${other.join(', ')}; the lazy stand-in only has spawn`);
      return { contents: src.replace(CHILD_PROCESS, LAZY_CHILD_PROCESS), loader: 'js' };
    });
  },
};

/** Every command's cache, made again (src/bundle/load.ts, refreshCaches). */
function writeCaches(cmds) {
  const failed = require(path.join(out, 'load.js')).refreshCaches(out, cmds, true);
  for (const f of failed) console.error(`bundle: the code cache of ${f}`);
  return failed.length ? 1 : 0;
}

async function main() {
  const check = process.argv.includes('--check');
  if (process.argv.includes('--cache-only')) return writeCaches(commands());
  let esbuild;
  try {
    esbuild = require('esbuild');
  } catch {
    console.error('bundle: esbuild is missing (a devDependency: run `npm ci`)');
    return 1;
  }
  const cmds = commands();
  const missing = cmds.filter((c) => !fs.existsSync(path.join(dist, 'commands', `${c}.js`)));
  if (missing.length) {
    console.error(`bundle: dist/commands/{${missing.join(',')}}.js missing: run tsc first (npm run build:ts)`);
    return 1;
  }
  const result = await esbuild.build({
    entryPoints: Object.fromEntries(cmds.map((c) => [`${c}.bundle`, path.join(dist, 'commands', `${c}.js`)])),
    outdir: out,
    bundle: true,
    platform: 'node',
    target: 'node20',
    format: 'cjs',
    write: !check,
    logLevel: 'warning',
    legalComments: 'inline',
    plugins: [lazyChildProcess],
    metafile: true,
  });
  if (result.errors.length) return 1;
  // What each bundle may require at run time: Node's own modules only.
  for (const [file, o] of Object.entries(result.metafile.outputs)) {
    const ext = o.imports.filter((i) => i.external && !/^(node:)?[a-z_/]+$/.test(i.path));
    if (ext.length) {
      console.error(`bundle: ${file} requires ${ext.map((i) => i.path).join(', ')} at run time`);
      return 1;
    }
  }
  if (check) return 0;
  return writeCaches(cmds);
}

main().then(
  (rc) => {
    process.exitCode = rc;
  },
  (e) => {
    console.error(`bundle: ${e.message}`);
    process.exitCode = 1;
  },
);
