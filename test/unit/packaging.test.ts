import { readFileSync, readdirSync } from 'fs';
import { join } from 'path';

const ROOT = join(__dirname, '..', '..');
const COMMANDS = [
  'vnet-up',
  'vnet-down',
  'vnetconfig',
  'insanely',
  'vnet-reset-stats',
  'vnet-echo',
  'vnet-monitor',
  'vnet-module',
];
/** The commands that talk to vnet devices: they all take -n/--netns (not vnet-module, whose -n is --dry-run). */
const NETNS_COMMANDS = COMMANDS.filter((c) => c !== 'vnet-module');

describe('packaging', () => {
  const pkg = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8'));

  test.each(COMMANDS)('%s: bin shim, package.json bin and man entries, a man page with the exit codes', (cmd) => {
    expect(pkg.bin[cmd]).toBe(`bin/${cmd}`);
    expect(readFileSync(join(ROOT, 'bin', cmd), 'utf8')).toBe(
      `#!/usr/bin/env node\nrequire('../dist/bundle/load.js').main('${cmd}');\n`,
    );
    expect(pkg.man).toContain(`docs/man/${cmd}.1`);
    const man = readFileSync(join(ROOT, 'docs', 'man', `${cmd}.1`), 'utf8');
    for (const section of ['NAME', 'SYNOPSIS', 'DESCRIPTION', 'OPTIONS', 'EXIT STATUS', 'EXAMPLES', 'SEE ALSO']) {
      expect(man).toContain(`.SH ${section}`);
    }
    expect(man).toMatch(/\.B 4\nPermission denied/);
  });

  test.each(COMMANDS)('%s: a man page that names every other command and the environment', (cmd) => {
    const man = readFileSync(join(ROOT, 'docs', 'man', `${cmd}.1`), 'utf8');
    const seeAlso = man.slice(man.indexOf('.SH SEE ALSO'));
    for (const other of COMMANDS.filter((c) => c !== cmd)) expect([cmd, seeAlso]).toEqual([cmd, expect.stringContaining(`.BR ${other} (1)`)]);
    const env = man.slice(man.indexOf('.SH ENVIRONMENT'), man.indexOf('.SH', man.indexOf('.SH ENVIRONMENT') + 1));
    expect(env).toContain('.B NO_COLOR');
    expect(env).toContain('.B TERM');
    if (NETNS_COMMANDS.includes(cmd)) expect(man).toMatch(/\\-n ", " \\-\\-netns/); // -n/--netns
  });

  test.each(COMMANDS)('%s: a bash completion file, shipped with the package', (cmd) => {
    const f = readFileSync(join(ROOT, 'share', 'bash-completion', 'completions', cmd), 'utf8');
    expect(f).toContain('vnet-tools.bash');
    const tools = readFileSync(join(ROOT, 'share', 'bash-completion', 'completions', 'vnet-tools.bash'), 'utf8');
    expect(tools).toMatch(new RegExp(`^complete -F \\w+ ${cmd}$`, 'm'));
    expect(pkg.files).toContain('share/bash-completion/');
  });

  test('one source file per command, each exporting run and main', () => {
    const files = readdirSync(join(ROOT, 'src', 'commands')).filter((f) => f.endsWith('.ts')).sort();
    expect(files).toEqual(COMMANDS.map((c) => `${c}.ts`).sort());
    for (const c of COMMANDS) {
      // eslint-disable-next-line @typescript-eslint/no-require-imports
      const m = require(join(ROOT, 'src', 'commands', c));
      expect(typeof m.run).toBe('function');
      expect(typeof m.main).toBe('function');
    }
  });
});

describe('package.json and the files it ships', () => {
  const pkg = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8'));
  const read = (f: string) => readFileSync(join(ROOT, f), 'utf8');

  test('engines names the Node.js major the tests run on (this one; arm64 under qemu checks the same)', () => {
    expect(pkg.engines.node).toBe(`^${process.versions.node.split('.')[0]}`);
  });

  test('main, types and exports are the typed binding (src/binding/index.ts) as tsc emits it to dist/', () => {
    const tsconfig = JSON.parse(read('tsconfig.json')).compilerOptions;
    expect([tsconfig.rootDir, tsconfig.outDir, tsconfig.declaration]).toEqual(['src', 'dist', true]);
    expect(pkg.main).toBe('dist/binding/index.js');
    expect(pkg.types).toBe('dist/binding/index.d.ts');
    expect(pkg.exports).toEqual({
      '.': { types: './dist/binding/index.d.ts', default: './dist/binding/index.js' },
      './package.json': './package.json',
    });
    expect(readdirSync(join(ROOT, 'src', 'binding'))).toContain('index.ts');
  });

  test('no source maps are emitted (src/ is not shipped)', () => {
    expect(JSON.parse(read('tsconfig.json')).compilerOptions.sourceMap).toBe(false);
  });

  test('installs run scripts/install.js (prebuilt binary, else cmake-js); packing builds prebuilds/', () => {
    expect(pkg.scripts.install).toBe('node scripts/install.js');
    expect(pkg.scripts.prepack).toBe('node scripts/prebuild.js');
    expect(pkg.gypfile).toBe(false); // no implicit node-gyp rebuild
    expect(pkg.files).toEqual(expect.arrayContaining(['prebuilds/', 'scripts/install.js', 'CMakeLists.txt', 'addon/src/']));
    expect(pkg.files).not.toContain('build/Release/vnet.node');
  });

  test('one version everywhere: package.json, dkms.conf, the kernel Makefile, MODULE_VERSION', () => {
    expect(/^PACKAGE_VERSION="([^"]+)"$/m.exec(read('kernel/dkms.conf'))?.[1]).toBe(pkg.version);
    expect(/^VERSION := (\S+)$/m.exec(read('kernel/Makefile'))?.[1]).toBe(pkg.version);
    expect(/#define VNET_DRV_VERSION\s+"([^"]+)"/.exec(read('kernel/vnet_priv.h'))?.[1]).toBe(pkg.version);
  });

  test('dkms.conf builds vnet.ko as Kbuild names it, with the headers DKMS picks, and rebuilds on kernel upgrades', () => {
    const conf = read('kernel/dkms.conf');
    const kv = Object.fromEntries(
      conf
        .split('\n')
        .filter((l) => /^[A-Z_]+(\[\d+\])?=/.test(l))
        .map((l) => {
          const i = l.indexOf('=');
          return [l.slice(0, i), l.slice(i + 1).replace(/^"(.*)"$/, '$1')];
        }),
    );
    expect(kv.PACKAGE_NAME).toBe('vnet');
    expect(read('kernel/Kbuild')).toMatch(/^obj-m := (\w+)\.o$/m);
    expect(kv['BUILT_MODULE_NAME[0]']).toBe(/^obj-m := (\w+)\.o$/m.exec(read('kernel/Kbuild'))?.[1]);
    expect(kv['DEST_MODULE_LOCATION[0]']).toMatch(/^\/(extra|updates)(\/|$)/);
    expect(kv['MAKE[0]']).toBe('make KDIR=${kernel_source_dir} modules');
    expect(read('kernel/Makefile')).toMatch(/^KDIR \?= /m);
    expect(kv.CLEAN).toBe('make KDIR=${kernel_source_dir} clean');
    expect(kv.AUTOINSTALL).toBe('yes');
  });

  test('clean installs are npm ci: bootstrap, demo, e2e install, CI (no npm install that could rewrite the lockfile)', () => {
    for (const f of ['scripts/test-all.sh', 'scripts/demo.sh', 'test/e2e/install.sh', '.ci/run']) {
      const text = read(f).replace(/^\s*#.*$/gm, '');
      expect({ f, localInstall: /npm (install|i)\b(?![^\n]*\s-g\b)/.test(text) }).toEqual({ f, localInstall: false });
    }
    expect(read('scripts/test-all.sh')).toMatch(/^\s+npm ci --no-audit --no-fund/m);
    expect(read('.ci/run')).toMatch(/npm ci --no-audit --no-fund/);
    expect(read('scripts/prepare.js')).not.toMatch(/'install'|"install"/);
  });
});
