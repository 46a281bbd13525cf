/*
 * The commands as bin/ starts them (issue 9, docs/performance.md): each
 * shim runs its command's bundle with its V8 code cache; a missing or
 * foreign cache only costs time; and a start that prints help, a version
 * or a usage error loads none of the modules that made start-up slow
 * (chalk, commander's child_process, Node's stream stack for stdout).
 *
 * Needs the build (`npm run build`; npm test builds first).
 */
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

const ROOT = path.join(__dirname, '..', '..');
const BUNDLES = path.join(ROOT, 'dist', 'bundle');
const PKG = JSON.parse(fs.readFileSync(path.join(ROOT, 'package.json'), 'utf8')) as { version: string; bin: Record<string, string> };
const COMMANDS = Object.keys(PKG.bin);

/**
 * Does a fresh Node take DIR's cache of NAME?  (A fresh process: V8 keeps
 * what it compiled in memory and would answer for that instead.)
 */
function accepted(dir: string, name: string): boolean {
  const js = `process.stdout.write(String(require(${JSON.stringify(path.join(BUNDLES, 'load.js'))}).cacheAccepted(${JSON.stringify(dir)}, ${JSON.stringify(name)})))`;
  const r = spawnSync(process.execPath, ['-e', js], { encoding: 'utf8' });
  if (r.status !== 0) throw new Error(r.stderr);
  return r.stdout === 'true';
}

/** `CMD --help` run by loadCommand from DIR in a fresh Node: its output. */
function helpFrom(dir: string, name: string): string {
  const js = `process.argv = [process.argv[0], ${JSON.stringify(name)}, '--help'];` +
    `require(${JSON.stringify(path.join(BUNDLES, 'load.js'))}).loadCommand(${JSON.stringify(dir)}, ${JSON.stringify(name)}).main()`;
  return spawnSync(process.execPath, ['-e', js], { encoding: 'utf8' }).stdout;
}

beforeAll(() => {
  if (!fs.existsSync(path.join(BUNDLES, 'load.js'))) throw new Error('dist/bundle/ is missing: run `npm run build` first');
});

/** Runs bin/CMD with a preload that reports, at exit, the modules Node loaded. */
function start(cmd: string, args: string[], env: Record<string, string> = {}) {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'vnet-startup-'));
  const report = path.join(dir, 'modules');
  const pre = path.join(dir, 'pre.js');
  fs.writeFileSync(
    pre,
    `process.on('exit', () => require('fs').writeFileSync(${JSON.stringify(report)}, process.moduleLoadList.join('\\n')));`,
  );
  const r = spawnSync(process.execPath, ['-r', pre, path.join(ROOT, 'bin', cmd), ...args], {
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'pipe'],
    env: { ...process.env, ...env },
  });
  const modules = fs.existsSync(report) ? fs.readFileSync(report, 'utf8').split('\n') : [];
  fs.rmSync(dir, { recursive: true, force: true });
  return { ...r, modules };
}

const SLOW = ['NativeModule net', 'NativeModule tty', 'NativeModule child_process', 'NativeModule stream'];

describe('start-up', () => {
  test.each(COMMANDS)('%s: its shim runs the bundle; --version prints the package version', (cmd) => {
    const r = start(cmd, ['--version']);
    expect([r.status, r.stdout, r.stderr]).toEqual([0, `${PKG.version}\n`, '']);
  });

  test.each(COMMANDS)('%s: the build left a code cache that this Node takes', (cmd) => {
    expect(accepted(BUNDLES, cmd)).toBe(true);
  });

  test.each([
    ['--help', 0],
    ['--version', 0],
    ['--no-such-option', 2],
  ] as const)('vnetconfig %s into a pipe loads neither chalk nor net, tty, child_process, stream', (arg, status) => {
    const r = start('vnetconfig', [arg], { TERM: 'xterm' });
    expect(r.status).toBe(status);
    expect(r.modules.length).toBeGreaterThan(10);
    expect(r.modules.filter((m) => SLOW.includes(m))).toEqual([]);
  });

  test('with --color=always (and only then) chalk is loaded: the colour is real', () => {
    const r = start('vnetconfig', ['--color=always', 'no-such-dev0'], { VNET_ADDON: '/nonexistent' });
    expect(r.stderr).toContain('\u001b[31m');
  });

  test('a cache that is missing, foreign or corrupt: the command runs the same, from source', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'vnet-cache-'));
    try {
      const help = helpFrom(BUNDLES, 'vnetconfig');
      expect(help).toContain('Usage: vnetconfig');
      fs.copyFileSync(path.join(BUNDLES, 'vnetconfig.bundle.js'), path.join(dir, 'vnetconfig.bundle.js'));
      expect([accepted(dir, 'vnetconfig'), helpFrom(dir, 'vnetconfig')]).toEqual([false, help]); // missing
      fs.writeFileSync(path.join(dir, `vnetconfig.${process.arch}.cache`), Buffer.alloc(4096, 0x5a));
      expect([accepted(dir, 'vnetconfig'), helpFrom(dir, 'vnetconfig')]).toEqual([false, help]); // corrupt
      // another command's cache: V8 checks the source it was made for
      fs.copyFileSync(path.join(BUNDLES, `vnet-up.${process.arch}.cache`), path.join(dir, `vnetconfig.${process.arch}.cache`));
      expect([accepted(dir, 'vnetconfig'), helpFrom(dir, 'vnetconfig')]).toEqual([false, help]);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  test('writeCache (the build and the install script) makes a cache this Node takes, atomically', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'vnet-cache-'));
    try {
      fs.copyFileSync(path.join(BUNDLES, 'vnet-down.bundle.js'), path.join(dir, 'vnet-down.bundle.js'));
      const js = `require(${JSON.stringify(path.join(BUNDLES, 'load.js'))}).writeCache(${JSON.stringify(dir)}, 'vnet-down')` +
        '.then((n) => { process.stderr.write("bytes=" + n + " exit=" + process.exitCode + "\\n"); })';
      const r = spawnSync(process.execPath, ['-e', js], { encoding: 'utf8' });
      expect(r.stderr).toMatch(/bytes=\d{4,} exit=undefined\n$/);
      expect(r.stdout).toContain('Usage: vnet-down');
      expect(fs.readdirSync(dir).sort()).toEqual(['vnet-down.bundle.js', `vnet-down.${process.arch}.cache`]);
      expect(accepted(dir, 'vnet-down')).toBe(true);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
