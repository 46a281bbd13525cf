/*
 * The constants the addon compiled from <linux/vnet.h> are exactly
 * src/abi.ts (generated from the same header by scripts/gen-abi.js),
 * src/abi.ts is up to date with the header, and its values are the ones
 * the C compiler reads in the header.
 */
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

import * as abi from '../../src/abi';
import { native } from './helpers';

const ROOT = path.resolve(__dirname, '..', '..');

describe('ABI constants', () => {
  const constants = native().constants;

  test('src/abi.ts is what scripts/gen-abi.js generates from the header', () => {
    const r = spawnSync(process.execPath, [path.join(ROOT, 'scripts', 'gen-abi.js'), '--check'], {
      encoding: 'utf8',
    });
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
  });

  test('every constant the addon exports equals src/abi.ts', () => {
    for (const [name, value] of Object.entries(constants)) {
      expect([name, (abi.ABI as Record<string, unknown>)[name]]).toEqual([name, value]);
    }
  });

  test('every constant of src/abi.ts is exported by the addon', () => {
    expect(Object.keys(constants).sort()).toEqual(Object.keys(abi.ABI).sort());
  });

  test('src/abi.ts is what the C compiler reads in the header (not only what gen-abi.js parses)', () => {
    // A C program printing every constant of src/abi.ts as gcc evaluates
    // it from <linux/vnet.h>: an enum's implicit values, shifts, _IOR()
    // style macros and struct layout come from the compiler, not from a
    // text parser, so a mis-parse in gen-abi.js shows up here.
    const expr = (name: string): string => {
      const m = /^(SIZEOF|OFFSETOF)_VNET_RELAY_INFO(?:_(\w+))?$/.exec(name);
      if (!m) return name;
      return m[1] === 'SIZEOF' ? 'sizeof(struct vnet_relay_info)' : `offsetof(struct vnet_relay_info, ${m[2].toLowerCase()})`;
    };
    const lines = Object.entries(abi.ABI).map(([name, v]) =>
      typeof v === 'string'
        ? `  printf("%s\\t\\"%s\\"\\n", "${name}", ${name});`
        : `  printf("%s\\t%lld\\n", "${name}", (long long)(${expr(name)}));`,
    );
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'vnet-abi-'));
    try {
      const src = path.join(dir, 'abi.c');
      fs.writeFileSync(
        src,
        ['#include <net/if.h>', '#include <stddef.h>', '#include <stdio.h>', '#include <linux/vnet.h>', 'int main(void)', '{', ...lines, '  return 0;', '}', ''].join('\n'),
      );
      const exe = path.join(dir, 'abi');
      const cc = spawnSync('cc', ['-Wall', '-Werror', '-I', path.join(ROOT, 'kernel', 'include', 'uapi'), '-o', exe, src], { encoding: 'utf8' });
      expect(cc.stderr).toBe('');
      expect(cc.status).toBe(0);
      const out = spawnSync(exe, { encoding: 'utf8' }).stdout;
      const seen = Object.fromEntries(
        out
          .trim()
          .split('\n')
          .map((l) => {
            const [k, v] = l.split('\t');
            return [k, v.startsWith('"') ? JSON.parse(v) : Number(v)];
          }),
      );
      expect(seen).toEqual({ ...abi.ABI });
      // and the named exports are the same values
      for (const [name, value] of Object.entries(seen)) expect([name, (abi as Record<string, unknown>)[name]]).toEqual([name, value]);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  test('constants are frozen', () => {
    expect(Object.isFrozen(constants)).toBe(true);
  });

  test('struct vnet_relay_info: 28 bytes, no padding', () => {
    expect(constants.SIZEOF_VNET_RELAY_INFO).toBe(28);
    expect(constants.OFFSETOF_VNET_RELAY_INFO_NAME).toBe(0);
    expect(constants.OFFSETOF_VNET_RELAY_INFO_MODE).toBe(16);
    expect(constants.OFFSETOF_VNET_RELAY_INFO_ARG1).toBe(20);
    expect(constants.OFFSETOF_VNET_RELAY_INFO_ARG2).toBe(24);
    expect(constants.VNET_IFNAMSIZ).toBe(16);
  });

  test('ioctl numbers are SIOCDEVPRIVATE + 0..2', () => {
    const SIOCDEVPRIVATE = 0x89f0;
    expect(constants.VNET_IOCTL_RESET_STATS).toBe(SIOCDEVPRIVATE);
    expect(constants.VNET_IOCTL_SET_RELAY).toBe(SIOCDEVPRIVATE + 1);
    expect(constants.VNET_IOCTL_GET_RELAY).toBe(SIOCDEVPRIVATE + 2);
  });

  test('genl family', () => {
    expect(constants.VNET_GENL_NAME).toBe('vnet_nl');
    expect(constants.VNET_GENL_VERSION).toBe(1);
    expect(constants.VNET_GENL_MCGRP_EVENTS).toBe('events');
  });
});
