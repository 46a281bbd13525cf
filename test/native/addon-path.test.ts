/*
 * Where the addon is loaded from (src/binding/native.ts): the files this
 * package makes are found by name, without node-gyp-build (loading it and
 * its path() cost 60 ms of every command's start in the lab guest, issue
 * 9); node-gyp-build still answers for any other layout.
 */
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

import { addonCandidates } from '../../src/binding/native';

const ROOT = path.join(__dirname, '..', '..');
const RELEASE = path.join(ROOT, 'build', 'Release', 'vnet.node');

/** Loads the binding the way dist/ does in a fresh Node; reports the file and whether node-gyp-build was required. */
function loadInChild(env: Record<string, string> = {}) {
  const js = `
    const Module = require('node:module');
    const load = Module._load;
    let gyp = false;
    Module._load = function (request, ...rest) { if (request === 'node-gyp-build') gyp = true; return load.call(this, request, ...rest); };
    const n = require(${JSON.stringify(path.join(ROOT, 'dist', 'binding', 'native.js'))});
    const b = n.loadNativeBinding();
    console.log(JSON.stringify({ from: n.addonCandidates()[0], gyp, lo: b.getInterface('lo').ifindex }));`;
  const base = { ...process.env };
  delete base.VNET_ADDON;
  const r = spawnSync(process.execPath, ['-e', js], { encoding: 'utf8', env: { ...base, ...env } });
  if (r.status !== 0) throw new Error(r.stderr);
  return JSON.parse(r.stdout) as { from: string; gyp: boolean; lo: number };
}

describe('finding the addon', () => {
  beforeAll(() => {
    if (!fs.existsSync(RELEASE)) throw new Error(`${RELEASE} is missing: run \`npm run build\` first`);
  });

  test('a development build in build/Release is loaded by name: node-gyp-build is not even required', () => {
    expect(loadInChild()).toEqual({ from: RELEASE, gyp: false, lo: 1 });
  });

  test('$VNET_ADDON comes first and is loaded as given', () => {
    expect(loadInChild({ VNET_ADDON: path.relative(process.cwd(), RELEASE) })).toEqual({ from: RELEASE, gyp: false, lo: 1 });
  });

  describe('in a package root of its own', () => {
    let root: string;
    const explicit = process.env.VNET_ADDON;
    beforeEach(() => {
      delete process.env.VNET_ADDON; // addonCandidates() puts it first
      root = fs.mkdtempSync(path.join(os.tmpdir(), 'vnet-addon-path-'));
      fs.writeFileSync(path.join(root, 'package.json'), '{ "name": "vnet" }\n');
    });
    afterEach(() => {
      fs.rmSync(root, { recursive: true, force: true });
      if (explicit !== undefined) process.env.VNET_ADDON = explicit;
    });

    const put = (rel: string): string => {
      const f = path.join(root, rel);
      fs.mkdirSync(path.dirname(f), { recursive: true });
      fs.copyFileSync(RELEASE, f);
      return f;
    };

    test("the shipped prebuilt binary's name, and build/Release before it, as node-gyp-build orders them", () => {
      const pre = put(`prebuilds/linux-${process.arch}/node.napi.glibc.node`);
      expect(addonCandidates(root)[0]).toBe(pre);
      const dbg = put('build/Debug/vnet.node');
      expect(addonCandidates(root)[0]).toBe(dbg);
      const rel = put('build/Release/vnet.node');
      expect(addonCandidates(root).slice(0, 3)).toEqual([rel, dbg, pre]);
    });

    test('another name node-gyp-build accepts is still found, by node-gyp-build', () => {
      const other = put(`prebuilds/linux-${process.arch}/node.napi.node`);
      expect(addonCandidates(root)[0]).toBe(other);
    });

    test('nothing there: only the node-gyp build path is left to try', () => {
      expect(addonCandidates(root)).toEqual([path.join(root, 'build', 'gyp', 'build', 'Release', 'vnet.node')]);
    });
  });
});
