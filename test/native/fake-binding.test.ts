/*
 * test/fake-binding.ts: its own behaviour, and parity with the addon for
 * everything the host can check (argument validation, error shapes).
 */
import { ABI } from '../../src/abi';
import { VnetSystemError } from '../../src/binding/errors';
import type { VnetBinding, VnetEvent } from '../../src/binding/types';
import { FakeBinding, IFF_NOARP, IFF_RUNNING, IFF_UP, standardFake, sysErr } from '../fake-binding';
import { native, rejected, thrown } from './helpers';

describe('parity with the addon', () => {
  const real = native();
  const fake = new FakeBinding();
  fake.addLoopback();
  fake.moduleLoaded = false;

  const cases: [string, (b: VnetBinding) => unknown][] = [
    ['missing device', (b) => b.getInterface('vnet_nope')],
    ['SIOCDEVPRIVATE on lo', (b) => b.getRelay('lo')],
    ['reset on a missing device', (b) => b.resetStats('vnet_nope')],
    ['linkStats on a missing device', (b) => b.linkStats('vnet_nope')],
    ['module not loaded', (b) => b.openGenl()],
    ['name too long', (b) => b.getInterface('0123456789abcdef')],
    ['empty name', (b) => b.getInterface('')],
    ['name not a string', (b) => b.getInterface(7 as unknown as string)],
    ['bad mtu', (b) => b.setMtu('lo', 1.5)],
    ['bad address', (b) => b.setAddress('lo', '1.2.3')],
    ['bad relay info', (b) => b.setRelay('lo', { slave: 'x'.repeat(20), mode: 0, arg1: 0, arg2: 0 })],
    ['flags out of range', (b) => b.changeFlags('lo', -1, 0)],
    ['addresses of no device', (b) => b.dumpAddresses(0x7ffffffe)],
    ['addresses: ifindex not a number', (b) => b.dumpAddresses('lo' as unknown as number)],
    ['addresses: ifindex 0', (b) => b.dumpAddresses(0)],
  ];
  test.each(cases)('%s', (_what, fn) => {
    const r = thrown(() => fn(real));
    const f = thrown(() => fn(fake));
    expect(f.constructor.name).toBe(r.constructor.name);
    expect(f.message).toBe(r.message);
    for (const k of ['errno', 'code', 'syscall', 'ifname', 'extack']) expect([k, f[k]]).toEqual([k, r[k]]);
  });

  test('constants', () => {
    expect({ ...fake.constants }).toEqual({ ...real.constants });
  });

  const asyncCases: [string, (b: VnetBinding) => Promise<unknown>][] = [
    ['linkStatsAsync on a missing device', (b) => b.linkStatsAsync('vnet_nope')],
    ['linkStatsAsync with a bad name', (b) => b.linkStatsAsync('x'.repeat(16))],
    ['linkStatsAsync with no name', (b) => (b.linkStatsAsync as unknown as () => Promise<unknown>)()],
    ['openGenlAsync, module not loaded', (b) => b.openGenlAsync()],
  ];
  test.each(asyncCases)('async: %s rejects alike', async (_what, fn) => {
    let rp: Promise<unknown> | undefined;
    let fp: Promise<unknown> | undefined;
    expect(() => {
      rp = fn(real);
      fp = fn(fake);
    }).not.toThrow();
    const [r, f] = await Promise.all([rejected(rp!), rejected(fp!)]);
    expect(f.constructor.name).toBe(r.constructor.name);
    expect(f.message).toBe(r.message);
    for (const k of ['errno', 'code', 'syscall', 'ifname', 'extack']) expect([k, f[k]]).toEqual([k, r[k]]);
  });

  test('both bindings have the same methods, the asynchronous ones included', () => {
    const methods = (o: object): string[] =>
      Object.keys(o)
        .filter((k) => typeof (o as Record<string, unknown>)[k] === 'function' && !k.startsWith('_') && k !== 'setErrorClass')
        .sort();
    const fakeMethods = Object.getOwnPropertyNames(Object.getPrototypeOf(fake)).filter((k) => methods(real).includes(k));
    expect(fakeMethods.sort()).toEqual(methods(real));
  });
});

describe('the fake, asynchronously', () => {
  test('async forms settle later, never synchronously; calls recorded as async', async () => {
    const k = standardFake();
    const g = await k.openGenlAsync();
    let settled = false;
    const p = g.echoAsync('hi').then((v) => {
      settled = true;
      return v;
    });
    await Promise.resolve();
    expect(settled).toBe(false);
    expect(await p).toBe('hi');
    expect(k.kernelCalls('genl.echo')).toEqual([{ method: 'genl.echo', args: ['hi'], sent: true, async: true }]);
    const s = await g.setAsync({ dev: 'vnet0', mode: ABI.VNET_MODE_PERCENT, arg1: 30, arg2: 0, seed: 5n });
    expect(s).toMatchObject({ mode: 1, arg1: 30, seed: 5n });
    expect((await g.getAsync('vnet0')).arg1).toBe(30);
    expect((await g.dumpAsync()).map((x) => x.ifname)).toEqual(['vnet0']);
    expect((await g.resetStatsAsync('vnet0')).stats.tx_packets).toBe(0n);
    expect((await k.linkStatsAsync('eth0')).tx_packets).toBe(0n);
  });

  test('kernel and injected errors reject; argument errors reject before the kernel', async () => {
    const k = standardFake();
    const g = k.openGenl();
    const e = await rejected(g.setAsync({ dev: 'vnet0', mode: 1, arg1: 101, arg2: 0 }));
    expect(e).toBeInstanceOf(VnetSystemError);
    expect(e.extack).toMatch(/percent mode/);
    k.injectError('genl.get', 'EBUSY');
    expect((await rejected(g.getAsync('vnet0'))).code).toBe('EBUSY');
    const v = await rejected(g.getAsync('x'.repeat(16)));
    expect(v.constructor.name).toBe('TypeError');
    expect(k.calls.at(-1)).toMatchObject({ method: 'genl.get', sent: false, async: true });
    g.close();
    expect((await rejected(g.echoAsync('x'))).code).toBe('EBADF');
  });

  test('watch(): events to the listener, stop() and close() end it, overruns are reported', async () => {
    const k = standardFake();
    const g = k.openGenl();
    const seen: VnetEvent[] = [];
    const sub = g.watch((ev) => seen.push(ev));
    expect(sub.active).toBe(true);
    g.set({ dev: 'vnet0', mode: 0, arg1: 0, arg2: 0 });
    expect(seen).toEqual([]); // delivered later, as from the addon's thread
    await new Promise((r) => setImmediate(r));
    expect(seen.map((e) => e.event)).toEqual([ABI.VNET_EVENT_CONFIG]);
    expect(seen[0].lostBefore).toBeUndefined();

    k.overrunEvents();
    expect(sub.eventsLost).toBe(1);
    g.resetStats('vnet0');
    await new Promise((r) => setImmediate(r));
    expect(seen[1]).toMatchObject({ event: ABI.VNET_EVENT_STATS_RESET, lostBefore: 1 });

    sub.stop();
    expect(sub.active).toBe(false);
    g.resetStats('vnet0');
    await new Promise((r) => setImmediate(r));
    expect(seen).toHaveLength(2);

    const sub2 = g.watch(() => undefined);
    g.close();
    expect(sub2.active).toBe(false);
    expect(thrown(() => g.watch(() => undefined)).code).toBe('EBADF');
    expect(thrown(() => k.openGenl().watch('nope' as unknown as () => void)).code).toBe('ERR_INVALID_ARG_TYPE');
  });

  test('nextEvent() after an overrun: eventsLost and lostBefore', () => {
    const k = standardFake();
    const g = k.openGenl();
    g.subscribe();
    g.set({ dev: 'vnet0', mode: 0, arg1: 0, arg2: 0 });
    k.overrunEvents();
    expect(g.eventsLost).toBe(1);
    g.resetStats('vnet0');
    expect(g.nextEvent(0)).toMatchObject({ event: ABI.VNET_EVENT_STATS_RESET, lostBefore: 1 });
    g.resetStats('vnet0');
    expect(g.nextEvent(0)!.lostBefore).toBeUndefined();
  });
});

describe('the fake', () => {
  test('records calls; validation failures never reach the kernel', () => {
    const k = standardFake();
    expect(() => k.setMtu('x'.repeat(16), 1000)).toThrow(TypeError);
    expect(k.calls).toEqual([{ method: 'setMtu', args: ['x'.repeat(16), 1000], sent: false }]);
    expect(k.kernelCalls()).toEqual([]);
    k.setMtu('vnet0', 1400);
    expect(k.kernelCalls('setMtu')).toHaveLength(1);
    expect(k.mutations()).toHaveLength(1);
  });

  test('relay SET semantics over ioctl and netlink', () => {
    const k = standardFake();
    const g = k.openGenl();
    const s = g.set({ dev: 'vnet0', mode: ABI.VNET_MODE_PERCENT, arg1: 30, arg2: 9, seed: 5n, slave: 'eth0' });
    expect(s).toMatchObject({ mode: 1, arg1: 30, arg2: 0, seed: 5n, slaveName: 'eth0' });
    expect(k.getRelay('vnet0')).toEqual({ slave: 'eth0', mode: 1, arg1: 30, arg2: 0 });
    expect(k.device('vnet0').mac).toBe(k.device('eth0').mac);
    expect(k.device('vnet0').flags & IFF_NOARP).toBe(0);
    const e = thrown(() => g.set({ dev: 'vnet0', mode: 1, arg1: 101, arg2: 0 }));
    expect(e).toBeInstanceOf(VnetSystemError);
    expect(e.message).toBe(
      "EINVAL: invalid argument, genl VNET_CMD_SET 'vnet0': percent mode: arg1, the share of packets passed, must be 0..100",
    );
    expect(thrown(() => k.setRelay('vnet0', { slave: 'lo', mode: 0, arg1: 0, arg2: 0 })).code).toBe('EINVAL');
    expect(thrown(() => k.setRelay('vnet0', { slave: 'vnet0', mode: 0, arg1: 0, arg2: 0 })).code).toBe('ELOOP');
    expect(thrown(() => g.get('lo')).extack).toBe('not a vnet device');
    expect(thrown(() => g.set({ dev: 'vnet0', mode: 5, arg1: 0, arg2: 0 })).code).toBe('EINVAL');
    k.setRelay('vnet0', { slave: '', mode: 2, arg1: 10, arg2: 20 });
    expect(k.device('vnet0').flags & IFF_NOARP).toBe(IFF_NOARP);
    expect(g.set({ dev: 'vnet0', mode: 0, arg1: 0, arg2: 0 })).not.toHaveProperty('warning');
    k.setWarning = 'vnet: a warning';
    expect(g.set({ dev: 'vnet0', mode: 0, arg1: 0, arg2: 0 }).warning).toBe('vnet: a warning');
  });

  test('events, slave loss, unprivileged, module not loaded, injected errors', () => {
    const k = standardFake();
    const g = k.openGenl();
    g.subscribe();
    g.set({ dev: 'vnet0', mode: 0, arg1: 0, arg2: 0, slave: 'eth0' });
    expect(g.nextEvent(10)!.event).toBe(ABI.VNET_EVENT_CONFIG);
    k.removeDevice('eth0');
    const lost = g.nextEvent(10)!;
    expect(lost.event).toBe(ABI.VNET_EVENT_SLAVE_LOST);
    expect(lost.state.stats.slave_lost).toBe(1n);
    expect(g.nextEvent(10)).toBeNull();

    k.privileged = false;
    expect(thrown(() => k.resetStats('vnet0')).code).toBe('EPERM');
    expect(k.getRelay('vnet0').slave).toBe('');
    k.privileged = true;

    k.injectError('genl.get', 'EBUSY', { extack: 'busy now' });
    const e = thrown(() => g.get('vnet0'));
    expect(e.message).toBe("EBUSY: resource busy or locked, genl VNET_CMD_GET 'vnet0': busy now");
    expect(g.get('vnet0').ifname).toBe('vnet0');

    k.failNext.set('getInterface', sysErr('ENODEV', 'ioctl(SIOCGIFINDEX)', { ifname: 'vnet0' }));
    expect(thrown(() => k.getInterface('vnet0')).code).toBe('ENODEV');

    g.close();
    expect(thrown(() => g.get('vnet0')).code).toBe('EBADF');
    expect(k.openSocketCount()).toBe(0);
    k.moduleLoaded = false;
    expect(thrown(() => k.openGenl()).code).toBe('ENOENT');
  });

  test('ifconfig semantics and traffic', () => {
    const k = standardFake();
    k.setAddress('vnet0', '10.1.2.3');
    expect(k.getInterface('vnet0').ipv4).toEqual({ address: '10.1.2.3', netmask: '255.0.0.0', broadcast: '10.255.255.255' });
    k.setNetmask('vnet0', '255.255.255.0');
    expect(k.getInterface('vnet0').ipv4!.broadcast).toBe('10.1.2.255');
    expect(thrown(() => k.setNetmask('vnet0', '255.0.255.0')).code).toBe('EINVAL');
    const f = k.changeFlags('vnet0', IFF_UP, 0);
    expect(f & (IFF_UP | IFF_RUNNING)).toBe(IFF_UP | IFF_RUNNING);
    expect(k.driverName('vnet0')).toBe('vnet');
    k.transmit('vnet0', 3, 100);
    expect(k.linkStats('vnet0').tx_packets).toBe(3n);
    k.openGenl().set({ dev: 'vnet0', mode: ABI.VNET_MODE_PERCENT, arg1: 0, arg2: 0, slave: 'eth0' });
    k.transmit('vnet0', 5);
    const st = k.openGenl().get('vnet0').stats;
    expect(st.tx_drop_percent).toBe(5n);
    expect(st.tx_dropped).toBe(5n);
    expect(st.tx_packets).toBe(3n);
  });
});

describe('the fake: receive policy, gemodel, auto-revert, several vnets per slave', () => {
  test('a SET sets the direction asked for; the other keeps its policy; --both reseeds each', () => {
    const k = standardFake();
    const g = k.openGenl();
    const tx = g.set({ dev: 'vnet0', mode: ABI.VNET_MODE_PERCENT, arg1: 80, arg2: 0, seed: 1n, slave: 'eth0' });
    const rx = g.set({ dev: 'vnet0', mode: ABI.VNET_MODE_TIME, arg1: 10, arg2: 20, seed: 2n, direction: ABI.VNET_DIR_RX });
    expect(rx).toMatchObject({ mode: 1, arg1: 80, seed: 1n, rx: { mode: 2, arg1: 10, arg2: 20, arg3: 0, arg4: 0, seed: 2n } });
    expect(tx.rx!.mode).toBe(0);
    const both = g.set({ dev: 'vnet0', mode: ABI.VNET_MODE_GEMODEL, arg1: 10000, arg2: 200000, direction: ABI.VNET_DIR_BOTH });
    expect(both).toMatchObject({ mode: 3, arg3: ABI.VNET_PPM, arg4: 0, rx: { mode: 3, arg1: 10000, arg2: 200000, arg3: ABI.VNET_PPM } });
    expect(k.getRelay('vnet0')).toEqual({ slave: 'eth0', mode: 3, arg1: 10000, arg2: 200000 });
  });

  test.each([
    [{ direction: 3 }, 'unknown direction (tx 0, rx 1, both 2)'],
    [{ revertMs: ABI.VNET_REVERT_MS_MAX + 1 }, 'auto-revert: at most 7 days (604800000 ms)'],
    [{ mode: 3, arg1: -1 }, 'gemodel: p (arg1) must be 0..1000000 ppm'],
    [{ mode: 3, arg3: ABI.VNET_PPM + 1 }, 'gemodel: 1-h (arg3) must be 0..1000000 ppm'],
    [{ mode: 4 }, 'unknown mode (pass 0, percent 1, time 2, gemodel 3)'],
  ])('%p: EINVAL with the kernel\'s text, nothing changed', (extra, text) => {
    const k = standardFake();
    const g = k.openGenl();
    const before = g.get('vnet0');
    const e = thrown(() => g.set({ dev: 'vnet0', mode: 0, arg1: 0, arg2: 0, ...extra }));
    expect([e.code, e.extack]).toEqual(['EINVAL', text]);
    expect(g.get('vnet0')).toEqual(before);
  });

  test('receive(): the receive policy drops into rx_drop_*, summed in rx_dropped and in linkStats', () => {
    const k = standardFake();
    const g = k.openGenl();
    g.set({ dev: 'vnet0', mode: 0, arg1: 0, arg2: 0, slave: 'eth0' });
    g.set({ dev: 'vnet0', mode: ABI.VNET_MODE_PERCENT, arg1: 0, arg2: 0, direction: ABI.VNET_DIR_RX });
    k.receive('vnet0', 7);
    k.transmit('vnet0', 3);
    const st = g.get('vnet0').stats;
    expect([st.rx_drop_percent, st.rx_dropped, st.rx_packets, st.tx_packets, st.tx_dropped]).toEqual([7n, 7n, 0n, 3n, 0n]);
    expect(k.linkStats('vnet0').rx_dropped).toBe(7n);
  });

  test('gemodel: bursts in the bad state, tx_drop_gemodel', () => {
    const k = standardFake();
    const g = k.openGenl();
    g.set({ dev: 'vnet0', mode: ABI.VNET_MODE_GEMODEL, arg1: 10000, arg2: 200000, seed: 9n, slave: 'eth0' });
    k.transmit('vnet0', 20000);
    const st = g.get('vnet0').stats;
    const loss = Number(st.tx_drop_gemodel) / 20000;
    expect(loss).toBeGreaterThan(0.03);
    expect(loss).toBeLessThan(0.07);
    expect(st.tx_dropped).toBe(st.tx_drop_gemodel);
  });

  test('auto-revert: revertMs counts down on the fake clock, then pass and a REVERTED event per direction', () => {
    const k = standardFake();
    const g = k.openGenl();
    g.subscribe();
    g.set({ dev: 'vnet0', mode: ABI.VNET_MODE_PERCENT, arg1: 50, arg2: 0, slave: 'eth0', direction: ABI.VNET_DIR_BOTH, revertMs: 1000 });
    expect(g.nextEvent(0)!.event).toBe(ABI.VNET_EVENT_CONFIG);
    k.clockMs += 400;
    expect(g.get('vnet0')).toMatchObject({ revertMs: 600, rx: { revertMs: 600 } });
    expect(g.nextEvent(100)).toBeNull();
    const a = g.nextEvent(5000)!;
    const b = g.nextEvent(0)!;
    expect(k.clockMs).toBe(1000);
    expect([a.event, a.direction, b.event, b.direction]).toEqual([ABI.VNET_EVENT_REVERTED, ABI.VNET_DIR_TX, ABI.VNET_EVENT_REVERTED, ABI.VNET_DIR_RX]);
    const s = g.get('vnet0');
    expect([s.mode, s.rx!.mode, s.slaveName]).toEqual([0, 0, 'eth0']);
    expect(s).not.toHaveProperty('revertMs');
  });

  test('a later SET of the direction cancels its auto-revert; the other direction keeps its own', () => {
    const k = standardFake();
    const g = k.openGenl();
    g.set({ dev: 'vnet0', mode: 1, arg1: 50, arg2: 0, slave: 'eth0', direction: ABI.VNET_DIR_BOTH, revertMs: 1000 });
    g.set({ dev: 'vnet0', mode: 1, arg1: 60, arg2: 0 });
    k.clockMs += 2000;
    const s = g.get('vnet0');
    expect([s.mode, s.arg1, s.rx!.mode]).toEqual([1, 60, 0]);
  });

  test('several vnet devices share a slave; a bridge port is still EBUSY', () => {
    const k = standardFake();
    k.addVnet('vnet1');
    const g = k.openGenl();
    g.set({ dev: 'vnet0', mode: 0, arg1: 0, arg2: 0, slave: 'eth0' });
    g.set({ dev: 'vnet1', mode: 1, arg1: 0, arg2: 0, slave: 'eth0' });
    expect(g.dump().map((s) => [s.ifname, s.slaveName, s.mode])).toEqual([['vnet0', 'eth0', 0], ['vnet1', 'eth0', 1]]);
    k.addDevice('bp0', { busy: true });
    const e = thrown(() => g.set({ dev: 'vnet1', mode: 0, arg1: 0, arg2: 0, slave: 'bp0' }));
    expect([e.code, e.extack]).toEqual(['EBUSY', 'slave already has a receive handler (bridge, bond, macvlan or another driver)']);
    k.removeDevice('eth0');
    expect(g.dump().map((s) => [s.slaveName, s.stats.slave_lost])).toEqual([['', 1n], ['', 1n]]);
  });
});
