/*
 * The addon against the real module, run in the lab VM as root with the
 * end-to-end suite (test/e2e/run-lab.sh sets VNET_E2E=1; the host's jest
 * config leaves this file out).  Outside the lab it skips itself when the
 * module is not loaded; inside, a missing module is a failure.
 *
 * (jest 30's resolver, unrs-resolver, needs librt.so.1, which the guest
 * does not otherwise have.)
 * Uses vnet0 (created at module load) and a veth pair as the slave.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import * as path from 'node:path';

import { ABI } from '../../src/abi';
import { VnetSystemError } from '../../src/binding/errors';
import { findAddon } from '../../src/binding/native';
import type { GenlSocket, VnetBinding } from '../../src/binding/types';
import { native, openFds, thrown } from './helpers';

const b: VnetBinding = native();

function moduleLoaded(): boolean {
  try {
    b.openGenl().close();
    return true;
  } catch (e) {
    if (e instanceof VnetSystemError && e.code === 'ENOENT') return false;
    throw e;
  }
}

const loaded = moduleLoaded();
const describeVm = loaded || process.env.VNET_E2E ? describe : describe.skip;
const DEV = 'vnet0';
const SLAVE = 'vtveth0';

function ip(...args: string[]): void {
  execFileSync('ip', args, { stdio: 'pipe' });
}

if (!loaded) {
  test('skipped: the vnet module is not loaded here (run it with lab/run)', () => {
    expect(loaded).toBe(false);
  });
}

describeVm('with the vnet module', () => {
  let g: GenlSocket;

  beforeAll(() => {
    ip('link', 'add', SLAVE, 'type', 'veth', 'peer', 'name', 'vtveth1');
    ip('link', 'set', SLAVE, 'up');
    ip('link', 'set', 'vtveth1', 'up');
    g = b.openGenl();
  });

  afterAll(() => {
    g.close();
    try {
      ip('link', 'del', SLAVE);
    } catch {
      /* already gone */
    }
  });

  test('family resolved', () => {
    expect(g.familyId).toBeGreaterThan(0x10);
  });

  test('ECHO', () => {
    expect(g.echo('hello')).toBe('hello');
    expect(g.echo('')).toBe('');
    expect(g.echo('é'.repeat(100))).toBe('é'.repeat(100));
    expect(g.echo('x'.repeat(ABI.VNET_ECHO_MSG_MAX))).toBe('x'.repeat(ABI.VNET_ECHO_MSG_MAX));
    const e = thrown(() => g.echo('x'.repeat(ABI.VNET_ECHO_MSG_MAX + 1)));
    expect(e).toBeInstanceOf(VnetSystemError);
    expect(e.code).toBe('EINVAL');
    expect(e.syscall).toBe('genl VNET_CMD_ECHO');
    expect(e.extack).toBeTruthy();
  });

  test('GET by name and by index; driver name "vnet"', () => {
    const info = b.getInterface(DEV);
    const s = g.get(DEV);
    expect(s.ifname).toBe(DEV);
    expect(s.ifindex).toBe(info.ifindex);
    expect(typeof s.seed).toBe('bigint');
    for (const v of Object.values(s.stats)) expect(typeof v).toBe('bigint');
    expect(Object.keys(s.stats)).toHaveLength(11);
    expect(g.get(info.ifindex).ifname).toBe(DEV);
    expect(b.driverName(DEV)).toBe('vnet');
  });

  test('GET on a device that is not vnet: ENODEV with extack', () => {
    const e = thrown(() => g.get('lo'));
    expect(e).toBeInstanceOf(VnetSystemError);
    expect(e.code).toBe('ENODEV');
    expect(e.syscall).toBe('genl VNET_CMD_GET');
    expect(e.ifname).toBe('lo');
    expect(e.extack).toBeTruthy();
    expect(e.message).toBe(`ENODEV: no such device, genl VNET_CMD_GET 'lo': ${e.extack}`);
    expect(thrown(() => g.get('nope0')).code).toBe('ENODEV');
  });

  test('dump lists vnet devices only', () => {
    const all = g.dump();
    expect(all.map((s) => s.ifname)).toContain(DEV);
    expect(all.map((s) => s.ifname)).not.toContain('lo');
  });

  test('SET over netlink, read back over netlink and ioctl', () => {
    const s = g.set({ dev: DEV, mode: ABI.VNET_MODE_PERCENT, arg1: 50, arg2: 7, seed: 42n, slave: SLAVE });
    expect(s).toMatchObject({ ifname: DEV, mode: 1, arg1: 50, arg2: 0, seed: 42n, slaveName: SLAVE });
    expect(s.slaveIfindex).toBe(b.getInterface(SLAVE).ifindex);
    expect(b.getRelay(DEV)).toEqual({ slave: SLAVE, mode: 1, arg1: 50, arg2: 0 });
    const max = (1n << 64n) - 1n;
    expect(g.set({ dev: DEV, mode: 0, arg1: 0, arg2: 0, seed: max }).seed).toBe(max);
    expect(g.get(DEV).slaveName).toBe(SLAVE); // slave absent: kept
    expect(g.set({ dev: DEV, mode: 0, arg1: 0, arg2: 0, slave: '' }).slaveName).toBe('');
  });

  test('SET errors carry the module extack', () => {
    const e = thrown(() => g.set({ dev: DEV, mode: 1, arg1: 101, arg2: 0 }));
    expect(e.code).toBe('EINVAL');
    expect(e.syscall).toBe('genl VNET_CMD_SET');
    expect(e.extack).toMatch(/percent/);
    expect(thrown(() => g.set({ dev: DEV, mode: 0, arg1: 0, arg2: 0, slave: DEV })).code).toBe('ELOOP');
    expect(thrown(() => g.set({ dev: DEV, mode: 0, arg1: 0, arg2: 0, slave: 'lo' })).code).toBe('EINVAL');
    expect(thrown(() => g.set({ dev: DEV, mode: 0, arg1: 0, arg2: 0, slave: 'nope0' })).code).toBe('ENODEV');
    // a bad mode is EINVAL on both paths, as the uapi header says
    const r = thrown(() => g.set({ dev: DEV, mode: 9, arg1: 0, arg2: 0 }));
    expect(r.code).toBe('EINVAL');
    expect(r.extack).toMatch(/unknown mode/);
  });

  test('SIOCDEVPRIVATE: SET_RELAY, GET_RELAY, RESET_STATS', () => {
    b.setRelay(DEV, { slave: SLAVE, mode: ABI.VNET_MODE_TIME, arg1: 10, arg2: 20 });
    expect(b.getRelay(DEV)).toEqual({ slave: SLAVE, mode: 2, arg1: 10, arg2: 20 });
    b.setRelay(DEV, { slave: '', mode: 0, arg1: 5, arg2: 5 });
    expect(b.getRelay(DEV)).toEqual({ slave: '', mode: 0, arg1: 0, arg2: 0 });
    const e = thrown(() => b.setRelay(DEV, { slave: '', mode: 7, arg1: 0, arg2: 0 }));
    expect(e.code).toBe('EINVAL');
    expect(e.syscall).toBe('ioctl(SIOCDEVPRIVATE+1)');
    expect(e.ifname).toBe(DEV);
    b.resetStats(DEV);
    expect(g.get(DEV).stats.tx_packets).toBe(0n);
  });

  test('events: CONFIG, STATS_RESET, SLAVE_LOST', () => {
    const ev = b.openGenl();
    try {
      ev.subscribe();
      expect(ev.nextEvent(0)).toBeNull();
      g.set({ dev: DEV, mode: 0, arg1: 0, arg2: 0, slave: SLAVE });
      const e1 = ev.nextEvent(2000);
      expect(e1).not.toBeNull();
      expect(e1!.event).toBe(ABI.VNET_EVENT_CONFIG);
      expect(e1!.state.ifname).toBe(DEV);
      g.resetStats(DEV);
      expect(ev.nextEvent(2000)!.event).toBe(ABI.VNET_EVENT_STATS_RESET);
      ip('link', 'del', SLAVE);
      const e3 = ev.nextEvent(2000)!;
      expect(e3.event).toBe(ABI.VNET_EVENT_SLAVE_LOST);
      expect(e3.state.slaveName).toBe('');
      const t0 = Date.now();
      expect(ev.nextEvent(100)).toBeNull();
      expect(Date.now() - t0).toBeGreaterThanOrEqual(90);
    } finally {
      ev.close();
    }
  });

  test('standard ioctls on the vnet device', () => {
    const up = b.changeFlags(DEV, 0x1, 0);
    expect(up & 0x1).toBe(1);
    b.setMtu(DEV, 1400);
    expect(b.getInterface(DEV).mtu).toBe(1400);
    b.setAddress(DEV, '10.9.0.1');
    b.setNetmask(DEV, '255.255.255.0');
    const info = b.getInterface(DEV);
    expect(info.ipv4).toEqual({ address: '10.9.0.1', netmask: '255.255.255.0', broadcast: '10.9.0.255' });
    const ls = b.linkStats(DEV);
    expect(typeof ls.tx_packets).toBe('bigint');
  });

  test('closed socket: EBADF; no fd leaks', () => {
    const before = openFds();
    for (let i = 0; i < 50; i++) {
      const s = b.openGenl();
      s.get(DEV);
      s.close();
      s.close();
    }
    expect(openFds()).toBe(before);
    const s = b.openGenl();
    s.close();
    expect(thrown(() => s.get(DEV)).code).toBe('EBADF');
  });

  test('unprivileged: EPERM for mutating commands, reads allowed', () => {
    const script = `
      const b = require(${JSON.stringify(findAddon())});
      class E extends Error { constructor(i) { super(i.syscall); Object.assign(this, i); } }
      b.setErrorClass(E);
      const out = {};
      const tryit = (k, f) => { try { f(); out[k] = 'ok'; } catch (e) { out[k] = e.errno + ' ' + e.syscall; } };
      tryit('getRelay', () => b.getRelay('${DEV}'));
      tryit('resetStats', () => b.resetStats('${DEV}'));
      tryit('setRelay', () => b.setRelay('${DEV}', { slave: '', mode: 0, arg1: 0, arg2: 0 }));
      const g = b.openGenl();
      tryit('get', () => g.get('${DEV}'));
      tryit('set', () => g.set({ dev: '${DEV}', mode: 0, arg1: 0, arg2: 0 }));
      tryit('genlReset', () => g.resetStats('${DEV}'));
      console.log(JSON.stringify(out));`;
    const r = spawnSync(
      'setpriv',
      ['--reuid=65534', '--regid=65534', '--clear-groups', '--inh-caps=-all', process.execPath, '-e', script],
      { encoding: 'utf8', cwd: path.resolve(__dirname, '..', '..') },
    );
    expect(r.stderr).toBe('');
    expect(JSON.parse(r.stdout)).toEqual({
      getRelay: 'ok',
      resetStats: '-1 ioctl(SIOCDEVPRIVATE+0)',
      setRelay: '-1 ioctl(SIOCDEVPRIVATE+1)',
      get: 'ok',
      set: '-1 genl VNET_CMD_SET',
      genlReset: '-1 genl VNET_CMD_RESET_STATS',
    });
  });
});
