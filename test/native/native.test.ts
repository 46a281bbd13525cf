/*
 * The addon on the host: no vnet module here, so this covers the standard
 * interface ioctls on lo, the error shapes, argument validation before any
 * syscall, and the raw generic netlink client against nlctrl.
 */
import { execFileSync } from 'node:child_process';

import { VnetSystemError } from '../../src/binding/errors';
import { findAddon } from '../../src/binding/native';
import { hooks, native, openFds, thrown } from './helpers';

const b = native();
const t = hooks(b);

describe('standard interface ioctls', () => {
  test("getInterface('lo')", () => {
    const lo = b.getInterface('lo');
    expect(lo.name).toBe('lo');
    expect(lo.ifindex).toBeGreaterThan(0);
    expect(lo.flags & 0x8).toBe(0x8); // IFF_LOOPBACK
    expect(lo.mtu).toBeGreaterThan(0);
    expect(lo.mac).toBe('00:00:00:00:00:00');
    expect(typeof lo.txqueuelen).toBe('number');
    if (lo.ipv4) {
      expect(lo.ipv4.address).toBe('127.0.0.1');
      expect(lo.ipv4.netmask).toMatch(/^255\./);
      expect(lo.ipv4.broadcast).toBeUndefined(); // lo has no IFF_BROADCAST
    }
  });

  test('listInterfaces() includes lo', () => {
    const names = b.listInterfaces();
    expect(names).toContain('lo');
    for (const n of names) expect(typeof n).toBe('string');
  });

  test("linkStats('lo'): bigint counters", () => {
    const s = b.linkStats('lo');
    expect(Object.keys(s).sort()).toEqual(
      [
        'rx_packets', 'rx_bytes', 'rx_errors', 'rx_dropped', 'rx_fifo_errors', 'rx_frame_errors',
        'rx_over_errors', 'multicast', 'tx_packets', 'tx_bytes', 'tx_errors', 'tx_dropped',
        'tx_fifo_errors', 'tx_carrier_errors', 'collisions',
      ].sort(),
    );
    for (const v of Object.values(s)) expect(typeof v).toBe('bigint');
  });
});

describe('errors: VnetSystemError shaped like Node SystemError', () => {
  test('ENODEV on a missing device', () => {
    const e = thrown(() => b.getInterface('vnet_nope'));
    expect(e).toBeInstanceOf(VnetSystemError);
    expect(e).toBeInstanceOf(Error);
    expect(e.errno).toBe(-19);
    expect(e.code).toBe('ENODEV');
    expect(e.syscall).toBe('ioctl(SIOCGIFINDEX)');
    expect(e.ifname).toBe('vnet_nope');
    expect(e.extack).toBeUndefined();
    expect(e.message).toBe("ENODEV: no such device, ioctl(SIOCGIFINDEX) 'vnet_nope'");
    expect(e.name).toBe('VnetSystemError');
    expect(e.stack).toContain('native.test.ts');
  });

  test.each([
    ['getRelay', 'ioctl(SIOCDEVPRIVATE+2)', () => b.getRelay('vnet_nope')],
    ['resetStats', 'ioctl(SIOCDEVPRIVATE+0)', () => b.resetStats('vnet_nope')],
    ['setRelay', 'ioctl(SIOCDEVPRIVATE+1)', () => b.setRelay('vnet_nope', { slave: '', mode: 0, arg1: 0, arg2: 0 })],
    ['driverName', 'ioctl(SIOCETHTOOL)', () => b.driverName('vnet_nope')],
    ['linkStats', 'rtnl RTM_GETLINK', () => b.linkStats('vnet_nope')],
    ['changeFlags', 'ioctl(SIOCGIFFLAGS)', () => b.changeFlags('vnet_nope', 1, 0)],
  ])('%s: ENODEV, %s', (_name, syscall, fn) => {
    const e = thrown(fn);
    expect(e).toBeInstanceOf(VnetSystemError);
    expect(e.code).toBe('ENODEV');
    expect(e.syscall).toBe(syscall);
    expect(e.ifname).toBe('vnet_nope');
  });

  test('SIOCDEVPRIVATE on a device that is not vnet: EOPNOTSUPP', () => {
    const e = thrown(() => b.getRelay('lo'));
    expect(e).toBeInstanceOf(VnetSystemError);
    expect(e.errno).toBe(-95);
    expect(e.code).toBe('EOPNOTSUPP');
    expect(e.message).toBe("EOPNOTSUPP: operation not supported, ioctl(SIOCDEVPRIVATE+2) 'lo'");
  });

  test("driverName('lo'): lo has no ethtool driver info", () => {
    let name: string | undefined;
    try {
      name = b.driverName('lo');
    } catch (e) {
      expect(e).toBeInstanceOf(VnetSystemError);
      expect((e as VnetSystemError).code).toBe('EOPNOTSUPP');
      return;
    }
    expect(typeof name).toBe('string');
  });

  test('openGenl(): ENOENT, the module is not loaded', () => {
    const e = thrown(() => b.openGenl());
    expect(e).toBeInstanceOf(VnetSystemError);
    expect(e.errno).toBe(-2);
    expect(e.code).toBe('ENOENT');
    expect(e.syscall).toBe('genl_ctrl_resolve');
    expect(e.message).toMatch(/^ENOENT: no such file or directory, genl_ctrl_resolve/);
    expect(e.message).toContain("'vnet_nl' is not registered");
    expect(e.message).toContain('is the vnet module loaded?');
  });

  test('the kernel extack reaches JS (NLMSG_ERROR with NLMSGERR_ATTR_MSG)', () => {
    const e = thrown(() => t.badRequest());
    expect(e).toBeInstanceOf(VnetSystemError);
    expect(e.code).toBe('EINVAL');
    expect(e.syscall).toBe('genl CTRL_CMD_GETFAMILY');
    expect(typeof e.extack).toBe('string');
    expect((e.extack as string).length).toBeGreaterThan(0);
    expect(e.message).toBe(`EINVAL: invalid argument, genl CTRL_CMD_GETFAMILY: ${e.extack}`);
  });
});

describe('argument validation happens before any syscall', () => {
  const cases: [string, () => unknown, string, string][] = [
    ['name too long', () => b.getInterface('0123456789abcdef'), 'TypeError', 'ERR_INVALID_ARG_VALUE'],
    ['name of 16 UTF-8 bytes', () => b.getInterface('ééééééééé'.slice(0, 8)), 'TypeError', 'ERR_INVALID_ARG_VALUE'],
    ['empty name', () => b.getInterface(''), 'TypeError', 'ERR_INVALID_ARG_VALUE'],
    ['NUL in name', () => b.getInterface('lo\0x'), 'TypeError', 'ERR_INVALID_ARG_VALUE'],
    ['name not a string', () => b.getInterface(42 as unknown as string), 'TypeError', 'ERR_INVALID_ARG_TYPE'],
    ['missing name', () => (b.getRelay as unknown as () => unknown)(), 'TypeError', 'ERR_INVALID_ARG_TYPE'],
    ['slave name too long', () => b.setRelay('lo', { slave: 'x'.repeat(16), mode: 0, arg1: 0, arg2: 0 }), 'TypeError', 'ERR_INVALID_ARG_VALUE'],
    ['relay info not an object', () => b.setRelay('lo', null as unknown as never), 'TypeError', 'ERR_INVALID_ARG_TYPE'],
    ['mode not int32', () => b.setRelay('lo', { slave: '', mode: 2 ** 31, arg1: 0, arg2: 0 }), 'RangeError', 'ERR_OUT_OF_RANGE'],
    ['arg1 fractional', () => b.setRelay('lo', { slave: '', mode: 1, arg1: 0.5, arg2: 0 }), 'RangeError', 'ERR_OUT_OF_RANGE'],
    ['mtu negative', () => b.setMtu('lo', -1), 'RangeError', 'ERR_OUT_OF_RANGE'],
    ['mtu NaN', () => b.setMtu('lo', NaN), 'RangeError', 'ERR_OUT_OF_RANGE'],
    ['flags beyond 16 bits', () => b.changeFlags('lo', 0x10000, 0), 'RangeError', 'ERR_OUT_OF_RANGE'],
    ['bad IPv4 address', () => b.setAddress('lo', '10.0.0.256'), 'TypeError', 'ERR_INVALID_ARG_VALUE'],
    ['bad netmask', () => b.setNetmask('lo', 'fff'), 'TypeError', 'ERR_INVALID_ARG_VALUE'],
  ];
  test.each(cases)('%s', (_what, fn, cls, code) => {
    const before = t.syscalls();
    const e = thrown(fn);
    expect(t.syscalls()).toBe(before);
    expect(e).not.toBeInstanceOf(VnetSystemError);
    expect(e.constructor.name).toBe(cls);
    expect(e.code).toBe(code);
  });

  test('a valid call does make syscalls (the counter works)', () => {
    const before = t.syscalls();
    b.getInterface('lo');
    expect(t.syscalls()).toBeGreaterThan(before);
  });

  test('name of 15 bytes is accepted (and then ENODEV from the kernel)', () => {
    const e = thrown(() => b.getInterface('x'.repeat(15)));
    expect(e).toBeInstanceOf(VnetSystemError);
    expect(e.code).toBe('ENODEV');
  });
});

describe('generic netlink client against nlctrl', () => {
  test('resolves nlctrl: id GENL_ID_CTRL, the "notify" group', () => {
    const f = t.resolveFamily('nlctrl');
    expect(f.name).toBe('nlctrl');
    expect(f.id).toBe(0x10);
    expect(f.version).toBeGreaterThanOrEqual(1);
    expect(f.groups).toHaveProperty('notify');
    expect(typeof f.groups.notify).toBe('number');
  });

  test('multi-part dump of every family (NLM_F_DUMP .. NLMSG_DONE)', () => {
    const all = t.dumpFamilies();
    const names = all.map((f) => f.name);
    expect(names).toContain('nlctrl');
    expect(new Set(all.map((f) => f.id)).size).toBe(all.length);
    // each family found by the dump resolves to the same id
    for (const f of all.slice(0, 5)) expect(t.resolveFamily(f.name).id).toBe(f.id);
  });

  test('an unknown family: ENOENT from genl_ctrl_resolve', () => {
    const e = thrown(() => t.resolveFamily('no_such_family'));
    expect(e).toBeInstanceOf(VnetSystemError);
    expect(e.code).toBe('ENOENT');
    expect(e.syscall).toBe('genl_ctrl_resolve');
    expect(e.message).toContain("'no_such_family' is not registered");
  });
});

describe('resources', () => {
  test('no fd leaks on success or failure paths', () => {
    const run = () => {
      b.getInterface('lo');
      b.linkStats('lo');
      b.listInterfaces();
      t.resolveFamily('nlctrl');
      t.dumpFamilies();
      for (const fn of [
        () => b.getInterface('vnet_nope'),
        () => b.getRelay('lo'),
        () => b.openGenl(),
        () => t.badRequest(),
        () => b.linkStats('vnet_nope'),
      ]) {
        try {
          fn();
        } catch {
          /* expected */
        }
      }
    };
    run(); // warm up (lazy allocations in Node itself)
    const before = openFds();
    for (let i = 0; i < 50; i++) run();
    expect(openFds()).toBe(before);
  });

  test('no libuv symbols in the addon', () => {
    const file = findAddon()!;
    let out: string;
    try {
      out = execFileSync('nm', ['-D', '--undefined-only', file], { encoding: 'utf8' });
    } catch {
      return; // no binutils here
    }
    expect(out).not.toMatch(/\buv_/);
    expect(out).toMatch(/\bnapi_/);
  });
});
