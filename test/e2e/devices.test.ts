/*
 * vnet-up, vnet-down, vnetconfig and vnet-reset-stats on the real device
 * in loopback mode, checked against what iproute2 and ethtool say; and
 * the refusals: unknown devices and non-vnet devices (exit 3, nothing
 * changed).
 */
import {
  ethtoolStats,
  expectCode,
  expectExit,
  inet,
  ip,
  link,
  linkStats,
  mac,
  PING,
  reloadVnet,
  run,
  runMany,
  sys,
  trySys,
} from './helpers';

/** Loopback-mode traffic: vnet0 has IFF_NOARP, so IPv4 to any on-link address goes out (and comes back). */
function loopTraffic(dev: string, dst: string, n: number): void {
  // nobody answers: ping exits 1; we only want the frames
  run([PING, '-n', '-q', '-c', String(n), '-i', '0.01', '-W', '0.1', '-I', dev, dst], { timeout: 20000 });
}

const STATS64_KEYS = {
  rx: ['bytes', 'packets', 'errors', 'dropped', 'over_errors', 'multicast'],
  tx: ['bytes', 'packets', 'errors', 'dropped', 'carrier_errors', 'collisions'],
};

beforeAll(() => reloadVnet());
afterAll(() => trySys(['/sbin/ip', 'link', 'del', 'vnet1']));

describe('a fresh vnet0 (down, loopback mode)', () => {
  test('vnetconfig shows nothing (only devices that are up); -a and vnetconfig vnet0 show it', async () => {
    const [plainList, all, named] = await runMany([['vnetconfig'], ['vnetconfig', '-a'], ['vnetconfig', 'vnet0']]);
    expectCode(['vnetconfig'], plainList, 0);
    expect(plainList.stdout).toBe('');
    expectCode(['vnetconfig', '-a'], all, 0);
    const m = mac('vnet0');
    expect(all.stdout).toMatch(/^vnet0: flags=\d+<BROADCAST,NOARP,MULTICAST>  mtu 1500\n/);
    expect(all.stdout).toContain(`\n        ether ${m}  txqueuelen 1000  (Ethernet)\n`);
    expect(all.stdout).toMatch(/\n        relay mode pass  arguments 0 0  no slave \(loopback\)  seed \d+\n        receive mode pass  arguments 0 0  seed \d+\n/);
    expect(all.stdout).toMatch(/\n        RX packets 0  bytes 0 \(0\.0 B\)\n/);
    expect(all.stdout).toMatch(/\n        TX errors 0  dropped 0 overruns 0  carrier 0  collisions 0\n\n$/);
    expectCode(['vnetconfig', 'vnet0'], named, 0);
    expect(named.stdout).toBe(all.stdout);
  });
});

describe('vnet-up', () => {
  test('DEV ADDRESS/PREFIX: sets the address, brings it up, prints it like ifconfig', () => {
    const r = expectExit(['vnet-up', 'vnet0', '10.0.5.2/24'], 0);
    expect(r.stdout).toMatch(/^vnet0: flags=\d+<UP,BROADCAST,RUNNING,NOARP,MULTICAST>  mtu 1500\n/);
    expect(r.stdout).toContain('\n        inet 10.0.5.2  netmask 255.255.255.0  broadcast 10.0.5.255\n');
    expect(r.stderr).toBe('');
    expect(inet('vnet0')).toEqual(['10.0.5.2/24']);
    const a = JSON.parse(sys(['/sbin/ip', '-j', '-4', 'addr', 'show', 'dev', 'vnet0']))[0].addr_info[0];
    expect(a.broadcast).toBe('10.0.5.255');
    expect(link('vnet0').flags).toEqual(expect.arrayContaining(['UP', 'LOWER_UP']));
  });

  test('now vnetconfig lists it; -d adds the driver counters', async () => {
    const [l, s] = await runMany([['vnetconfig'], ['vnetconfig', '-d']]);
    expectCode(['vnetconfig'], l, 0);
    expect(l.stdout).toMatch(/^vnet0: flags=\d+<UP,BROADCAST,RUNNING,NOARP,MULTICAST>/);
    expect(l.stdout).not.toMatch(/TX drops/);
    expectCode(['vnetconfig', '-d'], s, 0);
    expect(s.stdout).toMatch(
      /\n        TX drops 0  percent 0  time 0  gemodel 0  no_slave 0  slave 0\n        RX drops 0  percent 0  time 0  gemodel 0  delivery 0\n        slave_lost 0\n\n$/,
    );
  });

  test('ADDRESS netmask MASK mtu N: replaces the address, sets the netmask and the MTU', () => {
    expectExit(['vnet-up', 'vnet0', '10.0.6.2', 'netmask', '255.255.0.0', 'mtu', '1400'], 0);
    expect(inet('vnet0')).toEqual(['10.0.6.2/16']);
    expect(link('vnet0').mtu).toBe(1400);
  });

  test('a bare address gets the classful netmask (ifconfig order); the MTU is kept', () => {
    const r = expectExit(['vnet-up', 'vnet0', '10.1.2.3'], 0);
    expect(r.stdout).toContain('inet 10.1.2.3  netmask 255.0.0.0  broadcast 10.255.255.255');
    expect(inet('vnet0')).toEqual(['10.1.2.3/8']);
    expect(link('vnet0').mtu).toBe(1400);
  });

  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  let upJson: any;
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  let upLink: any;
  test('-j prints the device with iproute2 key names; "up" is accepted', () => {
    const r = expectExit(['vnet-up', '-j', 'vnet0', 'mtu', '1500', 'up'], 0);
    expect(r.stdout.split('\n').length).toBe(2); // one line
    upJson = JSON.parse(r.stdout);
    upLink = link('vnet0');
    expect(upJson).toMatchObject({
      ifindex: upLink.ifindex,
      ifname: 'vnet0',
      mtu: 1500,
      address: upLink.address,
      addr_info: [{ family: 'inet', local: '10.1.2.3', prefixlen: 8, broadcast: '10.255.255.255' }],
      linkinfo: { info_kind: 'vnet', info_data: { mode: 'pass', slave: null } },
    });
    expect(upJson.flags).toEqual(expect.arrayContaining(['UP', 'BROADCAST', 'MULTICAST', 'NOARP']));
    expect(upLink.mtu).toBe(1500);
  });

  test('-j: "flags" are the flags ip -j link shows for the device (LOWER_UP included)', () => {
    expect(upJson.flags).toEqual(upLink.flags);
  });
});

describe('vnet-down', () => {
  test('-j DEV: takes it down and prints the flags as ip -j link names them', () => {
    const r = expectExit(['vnet-down', '-j', 'vnet0'], 0);
    const j = JSON.parse(r.stdout);
    const l = link('vnet0');
    expect(l.flags).not.toContain('UP');
    expect(j).toEqual({ ifname: 'vnet0', flags: l.flags });
  });

  test('with no arguments: vnet0; vnet-up with none brings it back up, address kept', () => {
    expectExit(['vnet-up'], 0);
    expect(link('vnet0').flags).toContain('UP');
    const r = expectExit(['vnet-down'], 0);
    expect(r.stdout).toMatch(/^vnet0: down \(flags=\d+<BROADCAST,NOARP,MULTICAST>\)\n$/);
    expect(link('vnet0').flags).not.toContain('UP');
    const u = expectExit(['vnet-up'], 0);
    expect(u.stdout).toContain('inet 10.1.2.3  netmask 255.0.0.0');
    expect(link('vnet0').flags).toContain('UP');
  });
});

describe('counters', () => {
  test('vnetconfig -j -d: stats64 equal ip -j -s link, the driver counters equal ethtool -S', () => {
    loopTraffic('vnet0', '10.1.2.9', 10);
    let before: ReturnType<typeof linkStats>;
    let after: ReturnType<typeof linkStats>;
    // eslint-disable-next-line @typescript-eslint/no-explicit-any
    let j: any;
    let eth: Record<string, bigint>;
    // Only compare when nothing moved while vnetconfig ran.
    for (let tries = 0; ; tries++) {
      before = linkStats('vnet0').stats64;
      eth = ethtoolStats('vnet0');
      j = JSON.parse(expectExit(['vnetconfig', '-j', '-d', 'vnet0'], 0).stdout)[0];
      after = linkStats('vnet0').stats64;
      if (JSON.stringify(before) === JSON.stringify(after) || tries === 2) break;
    }
    expect(after).toEqual(before);
    expect(before.tx.packets).toBeGreaterThanOrEqual(10);
    for (const dir of ['rx', 'tx'] as const) {
      for (const k of STATS64_KEYS[dir]) expect([dir, k, j.stats64[dir][k]]).toEqual([dir, k, before[dir][k]]);
    }
    const st = j.linkinfo.info_data.stats;
    for (const [k, v] of Object.entries(eth)) expect([k, BigInt(st[k])]).toEqual([k, v]);
    // loopback mode: everything sent comes back
    expect(BigInt(st.tx_packets)).toBe(BigInt(st.rx_packets) + BigInt(st.rx_dropped));
  });

  test('vnet-reset-stats with an unknown name among good ones: exit 3 and nothing is reset', () => {
    const r = expectExit(['vnet-reset-stats', 'vnet0', 'nosuch0'], 3);
    expect(r.stderr).toMatch(/^vnet-reset-stats: nosuch0: no such device$/m);
    expect(r.stdout).toBe('');
    expect(ethtoolStats('vnet0').tx_packets).toBeGreaterThanOrEqual(10n);
  });

  test('vnet-reset-stats DEV: every driver counter is zero, in ethtool -S and ip -s link', () => {
    const r = expectExit(['vnet-reset-stats', 'vnet0'], 0);
    expect(r.stdout).toBe('vnet0: statistics reset\n');
    const eth = ethtoolStats('vnet0');
    expect(Object.keys(eth).length).toBeGreaterThanOrEqual(11);
    for (const [k, v] of Object.entries(eth)) expect([k, v]).toEqual([k, 0n]);
    const s = linkStats('vnet0').stats64;
    expect([s.rx.packets, s.rx.bytes, s.tx.packets, s.tx.bytes]).toEqual([0, 0, 0, 0]);
  });

  test('vnet-reset-stats --all / DEV DEV with a second device; no name: an error naming both (exit 2)', () => {
    ip('link', 'add', 'vnet1', 'type', 'vnet');
    ip('addr', 'add', '10.2.0.1/24', 'dev', 'vnet1');
    ip('link', 'set', 'vnet1', 'up');
    const busy = (): void => {
      loopTraffic('vnet0', '10.1.2.9', 3);
      loopTraffic('vnet1', '10.2.0.9', 3);
      expect(ethtoolStats('vnet0').tx_packets).toBeGreaterThan(0n);
      expect(ethtoolStats('vnet1').tx_packets).toBeGreaterThan(0n);
    };

    busy();
    const a = expectExit(['vnet-reset-stats', '--all', '-j'], 0);
    expect(JSON.parse(a.stdout)).toEqual({ reset: ['vnet0', 'vnet1'] });
    expect(ethtoolStats('vnet0').tx_packets).toBe(0n);
    expect(ethtoolStats('vnet1').tx_packets).toBe(0n);

    busy();
    const b = expectExit(['vnet-reset-stats', 'vnet1', 'vnet0'], 0);
    expect(b.stdout).toBe('vnet1: statistics reset\nvnet0: statistics reset\n');
    expect(ethtoolStats('vnet0').tx_packets).toBe(0n);
    expect(ethtoolStats('vnet1').tx_packets).toBe(0n);

    busy();
    const c = expectExit(['vnet-reset-stats'], 2);
    expect(c.stderr).toBe(
      "vnet-reset-stats: there are 2 vnet devices (vnet0, vnet1): say which one\nTry 'vnet-reset-stats --help' for more information.\n",
    );
    expect(ethtoolStats('vnet0').tx_packets).toBeGreaterThan(0n);
    expect(ethtoolStats('vnet1').tx_packets).toBeGreaterThan(0n);
    ip('link', 'del', 'vnet1');
    expect(expectExit(['vnet-reset-stats'], 0).stdout).toBe('vnet0: statistics reset\n');
    expect(ethtoolStats('vnet0').tx_packets).toBe(0n);
  });
});

describe('not found: exit 3', () => {
  test('an unknown device, for every command that takes one', async () => {
    const argvs = [
      ['vnet-up', 'nosuch0', '10.0.0.1/24'],
      ['vnet-down', 'nosuch0'],
      ['vnetconfig', 'nosuch0'],
      ['vnet-reset-stats', 'nosuch0'],
      ['insanely', '-i', 'nosuch0', 'lo', 'pass'],
    ];
    const rs = await runMany(argvs);
    rs.forEach((r, i) => {
      expectCode(argvs[i], r, 3);
      expect(r.stdout).toBe('');
      expect(r.stderr).toBe(`${argvs[i][0]}: nosuch0: no such device\n`);
    });
  });

  test('lo is not a vnet device: exit 3 and lo is left exactly as it was', async () => {
    const snap = (): unknown => {
      const l = link('lo');
      return [l.flags, l.mtu, l.operstate, l.txqlen, inet('lo')];
    };
    run([PING, '-n', '-q', '-c', '2', '-i', '0.01', '127.0.0.1']);
    const before = snap();
    const loRx = linkStats('lo').stats64.rx.packets as number;
    const argvs = [
      ['vnet-up', 'lo', '10.9.9.9/8', 'mtu', '1400'],
      ['vnet-down', 'lo'],
      ['vnet-reset-stats', 'lo'],
      ['insanely', '-i', 'lo', 'none'],
    ];
    const rs = await runMany(argvs);
    rs.forEach((r, i) => {
      expectCode(argvs[i], r, 3);
      expect(r.stdout).toBe('');
      expect(r.stderr).toMatch(new RegExp(`^${argvs[i][0]}: lo: not a vnet device`));
    });
    expect(snap()).toEqual(before);
    expect(loRx).toBeGreaterThan(0);
    expect(linkStats('lo').stats64.rx.packets).toBeGreaterThanOrEqual(loRx);
  });
});
