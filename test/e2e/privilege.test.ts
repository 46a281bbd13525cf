/*
 * Unprivileged users (setpriv: uid/gid 65534, no groups, no capabilities)
 * can read everything; every change needs CAP_NET_ADMIN: exit 4 with a
 * message saying so, and nothing changed.
 */
import { ethtoolStats, expectCode, expectExit, inet, ip, link, reloadVnet, run, runMany, SETPRIV, sys, trySys, UNPRIV } from './helpers';

beforeAll(() => {
  reloadVnet();
  trySys([...'/sbin/ip link del pv0'.split(' ')]);
  ip('link', 'add', 'pv0', 'type', 'veth', 'peer', 'name', 'pv1');
  ip('link', 'set', 'pv0', 'up');
  ip('link', 'set', 'pv1', 'up');
});
afterAll(() => trySys(['/sbin/ip', 'link', 'del', 'pv0']));

test('setpriv is util-linux\'s and really drops root', () => {
  expect(sys([SETPRIV, '--version'])).toMatch(/util-linux/);
  expect(sys([...UNPRIV, '/usr/bin/id', '-u'])).toBe('65534\n');
  const caps = sys([...UNPRIV, '/bin/cat', '/proc/self/status']);
  expect(caps).toMatch(/^CapEff:\s+0+$/m);
});

describe('as nobody', () => {
  beforeAll(() => {
    // a state worth protecting: relaying 80% to pv0, up, an address, counters
    expectExit(['insanely', '--seed', '99', 'pv0', 'percent', '80'], 0);
    expectExit(['vnet-up', 'vnet0', '10.4.0.1/24'], 0);
    run(['/usr/bin/ping', '-n', '-q', '-c', '5', '-i', '0.01', '-W', '0.2', '10.4.0.9']);
    expect(ethtoolStats('vnet0').tx_packets + ethtoolStats('vnet0').tx_dropped).toBeGreaterThan(0n);
  });

  test('reads work: vnetconfig, insanely (show), vnet-echo', async () => {
    const argvs = [
      ['vnetconfig', '-a'],
      ['vnetconfig', '-j', '-d', 'vnet0'],
      ['insanely'],
      ['insanely', '-j'],
      ['vnet-echo', '-c', '2', '-i', '0', 'unprivileged'],
    ];
    const rs = await runMany(argvs.map((a) => [...UNPRIV, ...a]));
    rs.forEach((r, i) => {
      expectCode(argvs[i], r, 0);
      expect(r.stderr).toBe('');
    });
    expect(rs[0].stdout).toMatch(/relay mode percent  arguments 80 0  slave pv0  seed 99\n/);
    expect(JSON.parse(rs[1].stdout)[0].linkinfo.info_data).toMatchObject({ mode: 'percent', arg1: 80, seed: 99, slave: 'pv0' });
    expect(rs[2].stdout).toMatch(
      /^slave: {5}pv0\nmode: {6}percent\narguments: 80 0\nseed: {6}99\nrx mode: {3}pass\nrx args: {3}0 0\nrx seed: {3}\d+\n/,
    );
    expect(rs[2].stdout).toMatch(/\nvnet0 relays 80% of packets to pv0 \(drops 20%\)\nvnet0 delivers everything it receives from pv0\n$/);
    expect(JSON.parse(rs[3].stdout)).toEqual({
      ifname: 'vnet0',
      slave: 'pv0',
      mode: 'percent',
      arg1: 80,
      arg2: 0,
      arg3: 0,
      arg4: 0,
      seed: 99,
      rx: { mode: 'pass', arg1: 0, arg2: 0, arg3: 0, arg4: 0, seed: expect.any(Number) },
      slave_rp_filter: expect.any(Number),
    });
    expect(rs[4].stdout).toContain('2 sent, 2 received, 0% loss');
  });

  test('changes: exit 4, "CAP_NET_ADMIN" in the message, and nothing changed', async () => {
    const snap = (): unknown => {
      const l = link('vnet0');
      const e = ethtoolStats('vnet0');
      return [l.flags, l.mtu, inet('vnet0'), e.tx_packets, e.tx_dropped, e.rx_packets];
    };
    const before = snap();
    const relayBefore = sys(['insanely', '-j']);
    const argvs = [
      ['vnet-up', 'vnet0', '10.5.0.1/24'],
      ['vnet-down', 'vnet0'],
      ['insanely', 'none'], // the GET is allowed, the SET is not
      ['insanely', '--seed', '1', 'pv0', 'loss', '10'], // generic netlink SET
      ['vnet-reset-stats', 'vnet0'],
      ['vnet-reset-stats', '--all'],
    ];
    const rs = await runMany(argvs.map((a) => [...UNPRIV, ...a]));
    rs.forEach((r, i) => {
      expectCode(argvs[i], r, 4);
      expect(r.stdout).toBe('');
      expect(r.stderr).toMatch(new RegExp(`^${argvs[i][0]}: .*permission denied.*CAP_NET_ADMIN`));
    });
    expect(snap()).toEqual(before);
    expect(sys(['insanely', '-j'])).toBe(relayBefore);
  });
});
