/*
 * vnet-module with the real dkms, from the installed package (its
 * shipped kernel/), for the lab's Debian 6.1 kernel, whose headers are on
 * this host; then the module DKMS built, loaded in the lab guest running
 * that kernel (this host cannot load modules).
 *
 * DKMS writes /usr/src, /var/lib/dkms and /lib/modules: here those writes
 * go to a private mount namespace (overlays on /usr/src and /lib/modules,
 * a tmpfs on /var/lib/dkms) and vanish with it, so the host and the lab's
 * own module tree are never touched.  Needs root (npm test runs as root).
 */
import * as fs from 'node:fs';
import * as path from 'node:path';

import { install, Installed, ok, PKG, ROOT, run, scratch } from './helpers';

/** The newest installed 6.1 kernel with headers: what `lab/run --kernel 6.1` boots. */
function labKernel(): string {
  const versions = fs
    .readdirSync('/lib/modules')
    .filter((v) => /^6\.1\./.test(v) && fs.existsSync(path.join('/lib/modules', v, 'build', 'Makefile')));
  const v = ok(['sh', '-c', 'printf "%s\\n" "$@" | sort -V | tail -n 1', 'sh', ...versions]).stdout.trim();
  if (!v) throw new Error('no 6.1 kernel with headers: run lab/setup');
  return v;
}

interface Step {
  code: number;
  stdout: string;
  stderr: string;
}

let inst: Installed;
let kver: string;
let out: string;
const steps: Record<string, Step> = {};

beforeAll(() => {
  inst = install();
  kver = labKernel();
  out = scratch('dkms');
  const script = `
set -u
out=$1 kver=$2 bin=$3
ns=$out/ns
mkdir -p "$ns" && mount -t tmpfs tmpfs "$ns" && mkdir -p "$ns"/mu "$ns"/mw "$ns"/su "$ns"/sw || exit 90
modules=$(readlink -f /lib/modules)
mount -t overlay overlay -o "lowerdir=$modules,upperdir=$ns/mu,workdir=$ns/mw" "$modules" || exit 91
mount -t overlay overlay -o "lowerdir=/usr/src,upperdir=$ns/su,workdir=$ns/sw" /usr/src || exit 92
mkdir -p /var/lib/dkms && mount -t tmpfs tmpfs /var/lib/dkms || exit 93
step() { name=$1; shift; "$@" > "$out/$name.out" 2> "$out/$name.err"; echo $? > "$out/$name.rc"; }
step status0 "$bin/vnet-module" status -k "$kver" -j
step install "$bin/vnet-module" install -k "$kver"
step status1 "$bin/vnet-module" status -k "$kver" -j
step again "$bin/vnet-module" install -k "$kver"
cp "/lib/modules/$kver/updates/dkms/vnet.ko" "$out/vnet.ko"
step srcdir ls /usr/src/vnet-${PKG.version}
step uninstall "$bin/vnet-module" uninstall
step status2 "$bin/vnet-module" status -k "$kver" -j
step after sh -c "ls /usr/src | grep '^vnet' ; ls /lib/modules/$kver/updates/dkms 2>/dev/null; ls /var/lib/dkms"
`;
  fs.writeFileSync(path.join(out, 'ns.sh'), script);
  const r = run(['unshare', '--mount', '--propagation', 'private', 'bash', path.join(out, 'ns.sh'), out, kver, inst.bin], {
    timeout: 900_000,
  });
  if (r.code !== 0) throw new Error(`the mount namespace could not be set up (exit ${r.code}): ${r.stderr}`);
  for (const name of ['status0', 'install', 'status1', 'again', 'srcdir', 'uninstall', 'status2', 'after']) {
    const f = (ext: string) => fs.readFileSync(path.join(out, `${name}.${ext}`), 'utf8');
    steps[name] = { code: Number(f('rc')), stdout: f('out'), stderr: f('err') };
  }
}, 900_000);

describe(`vnet-module with the real dkms, for the lab's 6.1 kernel`, () => {
  test('before: status says nothing is installed (exit 3)', () => {
    expect(steps.status0.code).toBe(3);
    expect(JSON.parse(steps.status0.stdout)).toMatchObject({ kernel: kver, dkms: [], module: null });
  });

  test('install: DKMS builds and installs vnet.ko from the package\'s kernel/ (exit 0)', () => {
    expect(steps.install).toMatchObject({
      code: 0,
      stdout: `vnet ${PKG.version} is installed for Linux ${kver} (DKMS); load it with 'modprobe vnet'\n`,
    });
    expect(steps.install.stderr).toContain(`+ dkms install -m vnet -v ${PKG.version} -k ${kver} --force\n`);
    expect(steps.install.stderr).toMatch(/Installing to \/lib\/modules\/.*\/updates\/dkms/);
    // exactly the shipped sources (not .gitignore), copied from the installed package
    const shipped = ok(['git', 'ls-files', 'kernel'])
      .stdout.split('\n')
      .filter((f) => /^kernel\/[^/.][^/]*$/.test(f));
    expect(steps.srcdir.stdout.split('\n').filter(Boolean).sort()).toEqual(
      [...shipped.map((f) => f.slice('kernel/'.length)), 'include', 'probes'].sort(),
    );
  });

  test('status: DKMS has it installed for that kernel, modinfo finds vnet.ko with the package version', () => {
    expect(steps.status1.code).toBe(0);
    expect(JSON.parse(steps.status1.stdout)).toMatchObject({
      version: PKG.version,
      sources: path.join(inst.pkgdir, 'kernel'),
      kernel: kver,
      headers: `/lib/modules/${kver}/build`,
      dkms: [{ version: PKG.version, kernel: kver, state: 'installed' }],
      module: { file: `/lib/modules/${kver}/updates/dkms/vnet.ko`, version: PKG.version },
      loaded: null,
    });
  });

  test('install again: unchanged, exit 0, no rebuild', () => {
    expect(steps.again).toEqual({
      code: 0,
      stdout: `vnet ${PKG.version} is installed for Linux ${kver} already: unchanged (--force rebuilds it)\n`,
      stderr: '',
    });
  });

  test('uninstall: gone from DKMS, /usr/src and the module tree; status exit 3', () => {
    expect(steps.uninstall).toMatchObject({ code: 0, stdout: 'vnet is removed from DKMS and /usr/src\n' });
    expect(steps.status2.code).toBe(3);
    expect(JSON.parse(steps.status2.stdout)).toMatchObject({ dkms: [], module: null });
    expect(steps.after.stdout.split('\n').filter((l) => /vnet/.test(l))).toEqual([]);
  });

  test('the host saw none of it: no vnet in /usr/src, /var/lib/dkms or the 6.1 module tree', () => {
    expect(fs.readdirSync('/usr/src').filter((d) => d.startsWith('vnet'))).toEqual([]);
    expect(fs.existsSync('/var/lib/dkms/vnet')).toBe(false);
    expect(fs.existsSync(`/lib/modules/${kver}/updates/dkms/vnet.ko`)).toBe(false);
  });
});

describe('the DKMS-built vnet.ko in the lab guest (Debian 6.1 under qemu)', () => {
  let guest: Step;
  beforeAll(() => {
    // --no-module: the lab does not load its own build; this one goes where DKMS put it
    const script = `
set -e
test "$(uname -r)" = "${kver}" || { echo "guest kernel $(uname -r), module for ${kver}" >&2; exit 99; }
mkdir -p /lib/modules/${kver}/updates/dkms
cp ${path.join(out, 'vnet.ko')} /lib/modules/${kver}/updates/dkms/vnet.ko
depmod -a
modprobe vnet
echo "--- status"
PATH=${inst.bin}:$PATH vnet-module status -j
echo "--- vnetconfig"
PATH=${inst.bin}:$PATH vnetconfig -a -j
`;
    fs.writeFileSync(path.join(out, 'guest.sh'), script);
    const r = run([path.join(ROOT, 'lab', 'run'), '--kernel', '6.1', '--no-module', '--', '/bin/sh', path.join(out, 'guest.sh')], {
      timeout: 900_000,
    });
    guest = { code: r.code ?? -1, stdout: r.stdout, stderr: r.stderr };
  }, 900_000);

  test('modprobe loads it; vnet-module status sees it installed and loaded; vnetconfig sees vnet0', () => {
    expect({ code: guest.code, stderr: guest.code === 0 ? '' : guest.stderr }).toEqual({ code: 0, stderr: '' });
    const [, status, devices] = guest.stdout.split(/^--- \w+\n/m);
    expect(JSON.parse(status)).toMatchObject({
      kernel: kver,
      module: { file: `/lib/modules/${kver}/updates/dkms/vnet.ko`, version: PKG.version },
      loaded: { version: PKG.version },
    });
    expect((JSON.parse(devices) as { ifname: string }[]).map((d) => d.ifname)).toEqual(['vnet0']);
  });
});
