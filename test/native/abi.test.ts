/*
 * The constants the addon compiled from <linux/vnet.h> are exactly
 * src/abi.ts (generated from the same header by scripts/gen-abi.js), and
 * src/abi.ts is up to date with the header.
 */
import { spawnSync } from 'node:child_process';
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

  test('named exports match the ABI object', () => {
    for (const [name, value] of Object.entries(abi.ABI)) {
      expect((abi as Record<string, unknown>)[name]).toBe(value);
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
