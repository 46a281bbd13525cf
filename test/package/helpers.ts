/*
 * Shared by the package tests: the npm tarball and its installation as a
 * user makes them (test/e2e/install.sh: npm pack, then npm install -g with
 * a PATH of node, npm and sh only), and running programs with explicit
 * argv, environment and PATH.
 */
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';

export const ROOT = path.resolve(__dirname, '..', '..');
export const PKG = JSON.parse(fs.readFileSync(path.join(ROOT, 'package.json'), 'utf8')) as {
  name: string;
  version: string;
  bin: Record<string, string>;
  engines: { node: string };
};
/** Scratch space for these tests (gitignored). */
export const SCRATCH = path.join(ROOT, 'build', 'package-test');
/** This machine's prebuilt binary, as node-gyp-build names it. */
export const PREBUILD = `prebuilds/linux-${process.arch}/node.napi.glibc.node`;

export interface Result {
  code: number | null;
  stdout: string;
  stderr: string;
}

export interface RunOpts {
  cwd?: string;
  env?: Record<string, string | undefined>;
  /** PATH for the child (the rest of the environment is inherited) */
  path?: string;
  timeout?: number;
}

/** Runs argv[0] (looked up on PATH unless absolute) with argv[1..]. */
export function run(argv: readonly string[], opts: RunOpts = {}): Result {
  const env: NodeJS.ProcessEnv = { ...process.env, NO_COLOR: '1' };
  for (const [k, v] of Object.entries(opts.env ?? {})) {
    if (v === undefined) delete env[k];
    else env[k] = v;
  }
  if (opts.path !== undefined) env.PATH = opts.path;
  const r = spawnSync(argv[0], argv.slice(1), {
    cwd: opts.cwd ?? ROOT,
    env,
    encoding: 'utf8',
    timeout: opts.timeout ?? 120_000,
    maxBuffer: 64 << 20,
  });
  if (r.error) throw r.error;
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

/** Like run, but a non-zero exit fails with the output in the message. */
export function ok(argv: readonly string[], opts: RunOpts = {}): Result {
  const r = run(argv, opts);
  if (r.code !== 0) {
    throw new Error(`${argv.join(' ')}: exit ${r.code}\n${r.stdout}\n${r.stderr}`);
  }
  return r;
}

export interface Installed {
  /** the tarball npm pack made */
  tgz: string;
  /** the global prefix it was installed into */
  prefix: string;
  bin: string;
  /** <prefix>/lib/node_modules/vnet */
  pkgdir: string;
  /** the PATH the install ran with: node, npm and sh, no compiler */
  noccPath: string;
  /** npm install's output (with --foreground-scripts) */
  log: string;
}

let installed: Installed | undefined;

/** Packs and installs the package (cached by install.sh while unchanged). */
export function install(): Installed {
  if (installed) return installed;
  const r = ok(['bash', 'test/e2e/install.sh'], { timeout: 900_000 });
  const bin = r.stdout.trim().split('\n').pop() as string;
  const prefix = path.dirname(bin);
  const work = path.join(ROOT, 'build', 'e2e');
  const tgz = fs.readdirSync(work).find((f) => /^vnet-.*\.tgz$/.test(f));
  if (!tgz) throw new Error(`no tarball in ${work}`);
  installed = {
    tgz: path.join(work, tgz),
    prefix,
    bin,
    pkgdir: path.join(prefix, 'lib', 'node_modules', 'vnet'),
    noccPath: path.join(work, 'nocc-bin'),
    log: fs.readFileSync(path.join(work, 'npm-install.log'), 'utf8'),
  };
  return installed;
}

/** The tarball's file list, without the leading "package/". */
export function tarList(tgz: string): string[] {
  return ok(['tar', '-tzf', tgz])
    .stdout.split('\n')
    .filter((l) => l && !l.endsWith('/'))
    .map((l) => l.replace(/^package\//, ''))
    .sort();
}

/** A fresh, empty scratch directory. */
export function scratch(name: string): string {
  const dir = path.join(SCRATCH, name);
  fs.rmSync(dir, { recursive: true, force: true });
  fs.mkdirSync(dir, { recursive: true });
  return dir;
}

/** Compilers and build tools that a compiler-free PATH must not have. */
export const TOOLCHAIN = ['cc', 'gcc', 'g++', 'c++', 'clang', 'cmake', 'make', 'ninja'];
