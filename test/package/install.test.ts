/*
 * Installing the tarball as README.md says (npm install -g ./vnet-*.tgz):
 * on a machine without a compiler the prebuilt binary does, the commands
 * and the library work; where no prebuilt binary fits, the install builds
 * from source with cmake-js if a compiler is there and fails with what to
 * install if not.  And `npm install -g .` in a clone changes nothing in it.
 *
 * The commands cannot reach the module on this host (no module support):
 * here they prove that the addon loaded (they get as far as asking the
 * kernel); test/e2e runs the same installed package against vnet.ko.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';

import { install, Installed, ok, PKG, PREBUILD, ROOT, run, scratch, TOOLCHAIN } from './helpers';

let inst: Installed;
beforeAll(() => {
  inst = install();
}, 900_000);

/** Runs node on a script in `cwd` with the compiler-free PATH. */
function nodeIn(cwd: string, script: string) {
  return run(['node', '-e', script], { cwd, path: inst.noccPath });
}

describe('npm install -g ./vnet-*.tgz with no compiler on PATH', () => {
  test('the PATH it ran with has node and npm but no compiler or build tool', () => {
    const r = run(['sh', '-c', `for t in node npm ${TOOLCHAIN.join(' ')}; do command -v $t || echo "no $t"; done`], {
      path: inst.noccPath,
    });
    expect(r.stdout.split('\n').filter(Boolean)).toEqual([
      path.join(inst.noccPath, 'node'),
      path.join(inst.noccPath, 'npm'),
      ...TOOLCHAIN.map((t) => `no ${t}`),
    ]);
  });

  test(`its install script found ${PREBUILD} and built nothing`, () => {
    expect(inst.log).toContain(`vnet: using ${PREBUILD}`);
    expect(inst.log).not.toMatch(/building the addon from source|cmake|Compiler/);
    expect(fs.existsSync(path.join(inst.pkgdir, PREBUILD))).toBe(true);
    expect(fs.existsSync(path.join(inst.pkgdir, 'build'))).toBe(false);
  });

  test('the build tools stay optional: cmake-js and the headers are optionalDependencies', () => {
    const pkg = JSON.parse(fs.readFileSync(path.join(inst.pkgdir, 'package.json'), 'utf8'));
    expect(Object.keys(pkg.optionalDependencies).sort()).toEqual(['cmake-js', 'node-addon-api', 'node-api-headers']);
    expect(Object.keys(pkg.dependencies).sort()).toEqual(['chalk', 'commander', 'node-gyp-build']);
  });

  test.each(Object.keys(PKG.bin))('%s -V prints the version (exit 0)', (cmd) => {
    const r = run([path.join(inst.bin, cmd), '-V'], { path: inst.noccPath });
    expect(r).toMatchObject({ code: 0, stdout: `${PKG.version}\n` });
  });

  test('every command starts with a V8 code cache that this Node takes (dist/bundle/, src/bundle/load.ts)', () => {
    const dir = path.join(inst.pkgdir, 'dist', 'bundle');
    const js = `const l = require(${JSON.stringify(path.join(dir, 'load.js'))});
      console.log(JSON.stringify(${JSON.stringify(Object.keys(PKG.bin))}.filter((c) => !l.cacheAccepted(${JSON.stringify(dir)}, c))))`;
    const r = run(['node', '-e', js], { path: inst.noccPath });
    expect([r.code, r.stdout]).toEqual([0, '[]\n']);
    expect(inst.log).not.toMatch(/code cache/);
  });

  test('vnetconfig -a loads the prebuilt addon and asks the kernel: here, with no module, exit 3', () => {
    const r = run([path.join(inst.bin, 'vnetconfig'), '-a'], { path: inst.noccPath });
    expect(r.code).toBe(3);
    expect(r.stderr).toMatch(/^vnetconfig: .*is the vnet module loaded\?/);
    expect(r.stderr).not.toMatch(/cannot load the native addon/);
  });
});

describe('the library API of the installed package', () => {
  let consumer: string;
  beforeAll(() => {
    // a project that depends on vnet (its own package.json: inside this
    // tree, "vnet" would otherwise resolve to the tree itself)
    consumer = scratch('consumer');
    fs.writeFileSync(path.join(consumer, 'package.json'), '{ "name": "consumer", "private": true }\n');
    fs.mkdirSync(path.join(consumer, 'node_modules'));
    fs.symlinkSync(inst.pkgdir, path.join(consumer, 'node_modules', 'vnet'));
  });

  test('require("vnet"): the typed binding, loaded from the prebuilt binary, works', () => {
    const r = nodeIn(
      consumer,
      `const v = require('vnet');
       const lo = v.loadBinding().getInterface('lo');
       console.log(JSON.stringify({ from: v.addonCandidates()[0], ifindex: lo.ifindex, mtu: lo.mtu,
         version: require('vnet/package.json').version }));`,
    );
    expect(r.stderr).toBe('');
    expect(JSON.parse(r.stdout)).toEqual({
      from: path.join(fs.realpathSync(inst.pkgdir), PREBUILD),
      ifindex: 1,
      mtu: 65536,
      version: PKG.version,
    });
  });

  test('a failing call throws a VnetSystemError with errno, code and syscall', () => {
    const r = nodeIn(
      consumer,
      `const v = require('vnet');
       try { v.loadBinding().getInterface('nosuchdev0'); }
       catch (e) { console.log(JSON.stringify({ is: v.isVnetSystemError(e), errno: e.errno, code: e.code, syscall: e.syscall })); }`,
    );
    expect(JSON.parse(r.stdout)).toEqual({ is: true, errno: -19, code: 'ENODEV', syscall: expect.stringMatching(/^ioctl/) });
  });

  test('internals are closed by "exports": require("vnet/dist/cli") fails', () => {
    const r = nodeIn(consumer, `require('vnet/dist/cli')`);
    expect(r.code).not.toBe(0);
    expect(r.stderr).toContain('ERR_PACKAGE_PATH_NOT_EXPORTED');
  });

  test('TypeScript finds the declarations through "types"/"exports", and they are not any', () => {
    const tsc = path.join(ROOT, 'node_modules', 'typescript', 'bin', 'tsc');
    const args = (file: string) => [
      'node', tsc, '--noEmit', '--strict', '--module', 'node16', '--moduleResolution', 'node16',
      '--typeRoots', path.join(ROOT, 'node_modules', '@types'), '--types', 'node', file,
    ];
    fs.writeFileSync(
      path.join(consumer, 'good.ts'),
      `import { loadBinding, type VnetBinding } from 'vnet';\nconst b: VnetBinding = loadBinding();\nexport const mtu: number = b.getInterface('lo').mtu;\n`,
    );
    fs.writeFileSync(
      path.join(consumer, 'bad.ts'),
      `import { loadBinding } from 'vnet';\nexport const mtu: string = loadBinding().getInterface('lo').mtu;\n`,
    );
    expect(run(args('good.ts'), { cwd: consumer })).toMatchObject({ code: 0, stdout: '' });
    const bad = run(args('bad.ts'), { cwd: consumer });
    expect(bad.code).not.toBe(0);
    expect(bad.stdout).toMatch(/bad\.ts\(2,14\): error TS2322: Type 'number' is not assignable to type 'string'/);
  }, 60_000);
});

describe('where no prebuilt binary fits (another architecture, musl, an old libstdc++)', () => {
  let tgz: string;
  beforeAll(() => {
    // the same tarball without this machine's prebuilt binary
    const dir = scratch('noprebuild');
    ok(['tar', '-xzf', inst.tgz, '-C', dir]);
    fs.rmSync(path.join(dir, 'package', path.dirname(PREBUILD)), { recursive: true });
    tgz = path.join(dir, 'vnet-noprebuild.tgz');
    ok(['tar', '-czf', tgz, '-C', dir, 'package']);
  });

  const npmInstall = (prefix: string, pathEnv?: string) =>
    run(
      ['npm', 'install', '-g', '--no-audit', '--no-fund', '--prefer-offline', '--foreground-scripts', '--prefix', prefix, tgz],
      { path: pathEnv, timeout: 600_000 },
    );

  test('with a compiler, the install builds the addon from source with cmake-js, and it works', () => {
    const prefix = scratch('fallback-prefix');
    const r = npmInstall(prefix);
    expect(r.code).toBe(0);
    const out = r.stdout + r.stderr;
    expect(out).toContain('vnet: No native build was found for platform=linux');
    expect(out).toContain('vnet: building the addon from source');
    expect(out).toContain('vnet: built build/Release/vnet.node');
    const pkgdir = path.join(prefix, 'lib', 'node_modules', 'vnet');
    expect(fs.existsSync(path.join(pkgdir, 'build', 'Release', 'vnet.node'))).toBe(true);

    const cfg = run([path.join(prefix, 'bin', 'vnetconfig'), '-a']);
    expect(cfg.code).toBe(3);
    expect(cfg.stderr).toMatch(/is the vnet module loaded\?/);
    const from = run(['node', '-e', `console.log(require(${JSON.stringify(pkgdir)}).addonCandidates()[0])`]);
    expect(from.stdout.trim()).toBe(path.join(pkgdir, 'build', 'Release', 'vnet.node'));
  }, 600_000);

  test('without a compiler, the install fails, says what to install, and leaves no command behind', () => {
    const prefix = scratch('nocc-fail-prefix');
    const r = npmInstall(prefix, inst.noccPath);
    expect(r.code).not.toBe(0);
    expect(r.stdout + r.stderr).toContain('install cmake, make and g++ (Debian: apt-get install cmake make g++)');
    expect(fs.existsSync(path.join(prefix, 'bin', 'vnetconfig'))).toBe(false);
  }, 300_000);
});

describe('an installed package whose binary does not fit (scripts blocked, so no fallback ran)', () => {
  test('the commands exit 1 and say what was looked for and how to build from source', () => {
    const dir = path.join(scratch('nobinary'), 'node_modules', 'vnet');
    fs.cpSync(inst.pkgdir, dir, { recursive: true, verbatimSymlinks: true });
    fs.rmSync(path.join(dir, path.dirname(PREBUILD)), { recursive: true });
    const r = run(['node', path.join(dir, 'bin', 'vnetconfig'), '-a'], { path: inst.noccPath });
    expect(r.code).toBe(1);
    expect(r.stderr).toContain(
      'vnetconfig: cannot load the native addon (none fits this machine: with cmake, make and g++ installed, ' +
        '`npm rebuild -g vnet` (without -g for a local install) builds it from source); tried:\n',
    );
    expect(r.stderr).toContain(`${path.join(dir, 'prebuilds')}: No native build was found for platform=linux arch=${process.arch}`);
  });
});

describe('npm install -g . in a fresh clone', () => {
  test('stops with the supported ways to install, and writes nothing into the clone', () => {
    const dir = scratch('clone');
    ok(['git', 'clone', '--quiet', ROOT, path.join(dir, 'vnet')]);
    const clone = path.join(dir, 'vnet');
    const lock = fs.readFileSync(path.join(clone, 'package-lock.json'), 'utf8');
    const r = run(['npm', 'install', '-g', '--no-audit', '--no-fund', '--prefix', path.join(dir, 'prefix'), '.'], {
      cwd: clone,
      timeout: 300_000,
    });
    expect(r.code).not.toBe(0);
    expect(r.stderr).toContain('npm ci && npm pack && sudo npm install -g ./vnet-*.tgz');
    expect(fs.existsSync(path.join(clone, 'node_modules'))).toBe(false);
    expect(fs.readFileSync(path.join(clone, 'package-lock.json'), 'utf8')).toBe(lock);
    expect(ok(['git', 'status', '--porcelain', '--ignored'], { cwd: clone }).stdout).toBe('');
  }, 300_000);
});
