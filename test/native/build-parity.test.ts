/*
 * CMakeLists.txt (cmake-js) and binding.gyp (node-gyp) build the same
 * sources with the same definitions, NAPI_VERSION matches package.json's
 * binary.napi_versions, and every addon source file is built.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';

const ROOT = path.resolve(__dirname, '..', '..');
const cmake = fs.readFileSync(path.join(ROOT, 'CMakeLists.txt'), 'utf8');
const gypText = fs.readFileSync(path.join(ROOT, 'binding.gyp'), 'utf8');
const pkg = JSON.parse(fs.readFileSync(path.join(ROOT, 'package.json'), 'utf8'));

function gypList(key: string): string[] {
  const m = new RegExp(`'${key}':\\s*\\[([^\\]]*)\\]`).exec(gypText);
  if (!m) throw new Error(`${key} not found in binding.gyp`);
  return [...m[1].matchAll(/'([^']+)'/g)].map((x) => x[1]);
}

test('same sources, and every addon/src/*.cc is built', () => {
  const onDisk = fs
    .readdirSync(path.join(ROOT, 'addon', 'src'))
    .filter((f) => f.endsWith('.cc'))
    .map((f) => `addon/src/${f}`)
    .sort();
  const m = /set\(VNET_ADDON_SOURCES([^)]*)\)/.exec(cmake)!;
  const cmakeSources = m[1].split(/\s+/).filter(Boolean).sort();
  expect(cmakeSources).toEqual(onDisk);
  expect(gypList('sources').sort()).toEqual(onDisk);
});

test('same compile definitions', () => {
  const m = /target_compile_definitions\(vnet PRIVATE([^)]*)\)/.exec(cmake)!;
  const cmakeDefs = m[1].split(/\s+/).filter(Boolean).sort();
  expect(gypList('defines').sort()).toEqual(cmakeDefs);
});

test('NAPI_VERSION is package.json binary.napi_versions', () => {
  expect(pkg.binary.napi_versions).toEqual([8]);
  expect(cmake).toContain(`NAPI_VERSION=${pkg.binary.napi_versions[0]}`);
  expect(gypList('defines')).toContain(`NAPI_VERSION=${pkg.binary.napi_versions[0]}`);
});

test('C++17 with exceptions, -Wall -Wextra, hidden visibility in both', () => {
  expect(cmake).toMatch(/CMAKE_CXX_STANDARD 17/);
  expect(cmake).toMatch(/-fexceptions -Wall -Wextra/);
  expect(cmake).toMatch(/CXX_VISIBILITY_PRESET hidden/);
  for (const f of ['-std=c++17', '-fexceptions', '-Wall', '-Wextra', '-fvisibility=hidden']) {
    expect(gypList('cflags_cc')).toContain(f);
  }
});

test('the uapi header comes from kernel/include/uapi in both', () => {
  expect(cmake).toContain('${CMAKE_SOURCE_DIR}/kernel/include/uapi');
  expect(gypList('include_dirs')).toContain('kernel/include/uapi');
});
