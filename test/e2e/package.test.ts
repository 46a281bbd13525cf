/*
 * The package as installed from the tarball with no compiler on PATH
 * (test/e2e/install.sh), on a machine with no compiler at all (this
 * guest), driving the real module with its prebuilt binary; and
 * vnet-module's view of the module the lab installed and loaded.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';

import { expectExit, PREFIX_BIN, reloadVnet, ROOT, run, STRACE, which } from './helpers';

const PKGDIR = path.join(ROOT, 'build', 'e2e-prefix', 'lib', 'node_modules', 'vnet');
const PREBUILD = path.join(PKGDIR, 'prebuilds', `linux-${process.arch}`, 'node.napi.glibc.node');
const VERSION = JSON.parse(fs.readFileSync(path.join(ROOT, 'package.json'), 'utf8')).version as string;

beforeAll(() => reloadVnet());

describe('the tarball install without a compiler', () => {
  test('this guest has no compiler or build tool on PATH', () => {
    expect(['cc', 'gcc', 'g++', 'c++', 'clang', 'cmake', 'make'].filter((t) => which(t))).toEqual([]);
  });

  test('the install took the prebuilt binary: no build/ in the package, and its log says so', () => {
    expect(fs.existsSync(PREBUILD)).toBe(true);
    expect(fs.existsSync(path.join(PKGDIR, 'build'))).toBe(false);
    expect(fs.readFileSync(path.join(ROOT, 'build', 'e2e', 'npm-install.log'), 'utf8')).toContain(
      `vnet: using prebuilds/linux-${process.arch}/node.napi.glibc.node`,
    );
  });

  test('vnetconfig -a -j opens that prebuilt binary (strace) and lists vnet0 from the real module', () => {
    const r = expectExit([STRACE, '-f', '-e', 'trace=openat', '-o', '/tmp/vnetconfig.strace', 'vnetconfig', '-a', '-j'], 0);
    expect((JSON.parse(r.stdout) as { ifname: string }[]).map((d) => d.ifname)).toContain('vnet0');
    const opened = fs
      .readFileSync('/tmp/vnetconfig.strace', 'utf8')
      .split('\n')
      .filter((l) => /\.node"/.test(l) && !/ENOENT/.test(l));
    expect(opened.map((l) => /"([^"]+\.node)"/.exec(l)?.[1])).toEqual([PREBUILD]);
  });
});

describe('vnet-module in the lab guest', () => {
  test('status: the module the lab installed (extra/vnet.ko) and loaded, this version; no dkms here', () => {
    const r = run(['vnet-module', 'status', '-j']);
    expect(which('vnet-module')).toBe(path.join(PREFIX_BIN, 'vnet-module'));
    expect(r.code).toBe(0);
    const st = JSON.parse(r.stdout);
    expect(st).toMatchObject({
      version: VERSION,
      sources: path.join(PKGDIR, 'kernel'),
      dkms: null,
      module: { file: expect.stringMatching(/\/extra\/vnet\.ko$/), version: VERSION },
      loaded: { version: VERSION },
    });
  });

  test("status reads the module's file and version itself, as kmod's modinfo does, and starts no process", () => {
    const r = expectExit([STRACE, '-f', '-e', 'trace=execve', '-o', '/tmp/status.strace', 'vnet-module', 'status', '-j'], 0);
    const st = JSON.parse(r.stdout);
    expect(st.module).toEqual({
      file: expectExit(['modinfo', '-n', 'vnet'], 0).stdout.trim(),
      version: expectExit(['modinfo', '-F', 'version', 'vnet'], 0).stdout.trim(),
    });
    const execs = fs
      .readFileSync('/tmp/status.strace', 'utf8')
      .split('\n')
      .filter((l) => / execve\(/.test(l) && !/ENOENT/.test(l));
    // the shim's #!/usr/bin/env node: env, then node; nothing after
    expect(execs.map((l) => /execve\("([^"]+)"/.exec(l)?.[1]).map((p) => path.basename(p ?? ''))).toEqual(['vnet-module', 'node']);
  });

  test('install without dkms: exit 3 and the package to install; nothing changed', () => {
    const r = run(['vnet-module', 'install']);
    expect(r.code).toBe(3);
    expect(r.stderr).toBe('vnet-module: dkms is not installed\n(Debian, Ubuntu: apt-get install dkms)\n');
    expect(fs.existsSync(`/usr/src/vnet-${VERSION}`)).toBe(false);
  });
});
