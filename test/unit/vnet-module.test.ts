/*
 * vnet-module against a fake machine (files, tools, a DKMS that keeps
 * state, root or not).  test/package/dkms.test.ts runs the installed
 * command with the real dkms.
 */
import * as path from 'node:path';

import { run } from '../../src/commands/vnet-module';
import { bufferReader, type ReadAt } from '../../src/module/modinfo';
import type { ModuleSystem } from '../../src/module/system';
import { buildElf, modinfoSection } from './elf-fixture';
import { FakeBinding, runCmd } from './harness';

const K = '6.1.0-57-cloud-amd64';
const PKG_KERNEL = '/pkg/kernel';
const SOURCES: Record<string, string> = {
  Kbuild: 'obj-m := vnet.o\n',
  Makefile: 'KDIR ?= x\n',
  'dkms.conf': 'PACKAGE_NAME="vnet"\nPACKAGE_VERSION="0.1.0"\n',
  'main.c': 'int main;\n',
  'vnet_priv.h': '#define X\n',
  'include/uapi/linux/vnet.h': '#define VNET\n',
  // build output that must not be copied
  'vnet.mod.c': 'generated\n',
  'main.o': 'ELF',
};
/** A vnet.ko as the fake DKMS builds it: ELF with a .modinfo section (latin1, as the fake stores files). */
const elfModule = (version: string) =>
  buildElf([{ name: '.modinfo', data: modinfoSection([`version=${version}`, 'license=GPL', 'name=vnet']) }]).toString('latin1');
const SHIPPED = ['Kbuild', 'Makefile', 'dkms.conf', 'include/uapi/linux/vnet.h', 'main.c', 'vnet_priv.h'];

/** An in-memory machine with a DKMS that remembers what it was told. */
class FakeMachine implements ModuleSystem {
  files = new Map<string, string>();
  dirs = new Set<string>();
  tools = new Set(['dkms', 'modinfo']);
  root = true;
  running = K;
  executed: string[][] = [];
  /** exit status for a dkms action, e.g. { install: 10 } */
  failing: Record<string, number> = {};

  constructor() {
    for (const [f, text] of Object.entries(SOURCES)) this.files.set(path.join(PKG_KERNEL, f), text);
    this.dirs.add(`/lib/modules/${K}/build`);
  }

  release = () => this.running;
  isRoot = () => this.root;
  which = (cmd: string) => (this.tools.has(cmd) ? `/usr/sbin/${cmd}` : undefined);
  isDirectory = (p: string) => this.dirs.has(p) || [...this.files.keys(), ...this.dirs].some((f) => f.startsWith(`${p}/`));
  exists = (p: string) => this.files.has(p) || this.isDirectory(p);
  readFile = (p: string) => this.files.get(p);
  withFile = <T>(p: string, use: (read: ReadAt) => T) =>
    this.files.has(p) ? use(bufferReader(Buffer.from(this.files.get(p) as string, 'latin1'))) : undefined;
  readdir(p: string): string[] {
    const names = new Set<string>();
    for (const f of [...this.files.keys(), ...this.dirs]) {
      if (f.startsWith(`${p}/`)) names.add(f.slice(p.length + 1).split('/')[0]);
    }
    return [...names].sort();
  }
  copyFile(from: string, to: string) {
    this.files.set(to, this.files.get(from) as string);
  }
  removeTree(p: string) {
    for (const f of [...this.files.keys()]) if (f === p || f.startsWith(`${p}/`)) this.files.delete(f);
    for (const d of [...this.dirs]) if (d === p || d.startsWith(`${p}/`)) this.dirs.delete(d);
  }

  /** vnet versions DKMS knows, with the kernels each is installed for */
  dkms = new Map<string, Set<string>>();
  /** what capture() ran */
  captured: string[][] = [];
  /** the module DKMS installs for a kernel, and depmod's line for it */
  installModule(k: string, v: string, file = `/lib/modules/${k}/updates/dkms/vnet.ko`) {
    this.files.set(file, file.endsWith('.ko') ? elfModule(v) : `compressed ${v}`);
    this.files.set(`/lib/modules/${k}/modules.dep`, `${file.slice(`/lib/modules/${k}/`.length)}:\n`);
  }
  exec(argv: readonly string[]): number {
    this.executed.push([...argv]);
    const [tool, action] = argv;
    const v = argv[argv.indexOf('-v') + 1];
    const k = argv.includes('-k') ? argv[argv.indexOf('-k') + 1] : this.running;
    if (tool !== 'dkms') return 127;
    if (this.failing[action]) return this.failing[action];
    if (action === 'add') {
      if (!this.files.has(`/usr/src/vnet-${v}/dkms.conf`)) return 1;
      this.dkms.set(v, new Set());
      this.dirs.add(`/var/lib/dkms/vnet/${v}`);
    } else if (action === 'install') {
      this.dkms.get(v)?.add(k);
      this.installModule(k, v);
    } else if (action === 'remove') {
      for (const kk of this.dkms.get(v) ?? []) {
        this.files.delete(`/lib/modules/${kk}/updates/dkms/vnet.ko`);
        this.files.set(`/lib/modules/${kk}/modules.dep`, ''); // depmod's run after it
      }
      this.dkms.delete(v);
      this.removeTree(`/var/lib/dkms/vnet/${v}`);
    }
    return 0;
  }
  capture(argv: readonly string[]): { status: number; stdout: string } {
    this.captured.push([...argv]);
    if (argv[0] === 'dkms' && argv[1] === 'status') {
      const lines: string[] = [];
      for (const [v, ks] of this.dkms) {
        if (ks.size === 0) lines.push(`vnet/${v}: added`);
        for (const k of ks) lines.push(`vnet/${v}, ${k}, x86_64: installed`);
      }
      return { status: 0, stdout: lines.map((l) => `${l}\n`).join('') };
    }
    if (argv[0] === 'modinfo') {
      const k = argv[2];
      const entry = /^(\S+):/m.exec(this.files.get(`/lib/modules/${k}/modules.dep`) ?? '')?.[1];
      const ko = `/lib/modules/${k}/${entry}`;
      if (!entry || !this.files.has(ko)) return { status: 1, stdout: '' };
      // as kmod's modinfo prints it
      const version = /version=([^\0]+)|compressed (\S+)/.exec(this.files.get(ko) as string)?.slice(1).find(Boolean);
      const text = [`filename:       ${ko}`, `version:        ${version}`, 'license:        GPL', 'parm:           numdevs:int', `vermagic:       ${k} SMP mod_unload`];
      return { status: 0, stdout: `${text.join('\n')}\n` };
    }
    return { status: 127, stdout: '' };
  }
}

const vnetModule = (m: FakeMachine, argv: string[]) =>
  runCmd((a, ctx) => run(a, ctx, m, PKG_KERNEL), argv, new FakeBinding());

const COPY = `mkdir -p /usr/src/vnet-0.1.0 && (cd /pkg/kernel && cp --parents ${SHIPPED.join(' ')} /usr/src/vnet-0.1.0/)`;

describe('vnet-module install', () => {
  test('-n prints the commands (only the shipped sources are copied), runs none, and needs no root', async () => {
    const m = new FakeMachine();
    m.root = false;
    const r = await vnetModule(m, ['install', '-n']);
    expect(r).toEqual({
      code: 0,
      stdout: `${COPY}\ndkms add -m vnet -v 0.1.0\ndkms install -m vnet -v 0.1.0 -k ${K} --force\n`,
      stderr: '',
    });
    expect(m.executed).toEqual([]);
    expect(m.exists('/usr/src/vnet-0.1.0')).toBe(false);
  });

  test('builds and installs for the running kernel: sources in /usr/src, dkms add, dkms install; steps echoed on stderr', async () => {
    const m = new FakeMachine();
    const r = await vnetModule(m, ['install']);
    expect(r.code).toBe(0);
    expect(r.stdout).toBe(`vnet 0.1.0 is installed for Linux ${K} (DKMS); load it with 'modprobe vnet'\n`);
    expect(r.stderr).toBe(`+ ${COPY}\n+ dkms add -m vnet -v 0.1.0\n+ dkms install -m vnet -v 0.1.0 -k ${K} --force\n`);
    expect(m.executed).toEqual([
      ['dkms', 'add', '-m', 'vnet', '-v', '0.1.0'],
      ['dkms', 'install', '-m', 'vnet', '-v', '0.1.0', '-k', K, '--force'],
    ]);
    expect(m.readdir('/usr/src/vnet-0.1.0')).toEqual(['Kbuild', 'Makefile', 'dkms.conf', 'include', 'main.c', 'vnet_priv.h']);
    expect(m.files.get('/usr/src/vnet-0.1.0/main.c')).toBe(SOURCES['main.c']);
  });

  test('again with the same sources: "unchanged", exit 0, nothing run; --force reinstalls (no second dkms add)', async () => {
    const m = new FakeMachine();
    await vnetModule(m, ['install']);
    m.executed = [];
    expect(await vnetModule(m, ['install'])).toEqual({
      code: 0,
      stdout: `vnet 0.1.0 is installed for Linux ${K} already: unchanged (--force rebuilds it)\n`,
      stderr: '',
    });
    expect(m.executed).toEqual([]);
    expect((await vnetModule(m, ['install', '--force'])).code).toBe(0);
    expect(m.executed).toEqual([['dkms', 'install', '-m', 'vnet', '-v', '0.1.0', '-k', K, '--force']]);
  });

  test('changed sources of the same version are copied and rebuilt', async () => {
    const m = new FakeMachine();
    await vnetModule(m, ['install']);
    m.files.set(`${PKG_KERNEL}/main.c`, 'int main2;\n');
    m.executed = [];
    expect((await vnetModule(m, ['install'])).code).toBe(0);
    expect(m.files.get('/usr/src/vnet-0.1.0/main.c')).toBe('int main2;\n');
    expect(m.executed).toEqual([['dkms', 'install', '-m', 'vnet', '-v', '0.1.0', '-k', K, '--force']]);
  });

  test('an upgrade removes the other version from DKMS and /usr/src first', async () => {
    const m = new FakeMachine();
    m.files.set('/usr/src/vnet-0.0.9/dkms.conf', 'PACKAGE_NAME="vnet"\nPACKAGE_VERSION="0.0.9"\n');
    m.exec(['dkms', 'add', '-m', 'vnet', '-v', '0.0.9']);
    m.exec(['dkms', 'install', '-m', 'vnet', '-v', '0.0.9', '-k', K]);
    m.files.set('/usr/src/vnet-tools/dkms.conf', 'PACKAGE_NAME="vnet-tools"\n'); // not ours
    m.executed = [];
    const r = await vnetModule(m, ['install', '-k', K]);
    expect(r.code).toBe(0);
    expect(r.stderr.split('\n').slice(0, 2)).toEqual(['+ dkms remove -m vnet -v 0.0.9 --all', '+ rm -rf /usr/src/vnet-0.0.9']);
    expect(m.exists('/usr/src/vnet-0.0.9')).toBe(false);
    expect(m.exists('/usr/src/vnet-tools/dkms.conf')).toBe(true);
    expect(m.files.get(`/lib/modules/${K}/updates/dkms/vnet.ko`)).toBe(elfModule('0.1.0'));
  });

  test('not root: exit 4, says why and how, runs nothing', async () => {
    const m = new FakeMachine();
    m.root = false;
    const r = await vnetModule(m, ['install']);
    expect(r.code).toBe(4);
    expect(r.stdout).toBe('');
    expect(r.stderr).toBe(
      'vnet-module: install needs root: DKMS writes /usr/src, /var/lib/dkms and /lib/modules\n' +
        '(sudo vnet-module install; vnet-module install -n shows what it would run)\n',
    );
    expect(m.executed).toEqual([]);
  });

  test('no dkms, or no headers for the kernel: exit 3 with the package to install, even with -n', async () => {
    const m = new FakeMachine();
    m.tools.delete('dkms');
    expect(await vnetModule(m, ['install', '-n'])).toEqual({
      code: 3,
      stdout: '',
      stderr: 'vnet-module: dkms is not installed\n(Debian, Ubuntu: apt-get install dkms)\n',
    });
    const m2 = new FakeMachine();
    expect(await vnetModule(m2, ['install', '-k', '6.12.9-amd64'])).toEqual({
      code: 3,
      stdout: '',
      stderr:
        'vnet-module: no headers for Linux 6.12.9-amd64 in /lib/modules/6.12.9-amd64/build\n' +
        '(Debian, Ubuntu: apt-get install linux-headers-6.12.9-amd64)\n',
    });
    expect([...m.executed, ...m2.executed]).toEqual([]);
  });

  test('a DKMS failure stops there: exit 1 naming the command', async () => {
    const m = new FakeMachine();
    m.failing.install = 10;
    const r = await vnetModule(m, ['install']);
    expect(r.code).toBe(1);
    expect(r.stdout).toBe('');
    expect(r.stderr).toMatch(new RegExp(`vnet-module: 'dkms install -m vnet -v 0.1.0 -k ${K} --force' failed \\(exit 10\\)\\n$`));
  });
});

describe('vnet-module uninstall', () => {
  test('nothing installed: says so, exit 0 (the goal is met)', async () => {
    const m = new FakeMachine();
    expect(await vnetModule(m, ['uninstall'])).toEqual({
      code: 0,
      stdout: 'vnet is not installed with DKMS: nothing to do\n',
      stderr: '',
    });
  });

  test('removes every version from DKMS and its sources; warns that a loaded module stays loaded', async () => {
    const m = new FakeMachine();
    await vnetModule(m, ['install']);
    m.files.set('/sys/module/vnet/version', '0.1.0\n');
    m.executed = [];
    expect((await vnetModule(m, ['uninstall', '-n'])).stdout).toBe('dkms remove -m vnet -v 0.1.0 --all\nrm -rf /usr/src/vnet-0.1.0\n');
    expect(m.executed).toEqual([]);
    const r = await vnetModule(m, ['uninstall']);
    expect(r.code).toBe(0);
    expect(r.stdout).toBe('vnet is removed from DKMS and /usr/src\n');
    expect(r.stderr).toContain("vnet-module: vnet is still loaded: 'rmmod vnet' unloads it\n");
    expect(m.exists('/usr/src/vnet-0.1.0')).toBe(false);
    expect(m.exists(`/lib/modules/${K}/updates/dkms/vnet.ko`)).toBe(false);
  });
});

describe('vnet-module status', () => {
  test('nothing installed: every line says what is there, exit 3', async () => {
    const m = new FakeMachine();
    const r = await vnetModule(m, ['status']);
    expect(r).toEqual({
      code: 3,
      stdout: [
        'package:  vnet 0.1.0, module sources in /pkg/kernel',
        `kernel:   ${K}, headers in /lib/modules/${K}/build`,
        'dkms:     vnet is not added',
        'module:   none for this kernel',
        'loaded:   no',
        '',
      ].join('\n'),
      stderr: '',
    });
  });

  test('installed and loaded: exit 0; -j gives the same as JSON', async () => {
    const m = new FakeMachine();
    await vnetModule(m, ['install']);
    m.files.set('/sys/module/vnet/version', '0.1.0\n');
    const r = await vnetModule(m, ['status']);
    expect(r.code).toBe(0);
    expect(r.stdout.split('\n').slice(2, 5)).toEqual([
      `dkms:     vnet/0.1.0, ${K}, x86_64: installed`,
      `module:   /lib/modules/${K}/updates/dkms/vnet.ko (version 0.1.0)`,
      'loaded:   yes, version 0.1.0',
    ]);
    const j = await vnetModule(m, ['status', '-j']);
    expect(j.code).toBe(0);
    expect(JSON.parse(j.stdout)).toEqual({
      version: '0.1.0',
      sources: PKG_KERNEL,
      kernel: K,
      headers: `/lib/modules/${K}/build`,
      dkms: [{ version: '0.1.0', kernel: K, arch: 'x86_64', state: 'installed' }],
      module: { file: `/lib/modules/${K}/updates/dkms/vnet.ko`, version: '0.1.0' },
      loaded: { version: '0.1.0' },
    });
  });

  test('the module is found from modules.dep and read in-process: no modinfo started, none needed', async () => {
    const m = new FakeMachine();
    m.tools.delete('modinfo');
    m.installModule(K, '0.1.0', `/lib/modules/${K}/extra/vnet.ko`);
    const j = JSON.parse((await vnetModule(m, ['status', '-j'])).stdout);
    expect(j.module).toEqual({ file: `/lib/modules/${K}/extra/vnet.ko`, version: '0.1.0' });
    expect(m.captured.filter((a) => a[0] !== 'dkms')).toEqual([]);
  });

  test('a compressed module (.ko.xz) is left to modinfo; without modinfo it is not reported', async () => {
    const m = new FakeMachine();
    m.installModule(K, '0.1.0', `/lib/modules/${K}/updates/dkms/vnet.ko.xz`);
    const r = await vnetModule(m, ['status']);
    expect(r.stdout).toContain(`module:   /lib/modules/${K}/updates/dkms/vnet.ko.xz (version 0.1.0)\n`);
    expect(m.captured).toContainEqual(['modinfo', '-k', K, 'vnet']);
    m.tools.delete('modinfo');
    expect((await vnetModule(m, ['status'])).stdout).toContain('module:   none for this kernel\n');
  });

  test('a vnet.ko that modules.dep does not list is not the one modprobe loads: none, and modinfo is not asked', async () => {
    const m = new FakeMachine();
    m.installModule(K, '0.1.0');
    m.files.set(`/lib/modules/${K}/modules.dep`, 'kernel/drivers/net/dummy.ko:\n');
    expect((await vnetModule(m, ['status'])).stdout).toContain('module:   none for this kernel\n');
    expect(m.captured.filter((a) => a[0] === 'modinfo')).toEqual([]);
  });

  test('without dkms or headers it still reports, with what to install', async () => {
    const m = new FakeMachine();
    m.tools.delete('dkms');
    const r = await vnetModule(m, ['status', '-k', '6.12.9-amd64']);
    expect(r.code).toBe(3);
    expect(r.stdout).toContain('kernel:   6.12.9-amd64, no headers (apt-get install linux-headers-6.12.9-amd64)\n');
    expect(r.stdout).toContain('dkms:     not installed (apt-get install dkms)\n');
    expect(JSON.parse((await vnetModule(m, ['status', '-j'])).stdout)).toMatchObject({ dkms: null, module: null });
  });
});

describe('vnet-module usage errors: exit 2, nothing run', () => {
  test.each([
    [[], /missing required argument 'action'/],
    [['load'], /'load' is invalid for argument 'action'/],
    [['install', '-j'], /-j\/--json is for status only/],
    [['status', '-f'], /-f\/--force is for install only/],
    [['status', '-n'], /-n\/--dry-run is for install and uninstall/],
    [['install', '-k', '../../etc'], /'\.\.\/\.\.\/etc' is not a kernel release/],
    [['install', 'uninstall'], /too many arguments/],
  ])('%j', async (argv, message) => {
    const m = new FakeMachine();
    const r = await vnetModule(m, argv as string[]);
    expect(r.code).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr).toMatch(message);
    expect(r.stderr).toContain("Try 'vnet-module --help' for more information.");
    expect(m.executed).toEqual([]);
  });
});
