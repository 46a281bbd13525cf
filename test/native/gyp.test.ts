/*
 * The node-gyp build (binding.gyp, via scripts/build-gyp.js into
 * build/gyp/) is built here and loaded next to the cmake-js build: same
 * exports, same constants, same behaviour, so the two builds cannot drift.
 */
import { spawnSync } from 'node:child_process';
import * as path from 'node:path';

import { ABI } from '../../src/abi';
import { VnetSystemError } from '../../src/binding/errors';
import { findAddon, loadAddonFrom } from '../../src/binding/native';
import type { VnetBinding } from '../../src/binding/types';
import { hooks, native, thrown } from './helpers';

const ROOT = path.resolve(__dirname, '..', '..');
const GYP_ADDON = path.join(ROOT, 'build', 'gyp', 'build', 'Release', 'vnet.node');

jest.setTimeout(300_000);

let gyp: VnetBinding;
const cmake = native();

beforeAll(() => {
  const r = spawnSync(process.execPath, [path.join(ROOT, 'scripts', 'build-gyp.js'), '--werror'], {
    cwd: ROOT,
    encoding: 'utf8',
  });
  if (r.status !== 0) throw new Error(`node-gyp build failed:\n${r.stdout}\n${r.stderr}`);
  expect(`${r.stdout}\n${r.stderr}`).not.toMatch(/\bwarning:/);
  gyp = loadAddonFrom(GYP_ADDON);
});

test('the two builds are different files', () => {
  expect(findAddon()).not.toBe(GYP_ADDON);
});

test('same exports', () => {
  expect(Object.keys(gyp).sort()).toEqual(Object.keys(cmake).sort());
});

test('same constants, equal to src/abi.ts', () => {
  expect({ ...gyp.constants }).toEqual({ ...cmake.constants });
  expect({ ...gyp.constants }).toEqual({ ...ABI });
});

test("same getInterface('lo')", () => {
  expect(gyp.getInterface('lo')).toEqual(cmake.getInterface('lo'));
});

test('same errors: VnetSystemError from both', () => {
  for (const fn of [
    (b: VnetBinding) => b.getInterface('vnet_nope'),
    (b: VnetBinding) => b.getRelay('lo'),
    (b: VnetBinding) => b.openGenl(),
  ]) {
    const a = thrown(() => fn(gyp));
    const c = thrown(() => fn(cmake));
    expect(a).toBeInstanceOf(VnetSystemError);
    expect({ ...a, message: a.message }).toEqual({ ...c, message: c.message });
  }
});

test('same argument validation', () => {
  const a = thrown(() => gyp.getInterface('x'.repeat(16)));
  // (the addon's TypeError is the main realm's, not jest's sandbox's)
  expect(a.constructor.name).toBe('TypeError');
  expect(a.message).toBe(thrown(() => cmake.getInterface('x'.repeat(16))).message);
});

test('netlink works from the node-gyp build too', () => {
  expect(hooks(gyp).resolveFamily('nlctrl').id).toBe(0x10);
});
