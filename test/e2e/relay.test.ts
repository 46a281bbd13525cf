/*
 * insanely on real traffic.  The canonical topology:
 *
 *   host: veth0 10.0.0.1/24  <->  netns peer: veth1 10.0.0.100/24
 *   vnet0 relays to veth0, 10.0.0.2/32, route 10.0.0.100/32 dev vnet0
 *
 * The peer pings 10.0.0.2: the requests reach vnet0 through veth0's
 * receive hook, the replies leave through vnet0's drop policy, so ping's
 * loss is the policy's drop share.  Static neighbours on both sides keep
 * ARP out of the measurement.
 */
import * as fs from 'node:fs';
import {
  ethtoolStats,
  expectCode,
  expectExit,
  ip,
  link,
  mac,
  ping,
  runMany,
  sys,
  trySys,
  vethPeer,
} from './helpers';

const PEER = 'peer';
const VNET_IP = '10.0.0.2';
const PEER_IP = '10.0.0.100';

function rpFilterOff(): void {
  for (const k of ['all', 'default', 'veth0']) {
    fs.writeFileSync(`/proc/sys/net/ipv4/conf/${k}/rp_filter`, '0');
  }
  sys(['/sbin/ip', 'netns', 'exec', PEER, '/bin/sh', '-c', 'echo 0 > /proc/sys/net/ipv4/conf/all/rp_filter']);
}

/** Drop counters' deltas across fn. */
function dropsDuring(fn: () => void): Record<string, bigint> {
  const a = ethtoolStats('vnet0');
  fn();
  const b = ethtoolStats('vnet0');
  const d: Record<string, bigint> = {};
  for (const k of Object.keys(b)) d[k] = b[k] - (a[k] ?? 0n);
  return d;
}

/** insanely -j, parsed. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
function relayJson(dev = 'vnet0'): any {
  return JSON.parse(expectExit(['insanely', '-i', dev, '-j'], 0).stdout);
}

beforeAll(() => {
  vethPeer(PEER, ['10.0.0.1/24'], [`${PEER_IP}/24`]);
  rpFilterOff();
});

afterAll(() => {
  trySys(['/sbin/ip', 'netns', 'del', PEER]);
  for (const d of ['veth0', 'none', '-dash', 'vnet1', 'br0', 'bp0']) trySys(['/sbin/ip', 'link', 'del', 'dev', d]);
});

describe('attaching', () => {
  test("insanely (no arguments) shows loopback mode in the original's aligned lines, the seed and a sentence", () => {
    const r = expectExit(['insanely'], 0);
    expect(r.stdout).toMatch(
      /^slave: {5}\(none\)\nmode: {6}pass\narguments: 0 0\nseed: {6}\d+\nrx mode: {3}pass\nrx args: {3}0 0\nrx seed: {3}\d+\nvnet0 has no slave: it loops packets back \(loopback mode\)\n$/,
    );
  });

  test('insanely -i vnet0 veth0 pass attaches: vnet0@veth0 takes its MAC; vnet-up and a route complete the topology', () => {
    const r = expectExit(['insanely', '-i', 'vnet0', 'veth0', 'pass'], 0);
    expect(r.stdout).toBe('vnet0: relaying everything to veth0\n');
    expect(link('vnet0').link).toBe('veth0');
    expect(mac('vnet0')).toBe(mac('veth0'));
    expect(link('vnet0').flags).not.toContain('NOARP');

    expectExit(['vnet-up', 'vnet0', `${VNET_IP}/32`], 0);
    fs.writeFileSync('/proc/sys/net/ipv4/conf/vnet0/rp_filter', '0');
    ip('route', 'add', `${PEER_IP}/32`, 'dev', 'vnet0', 'src', VNET_IP);
    const peerMac = sys(['/sbin/ip', 'netns', 'exec', PEER, '/bin/cat', '/sys/class/net/veth1/address']).trim();
    ip('neigh', 'replace', PEER_IP, 'lladdr', peerMac, 'dev', 'vnet0', 'nud', 'permanent');
    ip('-n', PEER, 'neigh', 'replace', VNET_IP, 'lladdr', mac('veth0'), 'dev', 'veth1', 'nud', 'permanent');
  });

  test('insanely and insanely -j show it', async () => {
    const [s, j] = await runMany([['insanely'], ['insanely', '-j']]);
    expect(s.stdout).toMatch(
      /^slave: {5}veth0\nmode: {6}pass\narguments: 0 0\nseed: {6}\d+\nrx mode: {3}pass\nrx args: {3}0 0\nrx seed: {3}\d+\nvnet0 relays everything to veth0\nvnet0 delivers everything it receives from veth0\n$/,
    );
    expect(JSON.parse(j.stdout)).toEqual({
      ifname: 'vnet0',
      slave: 'veth0',
      mode: 'pass',
      arg1: 0,
      arg2: 0,
      arg3: 0,
      arg4: 0,
      seed: expect.any(Number),
      rx: { mode: 'pass', arg1: 0, arg2: 0, arg3: 0, arg4: 0, seed: expect.any(Number) },
      slave_rp_filter: 0,
    });
  });
});

describe('the policy on real traffic (peer pings 10.0.0.2)', () => {
  test('pass: no loss', () => {
    const d = dropsDuring(() => {
      const p = ping(PEER, VNET_IP, 50, '0.01');
      expect(p.transmitted).toBe(50);
      expect(p.received).toBeGreaterThanOrEqual(49);
    });
    expect(d.tx_dropped).toBe(0n);
    expect(d.tx_packets).toBeGreaterThanOrEqual(49n);
  });

  test('percent 30 --seed 7 --force: ~70% loss, counted in tx_drop_percent; the same seed drops the same packets', () => {
    // static neighbours on both sides (above): no ARP consumes a draw, so
    // the same seed and the same pings give the same decisions; --force
    // restarts the stream (the same policy again would be a no-op)
    const runOnce = (): { seqs: number[]; lost: number; d: Record<string, bigint> } => {
      const r = expectExit(['insanely', '--seed', '7', '--force', 'veth0', 'percent', '30'], 0);
      expect(r.stdout).toBe('vnet0: relaying 30% of packets to veth0 (dropping 70%) (seed 7)\n');
      let p = { transmitted: 0, received: 0, seqs: [] as number[], out: '' };
      const d = dropsDuring(() => {
        p = ping(PEER, VNET_IP, 200, '0.01', false);
      });
      expect(p.transmitted).toBe(200);
      return { seqs: p.seqs, lost: p.transmitted - p.received, d };
    };
    const a = runOnce();
    expect(a.lost).toBeGreaterThanOrEqual(110); // 55%
    expect(a.lost).toBeLessThanOrEqual(170); // 85%
    expect(a.d.tx_drop_percent).toBeGreaterThanOrEqual(BigInt(a.lost));
    expect(a.d.tx_drop_percent).toBeLessThanOrEqual(BigInt(a.lost + 3));
    expect(a.d.tx_dropped).toBe(a.d.tx_drop_percent);
    expect(a.d.tx_drop_time).toBe(0n);

    const b = runOnce();
    expect(b.seqs).toEqual(a.seqs);
  });

  test('insanely with the same policy again: unchanged, nothing sent, the stream goes on', () => {
    const r = expectExit(['insanely', '--seed', '7', 'veth0', 'PERCENT', '30'], 0);
    expect(r.stdout).toBe('vnet0: unchanged: relaying 30% of packets to veth0 (dropping 70%) (seed 7)\n');
    const j = expectExit(['insanely', '-j', 'veth0', 'percent', '30'], 0);
    expect(JSON.parse(j.stdout)).toMatchObject({ changed: false, seed: 7 });
    // that no SET went out: vnet-monitor sees no event (shell.test.ts)
  });

  test('vnetconfig -d shows the percent drops and the relay line with the seed', () => {
    const e = ethtoolStats('vnet0');
    const r = expectExit(['vnetconfig', '-d', 'vnet0'], 0);
    expect(r.stdout).toContain('        relay mode percent  arguments 30 0  slave veth0  seed 7\n');
    expect(r.stdout).toContain(
      `        TX drops ${e.tx_dropped}  percent ${e.tx_drop_percent}  time 0  gemodel 0  no_slave 0  slave 0\n`,
    );
    expect(e.tx_drop_percent).toBeGreaterThan(0n);
  });

  test('loss 40: the same as percent 60; ~40% loss', () => {
    const r = expectExit(['insanely', 'veth0', 'loss', '40'], 0);
    expect(r.stdout).toMatch(/^vnet0: relaying 60% of packets to veth0 \(dropping 40%\) \(seed \d+\)\n$/);
    const d = dropsDuring(() => {
      const p = ping(PEER, VNET_IP, 150, '0.01');
      const lost = p.transmitted - p.received;
      expect(lost).toBeGreaterThanOrEqual(30); // 20%
      expect(lost).toBeLessThanOrEqual(90); // 60%
    });
    expect(d.tx_drop_percent).toBeGreaterThan(0n);
    expect(relayJson()).toMatchObject({ ifname: 'vnet0', slave: 'veth0', mode: 'percent', arg1: 60, arg2: 0 });
  });

  test('percent 0 drops everything, percent 100 nothing', () => {
    expectExit(['insanely', 'veth0', 'percent', '0'], 0);
    expect(ping(PEER, VNET_IP, 10, '0.01').received).toBe(0);
    expectExit(['insanely', 'veth0', 'percent', '100'], 0);
    expect(ping(PEER, VNET_IP, 10, '0.01').received).toBe(10);
  });

  test('time 30 70 (10 ms ticks: relay 300 ms, drop 700 ms): ~30% of paced traffic passes', () => {
    const r = expectExit(['insanely', 'veth0', 'time', '30', '70'], 0);
    expect(r.stdout).toBe('vnet0: relaying to veth0 in time mode: relay 300 ms, drop 700 ms, repeating\n');
    let passed = 0;
    const d = dropsDuring(() => {
      const p = ping(PEER, VNET_IP, 200, '0.02');
      passed = p.received / p.transmitted;
    });
    expect(passed).toBeGreaterThanOrEqual(0.15);
    expect(passed).toBeLessThanOrEqual(0.5);
    expect(d.tx_drop_time).toBeGreaterThan(0n);
    expect(d.tx_drop_percent).toBe(0n);
    expect(relayJson()).toMatchObject({ ifname: 'vnet0', slave: 'veth0', mode: 'time', arg1: 300, arg2: 700 });
  });

  test('time with units and a hexadecimal seed: 500ms 1.5s, --seed 0x10', () => {
    const r = expectExit(['insanely', '--seed', '0x10', 'veth0', 'time', '500ms', '1.5s'], 0);
    expect(r.stdout).toBe(
      'vnet0: relaying to veth0 in time mode: relay 500 ms, drop 1.5 s, repeating (seed 16)\n',
    );
    const s = expectExit(['insanely'], 0);
    expect(s.stdout).toMatch(
      /^slave: {5}veth0\nmode: {6}time\narguments: 500 1500\nseed: {6}16\nrx mode: {3}pass\nrx args: {3}0 0\nrx seed: {3}\d+\nvnet0 relays to veth0 for 500 ms, then drops for 1\.5 s, repeating\nvnet0 delivers everything it receives from veth0\n$/,
    );
  });
});

describe('refusals leave the configuration as it was', () => {
  test('no such slave (3), itself / another vnet / not Ethernet / taken (1), MTU above the slave\'s (1)', async () => {
    ip('link', 'add', 'vnet1', 'type', 'vnet');
    ip('link', 'add', 'br0', 'type', 'bridge');
    ip('link', 'add', 'bp0', 'type', 'veth', 'peer', 'name', 'bp1');
    ip('link', 'set', 'bp0', 'master', 'br0');
    const before = relayJson();
    const cases: [string[], number, RegExp][] = [
      [['insanely', '-i', 'vnet0', 'eth9', 'pass'], 3, /^insanely: eth9: no such slave interface\nError: (vnet: )?slave interface not found\.\n$/],
      [['insanely', '-i', 'vnet0', 'vnet0', 'pass'], 1, /^insanely: vnet0: cannot relay to itself or another vnet device\n/],
      [['insanely', '-i', 'vnet0', 'vnet1', 'percent', '50'], 1, /^insanely: vnet1: cannot relay to itself or another vnet device\n/],
      [
        ['insanely', '-i', 'vnet0', 'lo', 'pass'],
        1,
        /^insanely: vnet0: the kernel refused the relay configuration: invalid argument \(is lo an Ethernet device\?\)\nError: (vnet: )?slave is not an Ethernet device\.\n$/,
      ],
      [['insanely', '-i', 'vnet0', 'bp0', 'pass'], 1, /^insanely: bp0: the slave already belongs to a bridge, bond, macvlan or another driver\n/],
      [['insanely', '-i', 'vnet1', 'veth0', 'percent', '101'], 2, /^insanely: percentage to pass must be from 0 to 100, not 101\n/],
      [['insanely', '-i', 'veth0', 'veth1', 'pass'], 3, /^insanely: veth0: not a vnet device \(its driver is 'veth'\)\n$/],
      [['insanely', '-i', 'vnet0', 'veth0', 'percent', '101'], 2, /^insanely: /],
      [['insanely', 'veth0', 'pass'], 2, /^insanely: there are 2 vnet devices \(vnet0, vnet1\): say which one\n/],
      [['vnet-up', 'vnet0', 'mtu', '9000'], 1, /^vnet-up: vnet0: cannot set the MTU to 9000: invalid argument\n/],
    ];
    const rs = await runMany(cases.map((c) => c[0]));
    rs.forEach((r, i) => {
      expectCode(cases[i][0], r, cases[i][1]);
      expect(r.stdout).toBe('');
      expect(r.stderr).toMatch(cases[i][2]);
    });
    expect(relayJson()).toEqual(before);
    expect(link('vnet0').mtu).toBe(1500);
    // vnet1 is untouched too
    expect(relayJson('vnet1')).toMatchObject({ ifname: 'vnet1', slave: null, mode: 'pass', arg1: 0, arg2: 0 });
    ip('link', 'del', 'vnet1'); // vnet0 is the only vnet device again
  });
});

describe('odd slave names', () => {
  test('insanely none pass relays to a device named "none"', () => {
    ip('link', 'add', 'none', 'type', 'veth', 'peer', 'name', 'nonepeer');
    const r = expectExit(['insanely', 'none', 'pass'], 0);
    expect(r.stdout).toBe('vnet0: relaying everything to none\n');
    expect(link('vnet0').link).toBe('none');
    expect(mac('vnet0')).toBe(mac('none'));
  });

  test('"--" before a slave name starting with "-"; without it the name is taken for an option (exit 2)', () => {
    ip('link', 'add', 'name', '-dash', 'type', 'veth', 'peer', 'name', 'dashpeer');
    const bad = expectExit(['insanely', '-dash', 'pass'], 2);
    expect(bad.stdout).toBe('');
    expect(link('vnet0').link).toBe('none');
    const r = expectExit(['insanely', '--', '-dash', 'pass'], 0);
    expect(r.stdout).toBe('vnet0: relaying everything to -dash\n');
    expect(link('vnet0').link).toBe('-dash');
  });

  test('insanely none (alone) detaches: loopback mode, own MAC, NOARP again', () => {
    const r = expectExit(['insanely', 'none'], 0);
    expect(r.stdout).toBe('vnet0: slave detached: looping packets back (loopback mode)\n');
    const l = link('vnet0');
    expect(l.link).toBeUndefined();
    expect(l.flags).toContain('NOARP');
    expect(mac('vnet0')).not.toBe(mac('veth0'));
    expect(relayJson()).toMatchObject({ ifname: 'vnet0', slave: null, mode: 'pass', arg1: 0, arg2: 0 });
  });
});
