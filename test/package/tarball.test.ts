/*
 * What the npm tarball carries: the commands and the library compiled to
 * dist/ (no source maps pointing at the unshipped src/), prebuilt binaries
 * for linux-x64 and linux-arm64 that load on more than the build machine,
 * the sources a from-source install needs, and kernel/ for DKMS.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';

import { install, ok, PKG, ROOT, scratch, tarList } from './helpers';

/** Files under `dir` in the repository (as git knows them). */
function tracked(dir: string): string[] {
  return ok(['git', 'ls-files', dir]).stdout.split('\n').filter(Boolean);
}

function srcModules(dir = path.join(ROOT, 'src')): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const p = path.join(dir, e.name);
    if (e.isDirectory()) return srcModules(p);
    return e.name.endsWith('.ts') ? [path.relative(path.join(ROOT, 'src'), p).replace(/\.ts$/, '')] : [];
  });
}

let files: string[];
/** the tarball, unpacked */
let unpacked: string;
beforeAll(() => {
  const { tgz } = install();
  files = tarList(tgz);
  const dir = scratch('tarball');
  ok(['tar', '-xzf', tgz, '-C', dir]);
  unpacked = path.join(dir, 'package');
}, 900_000);

describe('the npm tarball', () => {
  test('carries every command, its man page, its bash completion, and dist/ with .js and .d.ts for every source module', () => {
    for (const [cmd, shim] of Object.entries(PKG.bin)) {
      expect(files).toContain(shim);
      expect(files).toContain(`docs/man/${cmd}.1`);
      expect(files).toContain(`share/bash-completion/completions/${cmd}`);
    }
    for (const m of srcModules()) {
      expect(files).toContain(`dist/${m}.js`);
      expect(files).toContain(`dist/${m}.d.ts`);
    }
  });

  test('no source maps, and no sourceMappingURL pointing at them', () => {
    expect(files.filter((f) => f.endsWith('.map'))).toEqual([]);
    const withUrl = files
      .filter((f) => f.endsWith('.js'))
      .filter((f) => fs.readFileSync(path.join(unpacked, f), 'utf8').includes('sourceMappingURL'));
    expect(withUrl).toEqual([]);
  });

  test('main, types and exports name files that are in it', () => {
    const pkg = PKG as unknown as { main: string; types: string; exports: Record<string, Record<string, string>> };
    expect(files).toContain(pkg.main);
    expect(files).toContain(pkg.types);
    expect(files).toContain(pkg.exports['.'].default.replace(/^\.\//, ''));
    expect(files).toContain(pkg.exports['.'].types.replace(/^\.\//, ''));
  });

  test('prebuilt binaries for linux-x64 and linux-arm64 (glibc), in prebuildify layout', () => {
    expect(files.filter((f) => f.startsWith('prebuilds/'))).toEqual([
      'prebuilds/linux-arm64/node.napi.glibc.node',
      'prebuilds/linux-x64/node.napi.glibc.node',
    ]);
  });

  test('what a from-source install builds from: CMakeLists.txt, addon/src, the uapi header, scripts/install.js', () => {
    for (const f of ['CMakeLists.txt', 'scripts/install.js', 'kernel/include/uapi/linux/vnet.h', ...tracked('addon/src')]) {
      expect(files).toContain(f);
    }
  });

  test('kernel/ as in the repository, for DKMS: sources, Kbuild, Makefile, dkms.conf, and no build output', () => {
    expect(files.filter((f) => f.startsWith('kernel/')).sort()).toEqual(tracked('kernel').sort());
    expect(files).toEqual(expect.arrayContaining(['kernel/Kbuild', 'kernel/Makefile', 'kernel/dkms.conf']));
  });

  test('nothing else: no tests, lab, build tree, sources of dist/ or object files', () => {
    const allowed = /^(bin\/|dist\/|prebuilds\/|addon\/src\/|kernel\/|docs\/man\/|share\/bash-completion\/completions\/|docs\/architecture\.md$|scripts\/install\.js$|CMakeLists\.txt$|package\.json$|README\.md$)/;
    expect(files.filter((f) => !allowed.test(f))).toEqual([]);
    expect(files.filter((f) => /\.(o|ko|cmd|mod\.c|tgz)$/.test(f))).toEqual([]);
  });
});

/** readelf's view of a binary: needed libraries and symbol versions. */
function elf(file: string): { machine: string; needed: string[]; versions: Map<string, string> } {
  const header = ok(['readelf', '-h', file]).stdout;
  const machine = /Machine:\s+(.*)/.exec(header)?.[1].trim() ?? '';
  const dyn = ok(['readelf', '-d', file]).stdout;
  const needed = [...dyn.matchAll(/\(NEEDED\)\s+Shared library: \[([^\]]+)\]/g)].map((m) => m[1]).sort();
  // highest version required per prefix (GLIBC, GLIBCXX, CXXABI, GCC)
  const versions = new Map<string, string>();
  const cmp = (a: string, b: string) => {
    const x = a.split('.').map(Number);
    const y = b.split('.').map(Number);
    for (let i = 0; i < Math.max(x.length, y.length); i++) if ((x[i] ?? 0) !== (y[i] ?? 0)) return (x[i] ?? 0) - (y[i] ?? 0);
    return 0;
  };
  for (const m of ok(['readelf', '-V', file]).stdout.matchAll(/Name: ([A-Z]+)_([0-9.]+)/g)) {
    const cur = versions.get(m[1]);
    if (!cur || cmp(m[2], cur) > 0) versions.set(m[1], m[2]);
  }
  return { machine, needed, versions };
}

describe('the prebuilt binaries load beyond the machine that built them', () => {
  // README.md, "Installing": the documented requirements.
  test.each([
    // 2.32: libstdc++'s shared_ptr reads __libc_single_threaded; the
    // libstdc++ of GCC 11 already limits the binaries to glibc 2.34 systems
    ['x64', 'Advanced Micro Devices X86-64', '2.32'],
    ['arm64', 'AArch64', '2.32'],
  ])('linux-%s: %s, needs only libc, libstdc++ (GLIBCXX_3.4.29, GCC 11) and libgcc_s, glibc <= %s', (arch, machine, glibc) => {
    const file = path.join(unpacked, 'prebuilds', `linux-${arch}`, 'node.napi.glibc.node');
    const e = elf(file);
    expect(e.machine).toBe(machine);
    expect(e.needed).toEqual(['libc.so.6', 'libgcc_s.so.1', 'libstdc++.so.6']);
    expect(e.versions.get('GLIBC')).toBe(glibc);
    expect(e.versions.get('GLIBCXX')).toBe('3.4.29');
    expect(e.versions.get('CXXABI')).toBe('1.3.9');
  });
});
