/*
 * The linux-arm64 prebuilt binary, cross-compiled with Debian's
 * g++-aarch64-linux-gnu, run for real: the installed package (the same
 * files an arm64 machine gets from the tarball) under Debian's arm64 Node
 * 20 in qemu-user (scripts/setup-prebuild.sh provides both).  qemu-user
 * passes system calls to this host's kernel, so ioctls and netlink behave
 * as on an arm64 machine without the module.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';

import { install, Installed, PKG, ROOT, run } from './helpers';

const SYSROOT = path.join(ROOT, '.lab-cache', 'arm64-sysroot');
const QEMU = '/usr/bin/qemu-aarch64-static';
const ARM64_PREBUILD = 'prebuilds/linux-arm64/node.napi.glibc.node';

let inst: Installed;
beforeAll(() => {
  for (const f of [QEMU, path.join(SYSROOT, 'usr', 'bin', 'node')]) {
    if (!fs.existsSync(f)) throw new Error(`${f} is missing: run bash scripts/setup-prebuild.sh`);
  }
  inst = install();
}, 900_000);

/** node for arm64, under qemu-user, with the compiler-free PATH. */
function arm64Node(args: string[], cwd = ROOT) {
  return run([QEMU, '-L', SYSROOT, path.join(SYSROOT, 'usr', 'bin', 'node'), ...args], {
    cwd,
    path: inst.noccPath,
    timeout: 120_000,
  });
}

test('the node under qemu is an arm64 Node.js that "engines" accepts', () => {
  const r = arm64Node(['-p', 'process.arch + " " + process.versions.node']);
  expect(r.code).toBe(0);
  const [arch, version] = r.stdout.trim().split(' ');
  expect(arch).toBe('arm64');
  expect(PKG.engines.node).toBe(`^${version.split('.')[0]}`);
}, 120_000);

test('node-gyp-build picks prebuilds/linux-arm64 from the installed package; it loads and talks to the kernel', () => {
  const r = arm64Node([
    '-e',
    `const v = require(${JSON.stringify(inst.pkgdir)});
     const b = v.loadBinding();
     const lo = b.getInterface('lo');
     let err;
     try { b.getInterface('nosuchdev0'); } catch (e) { err = { code: e.code, syscall: e.syscall, is: v.isVnetSystemError(e) }; }
     console.log(JSON.stringify({ from: v.addonCandidates()[0], lo: [lo.ifindex, lo.mtu], err, constants: b.constants }));`,
  ]);
  expect(r.stderr).toBe('');
  const out = JSON.parse(r.stdout);
  expect(out.from).toBe(path.join(inst.pkgdir, ARM64_PREBUILD));
  expect(out.lo).toEqual([1, 65536]);
  expect(out.err).toEqual({ code: 'ENODEV', syscall: 'ioctl(SIOCGIFINDEX)', is: true });
  // the ABI constants, compiled for arm64 from the same uapi header
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const { generate } = require(path.join(ROOT, 'scripts', 'gen-abi.js'));
  const abi = Object.fromEntries(
    [...(generate() as Map<string, unknown>)].filter(([k]) => Object.prototype.hasOwnProperty.call(out.constants, k)),
  );
  expect(Object.keys(abi).length).toBeGreaterThan(20);
  expect(out.constants).toMatchObject(abi);
}, 120_000);

test('the installed commands run on arm64: vnetconfig -V, and vnetconfig -a reaches the kernel (no module here: exit 3)', () => {
  const v = arm64Node([path.join(inst.pkgdir, 'bin', 'vnetconfig'), '-V']);
  expect(v).toMatchObject({ code: 0, stdout: `${PKG.version}\n` });
  const a = arm64Node([path.join(inst.pkgdir, 'bin', 'vnetconfig'), '-a']);
  expect(a.code).toBe(3);
  expect(a.stderr).toMatch(/^vnetconfig: .*is the vnet module loaded\?/);
}, 120_000);
