/*
 * CMakeLists.txt (cmake-js) and binding.gyp (node-gyp) build the same
 * sources with the same definitions and compiler flags.  Not by reading
 * the two files' text: each tool configures the project (-Werror on, as
 * `VNET_WERROR` asks) into build/parity/, and the compile commands they
 * generate are compared: cmake's compile_commands.json and the variables
 * node-gyp's makefile compiles with (vnet.target.mk).  gyp.test.ts then
 * builds with node-gyp and -Werror, so the same flags are warning-free.
 */
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';

const ROOT = path.resolve(__dirname, '..', '..');
const OUT = path.join(ROOT, 'build', 'parity');
const pkg = JSON.parse(fs.readFileSync(path.join(ROOT, 'package.json'), 'utf8'));

jest.setTimeout(120_000);

interface Flags {
  sources: string[];
  defines: string[];
  /** -W, -f, -O, -std, -pthread ... */
  options: string[];
  includes: string[];
}

/**
 * What node-gyp adds to every addon and CMakeLists.txt need not: defines
 * for addons that use V8, libuv or OpenSSL directly (the addon uses only
 * Node-API), glibc's large-file and format macros (no-ops on 64-bit glibc)
 * and the libstdc++ ABI it defaults to anyway; -m64 (the x86_64 default).
 * cmake-js adds vnet_EXPORTS (a shared library's own name).
 */
const GYP_ONLY = new Set([
  'NODE_GYP_MODULE_NAME=vnet', 'USING_UV_SHARED=1', 'USING_V8_SHARED=1', 'V8_DEPRECATION_WARNINGS=1',
  'OPENSSL_NO_PINSHARED', 'OPENSSL_THREADS', '_GLIBCXX_USE_CXX11_ABI=1', '_FILE_OFFSET_BITS=64',
  '_LARGEFILE_SOURCE', '__STDC_FORMAT_MACROS', '-m64',
]);
const CMAKE_ONLY = new Set(['vnet_EXPORTS']);

const rel = (f: string): string => path.relative(ROOT, f);

function classify(words: string[], into: Flags, base: string): void {
  for (let i = 0; i < words.length; i++) {
    const w = words[i];
    if (w.startsWith('-D')) into.defines.push(w.slice(2));
    else if (w === '-isystem' || w === '-I') into.includes.push(rel(path.resolve(base, words[++i])));
    else if (w.startsWith('-I')) into.includes.push(rel(path.resolve(base, w.slice(2))));
    else if (/^-(W|f|O|std=|pthread|m)/.test(w)) into.options.push(w);
  }
}

function cmakeFlags(): Flags {
  const r = spawnSync(
    process.execPath,
    [require.resolve('cmake-js/bin/cmake-js'), 'configure', '--out', path.join(OUT, 'cmake'), '--CDVNET_WERROR=ON', '--CDCMAKE_EXPORT_COMPILE_COMMANDS=ON'],
    { cwd: ROOT, encoding: 'utf8' },
  );
  if (r.status !== 0) throw new Error(`cmake-js configure failed:\n${r.stdout}\n${r.stderr}`);
  const db = JSON.parse(fs.readFileSync(path.join(OUT, 'cmake', 'compile_commands.json'), 'utf8')) as {
    directory: string;
    command: string;
    file: string;
  }[];
  const per = db.map((e) => {
    const f: Flags = { sources: [rel(e.file)], defines: [], options: [], includes: [] };
    classify(e.command.split(/\s+/), f, e.directory);
    return f;
  });
  // every source with the same flags
  for (const f of per) expect({ ...f, sources: [] }).toEqual({ ...per[0], sources: [] });
  return { ...per[0], sources: per.flatMap((f) => f.sources) };
}

function gypFlags(): Flags {
  const dir = path.join(OUT, 'gyp');
  fs.mkdirSync(dir, { recursive: true });
  fs.writeFileSync(path.join(dir, 'binding.gyp'), "{ 'includes': ['../../../binding.gyp'] }\n");
  const args = [require.resolve('node-gyp/bin/node-gyp.js'), 'configure', '--directory', dir];
  if (fs.existsSync('/usr/include/node/common.gypi')) args.push('--nodedir=/usr');
  const r = spawnSync(process.execPath, args, { cwd: ROOT, encoding: 'utf8', env: { ...process.env, VNET_WERROR: '1' } });
  if (r.status !== 0) throw new Error(`node-gyp configure failed:\n${r.stdout}\n${r.stderr}`);
  const mk = fs.readFileSync(path.join(dir, 'build', 'vnet.target.mk'), 'utf8');
  const list = (name: string): string[] => {
    const m = new RegExp(`^${name} :=((?:.*\\\\\\n)*.*)$`, 'm').exec(mk);
    if (!m) throw new Error(`${name} not in vnet.target.mk`);
    return m[1].split(/\\\n/).map((x) => x.trim().replace(/^'|'$/g, '')).filter(Boolean);
  };
  const f: Flags = { sources: [], defines: [], options: [], includes: [] };
  const base = path.join(dir, 'build');
  classify([...list('DEFS_Release'), ...list('CFLAGS_Release'), ...list('CFLAGS_CC_Release')], f, base);
  classify(list('INCS_Release').map((i) => i.replace('$(srcdir)', dir)), f, base);
  f.sources = list('OBJS').map((o) => o.replace(/^\$\(obj\)\.target\/\$\(TARGET\)\/(\.\.\/)+/, '').replace(/\.o$/, '.cc'));
  return f;
}

let cmake: Flags;
let gyp: Flags;

beforeAll(() => {
  cmake = cmakeFlags();
  gyp = gypFlags();
});

const uniq = (xs: string[]): string[] => [...new Set(xs)].sort();

test('the same sources, and every addon/src/*.cc is built', () => {
  const onDisk = fs
    .readdirSync(path.join(ROOT, 'addon', 'src'))
    .filter((f) => f.endsWith('.cc'))
    .map((f) => `addon/src/${f}`)
    .sort();
  expect(uniq(cmake.sources)).toEqual(onDisk);
  expect(uniq(gyp.sources)).toEqual(onDisk);
});

test('the same definitions (beyond each tool\'s own, listed and explained above)', () => {
  expect(uniq(cmake.defines.filter((d) => !CMAKE_ONLY.has(d)))).toEqual(uniq(gyp.defines.filter((d) => !GYP_ONLY.has(d))));
  expect(cmake.defines).toContain(`NAPI_VERSION=${pkg.binary.napi_versions[0]}`);
  expect(cmake.defines).toContain('NDEBUG');
});

test('the same compiler options: C++17, exceptions, warnings, -Werror, visibility, optimisation, threads', () => {
  expect(uniq(cmake.options)).toEqual(uniq(gyp.options.filter((o) => !GYP_ONLY.has(o))));
  for (const o of ['-std=c++17', '-fexceptions', '-Wall', '-Wextra', '-Werror', '-fvisibility=hidden', '-O3', '-pthread']) {
    expect(cmake.options).toContain(o);
  }
  // node-gyp's default that would hide warnings cmake shows
  expect(gyp.options).not.toContain('-Wno-unused-parameter');
});

test('the uapi header and node-addon-api from the same directories; Node-API headers in both', () => {
  for (const dir of ['kernel/include/uapi', 'node_modules/node-addon-api']) {
    expect(cmake.includes).toContain(dir);
    expect(gyp.includes).toContain(dir);
  }
  const hasNodeApi = (incs: string[]): boolean => incs.some((d) => fs.existsSync(path.resolve(ROOT, d, 'node_api.h')));
  expect(hasNodeApi(cmake.includes)).toBe(true);
  expect(hasNodeApi(gyp.includes)).toBe(true);
});

test('NAPI_VERSION is package.json binary.napi_versions', () => {
  expect(pkg.binary.napi_versions).toEqual([8]);
  expect(gyp.defines).toContain(`NAPI_VERSION=${pkg.binary.napi_versions[0]}`);
});
