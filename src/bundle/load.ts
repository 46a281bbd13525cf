/*
 * Runs a command's bundle (dist/bundle/NAME.bundle.js, made by
 * scripts/bundle.js) with its V8 code cache (NAME.ARCH.cache).
 *
 * Without a cache, V8 parses the whole ~250 KB bundle before running a
 * line of it and compiles each function on its first call; in the lab
 * guest (qemu TCG) that was a third of a command's start-up time.  The
 * cache holds the bytecode of the top level and of every function that
 * `--help` and a usage error ran when it was made, so a start needs
 * neither (Node 22 has module.enableCompileCache(); Node 20, which this
 * package supports, does not).
 *
 * V8 accepts a cache only from the same V8 build and flags, for a source
 * of the same length; anything else is rejected (`cachedDataRejected`)
 * and the bundle compiles from source as usual: a cache can make a start
 * slower never wrong.  The build writes the caches for the Node that
 * builds the package; the install script (scripts/install.js) writes them
 * again for the Node that installs it when that one rejects them.  The
 * bundle and its cache are made together and never edited.
 */
import { readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Script } from 'node:vm';

/** What a command's bundle exports. */
export interface CommandModule {
  /** runs the command on process.argv, sets process.exitCode */
  main(): Promise<void>;
}

// Module.wrap's wrapper: the bundle's line numbers stay those of the file.
const HEAD = '(function (exports, require, module, __filename, __dirname) { ';
const TAIL = '\n});';

export function bundlePath(dir: string, name: string): string {
  return join(dir, `${name}.bundle.js`);
}

/**
 * One cache per architecture: V8 checks a cache's version, flags and
 * source but not the machine it was made on, and arm64 Node 20 crashes
 * (SIGSEGV) on the x64 cache the package is built with.  A Node of
 * another version rejects the cache cleanly (cachedDataRejected).
 */
export function cachePath(dir: string, name: string): string {
  return join(dir, `${name}.${process.arch}.cache`);
}

function compile(dir: string, name: string, cachedData?: Buffer): Script {
  const file = bundlePath(dir, name);
  return new Script(HEAD + readFileSync(file, 'utf8') + TAIL, { filename: file, cachedData });
}

function run(script: Script, dir: string, name: string): CommandModule {
  const mod = { exports: {} as CommandModule };
  const fn = script.runInThisContext() as (...a: unknown[]) => void;
  // The bundle requires Node's own modules only (scripts/bundle.js checks).
  fn.call(mod.exports, mod.exports, require, mod, bundlePath(dir, name), dir);
  return mod.exports;
}

function readCache(dir: string, name: string): Buffer | undefined {
  try {
    return readFileSync(cachePath(dir, name));
  } catch {
    return undefined;
  }
}

/** The command NAME of the bundles in DIR, compiled with its cache when V8 takes it. */
export function loadCommand(dir: string, name: string): CommandModule {
  return run(compile(dir, name, readCache(dir, name)), dir, name);
}

/**
 * What a bin/ shim calls (`require('../dist/bundle/load.js').main('NAME')`):
 * runs command NAME from the bundles beside this file.  The shim comes
 * straight here, with no module of its own per command in between: in
 * the lab guest each module Node resolves, reads and compiles costs a few
 * milliseconds (issue 9).
 */
export function main(name: string): Promise<void> {
  return loadCommand(__dirname, name).main();
}

/** Does this Node take NAME's cache?  (false: missing or rejected) */
export function cacheAccepted(dir: string, name: string): boolean {
  const cached = readCache(dir, name);
  return cached !== undefined && !compile(dir, name, cached).cachedDataRejected;
}

/** The argument lists a cache is made from: no device, no kernel, no output kept. */
export const WARM_RUNS: readonly (readonly string[])[] = [['--help'], ['--version'], ['--no-such-option']];

/**
 * Makes NAME's cache in this process: compiles the bundle, runs the
 * command with each of WARM_RUNS (its output, on this process's stdout
 * and stderr, is the caller's to discard), and writes the bytecode of
 * every function that ran, through a temporary file and a rename, so a
 * concurrent start never reads half a cache.  Returns its size in bytes.
 */
export async function writeCache(dir: string, name: string): Promise<number> {
  const script = compile(dir, name);
  const cmd = run(script, dir, name);
  const { argv, exitCode } = process;
  try {
    for (const args of WARM_RUNS) {
      process.argv = [argv[0], name, ...args];
      await cmd.main();
    }
  } finally {
    process.argv = argv;
    process.exitCode = exitCode;
  }
  const data = script.createCachedData();
  const tmp = `${cachePath(dir, name)}.${process.pid}.tmp`;
  writeFileSync(tmp, data);
  renameSync(tmp, cachePath(dir, name));
  return data.length;
}

/**
 * Makes the caches of NAMES in DIR (all of them with `force`, else those
 * this Node does not take), each in a child Node whose output is thrown
 * away.  Returns what failed, one line per command.
 */
export function refreshCaches(dir: string, names: readonly string[], force = false): string[] {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const { spawnSync } = require('node:child_process') as typeof import('node:child_process');
  const failed: string[] = [];
  for (const name of names) {
    if (!force && cacheAccepted(dir, name)) continue;
    const js =
      `require(${JSON.stringify(__filename)}).writeCache(${JSON.stringify(dir)}, ${JSON.stringify(name)})` +
      '.then((n) => require("node:fs").writeSync(3, String(n)), (e) => require("node:fs").writeSync(3, "error: " + e.stack))';
    const r = spawnSync(process.execPath, ['-e', js], {
      stdio: ['ignore', 'ignore', 'ignore', 'pipe'],
      env: { ...process.env, NO_COLOR: '1' },
      encoding: 'utf8',
    });
    const said = String(r.output?.[3] ?? '').trim();
    if (r.status !== 0 || !/^\d+$/.test(said)) failed.push(`${name}: exit ${r.status}: ${said || r.error?.message || 'no answer'}`);
  }
  return failed;
}
