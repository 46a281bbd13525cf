/*
 * The addon on the host: no vnet module here, so this covers the standard
 * interface ioctls on lo (checked against the kernel's own view: /sys and
 * iproute2), the error shapes, argument validation before any syscall, the
 * raw generic netlink client against nlctrl (its cost per request, signals,
 * the asynchronous forms).  Crafted datagrams: parser.test.ts.
 */
import { execFileSync, spawn, spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';

import { VnetSystemError } from '../../src/binding/errors';
import { findAddon } from '../../src/binding/native';
import { hooks, native, openFds, rejected, thrown } from './helpers';

const ROOT = path.resolve(__dirname, '..', '..');

const b = native();
const t = hooks(b);

describe('standard interface ioctls', () => {
  test("getInterface('lo') is what /sys/class/net and `ip addr` say", () => {
    const sys = (f: string): string => fs.readFileSync(`/sys/class/net/lo/${f}`, 'utf8').trim();
    const lo = b.getInterface('lo');
    expect(lo.name).toBe('lo');
    expect(lo.ifindex).toBe(Number(sys('ifindex')));
    // /sys has dev->flags; the addon rtnetlink's ifi_flags, i.e.
    // dev_get_flags(): plus RUNNING, LOWER_UP, DORMANT from the link state
    let flags = Number(sys('flags'));
    if (flags & 0x1) {
      if (['up', 'unknown'].includes(sys('operstate'))) flags |= 0x40; // IFF_RUNNING
      if (sys('carrier') === '1') flags |= 0x10000; // IFF_LOWER_UP
      if (sys('dormant') === '1') flags |= 0x20000; // IFF_DORMANT
    }
    expect(lo.flags).toBe(flags);
    expect(lo.flags & 0x8).toBe(0x8); // IFF_LOOPBACK
    expect(lo.mtu).toBe(Number(sys('mtu')));
    expect(lo.mac).toBe(sys('address'));
    expect(lo.txqueuelen).toBe(Number(sys('tx_queue_len')));
    const [ip] = JSON.parse(execFileSync('ip', ['-j', '-4', 'addr', 'show', 'dev', 'lo'], { encoding: 'utf8' })) as {
      addr_info: { local: string; prefixlen: number }[];
    }[];
    const v4 = ip.addr_info[0];
    if (!v4) {
      expect(lo.ipv4).toBeUndefined();
      return;
    }
    const mask = (0xffffffff << (32 - v4.prefixlen)) >>> 0;
    expect(lo.ipv4).toEqual({
      address: v4.local,
      netmask: [24, 16, 8, 0].map((sh) => (mask >>> sh) & 0xff).join('.'),
      // no broadcast key: lo has no IFF_BROADCAST
    });
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

  test("driverName('lo'): EOPNOTSUPP, as `ethtool -i lo` is told", () => {
    // lo has neither get_drvinfo nor a parent device to name a driver
    const r = spawnSync('ethtool', ['-i', 'lo'], { encoding: 'utf8' });
    expect(r.status).not.toBe(0);
    expect(r.stderr).toMatch(/Operation not supported/);
    const e = thrown(() => b.driverName('lo'));
    expect(e).toBeInstanceOf(VnetSystemError);
    expect(e.code).toBe('EOPNOTSUPP');
    expect(e.syscall).toBe('ioctl(SIOCETHTOOL)');
    expect(e.ifname).toBe('lo');
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

  test('no libuv symbols in the addon; Node-API async work and thread-safe functions instead', () => {
    // nm comes with the binutils that linked the addon
    const out = execFileSync('nm', ['-D', '--undefined-only', findAddon()!], { encoding: 'utf8' });
    expect(out).not.toMatch(/\buv_/);
    expect(out).toMatch(/\bnapi_create_async_work\b/);
    expect(out).toMatch(/\bnapi_create_threadsafe_function\b/);
  });
});

describe('the cost of a request', () => {
  test('two syscalls per request in steady state: sendto + one recvmmsg (no poll, no peek)', () => {
    expect(t.resolveRepeat('nlctrl', 50)).toBe(2);
  });

  test('a fresh socket: 6 to set up (socket, bind, getsockname, EXT_ACK, CAP_ACK, SO_RCVTIMEO), then 2', () => {
    const before = t.syscalls();
    t.resolveFamily('nlctrl');
    expect(t.syscalls() - before).toBe(6 + 2);
  });
});

describe('signals: a wait interrupted by a signal is EINTR, and the JS handler runs', () => {
  // A child blocks in the addon; the parent sends SIGINT; the child's
  // handler must run and the call must end with EINTR well before the
  // 10 s reply timeout.
  const child = (call: string): Promise<{ out: string; ms: number }> =>
    new Promise((resolve, reject) => {
      const script = `
        const b = require(${JSON.stringify(path.join(ROOT, 'dist', 'binding', 'native.js'))}).loadNativeBinding();
        let handled = false;
        process.on('SIGINT', () => { handled = true; });
        process.stdout.write('ready\\n');
        const t0 = Date.now();
        let code = 'none';
        try { ${call}; } catch (e) { code = e.code + ' ' + e.constructor.name; }
        const ms = Date.now() - t0;
        setImmediate(() => process.stdout.write(JSON.stringify({ code, ms, handled }) + '\\n'));`;
      const p = spawn(process.execPath, ['-e', script], { stdio: ['ignore', 'pipe', 'inherit'] });
      let out = '';
      const t0 = Date.now();
      p.stdout.on('data', (d: Buffer) => {
        out += d.toString();
        if (out === 'ready\n') setTimeout(() => p.kill('SIGINT'), 300);
      });
      p.on('error', reject);
      p.on('close', () => resolve({ out, ms: Date.now() - t0 }));
    });

  test.each([
    ['a request waiting for its reply (recvmmsg on SO_RCVTIMEO)', 'b._test.blockOnReply()'],
    ['nextEvent-style wait for a multicast message (poll)', 'b._test.blockOnMulticast(8000)'],
  ])('%s', async (_what, call) => {
    const { out } = await child(call);
    const r = JSON.parse(out.split('\n')[1]);
    expect(r.code).toBe('EINTR VnetSystemError');
    expect(r.handled).toBe(true);
    expect(r.ms).toBeLessThan(5000);
  }, 15000);
});

describe('asynchronous forms (Promises on worker threads)', () => {
  test('openGenlAsync() rejects as openGenl() throws: ENOENT, module not loaded', async () => {
    const e = await rejected(b.openGenlAsync());
    const s = thrown(() => b.openGenl());
    expect(e).toBeInstanceOf(VnetSystemError);
    expect({ ...e, message: e.message }).toEqual({ ...s, message: s.message });
  });

  test('a request on a worker thread: nlctrl resolved, the same answer', async () => {
    const [a, c] = await Promise.all([t.resolveFamilyAsync('nlctrl'), t.resolveFamilyAsync('nlctrl')]);
    expect(a).toEqual(t.resolveFamily('nlctrl'));
    expect(c).toEqual(a);
    const e = await rejected(t.resolveFamilyAsync('no_such_family'));
    expect(e).toBeInstanceOf(VnetSystemError);
    expect(e.code).toBe('ENOENT');
  });

  test('linkStatsAsync: the same counters as linkStats; errors reject', async () => {
    const a = await b.linkStatsAsync('lo');
    expect(Object.keys(a).sort()).toEqual(Object.keys(b.linkStats('lo')).sort());
    for (const v of Object.values(a)) expect(typeof v).toBe('bigint');
    const e = await rejected(b.linkStatsAsync('vnet_nope'));
    expect(e).toBeInstanceOf(VnetSystemError);
    expect(e.code).toBe('ENODEV');
    expect(e.syscall).toBe('rtnl RTM_GETLINK');
  });

  test('argument errors reject (never throw), before any syscall', async () => {
    const before = t.syscalls();
    let p: Promise<unknown> | undefined;
    expect(() => {
      p = b.linkStatsAsync('x'.repeat(16));
    }).not.toThrow();
    const e = await rejected(p!);
    expect(e.constructor.name).toBe('TypeError');
    expect(e.code).toBe('ERR_INVALID_ARG_VALUE');
    expect(t.syscalls()).toBe(before);
  });

  test('no fd leaks from the asynchronous forms', async () => {
    const run = () => Promise.allSettled([b.linkStatsAsync('lo'), b.linkStatsAsync('vnet_nope'), b.openGenlAsync(), t.resolveFamilyAsync('nlctrl')]);
    await run();
    const before = openFds();
    for (let i = 0; i < 20; i++) await run();
    expect(openFds()).toBe(before);
  });
});

describe('every error has a code', () => {
  test('also when the addon is loaded on its own (no VnetSystemError class)', () => {
    const script = `
      const m = { exports: {} };
      process.dlopen(m, ${JSON.stringify(findAddon())});
      const out = [];
      for (const f of [() => m.exports.getInterface('vnet_nope'), () => m.exports.openGenl(), () => m.exports._test.badRequest()]) {
        try { f(); } catch (e) { out.push([e.code, e.errno, e.syscall, e.message]); }
      }
      console.log(JSON.stringify(out));`;
    const r = spawnSync(process.execPath, ['-e', script], { encoding: 'utf8' });
    expect(r.stderr).toBe('');
    const [nodev, noent, inval] = JSON.parse(r.stdout);
    expect(nodev.slice(0, 3)).toEqual(['ENODEV', -19, 'ioctl(SIOCGIFINDEX)']);
    expect(nodev[3]).toMatch(/^ENODEV: /);
    expect(noent.slice(0, 3)).toEqual(['ENOENT', -2, 'genl_ctrl_resolve']);
    expect(inval.slice(0, 3)).toEqual(['EINVAL', -22, 'genl CTRL_CMD_GETFAMILY']);
  });
});
