import { run as up } from '../../src/commands/vnet-up';
import { run as down } from '../../src/commands/vnet-down';
import { FakeBinding, runCmd, sysErr, mutations } from './harness';

/** vnet0 down in loopback mode (seeds 7 and 8), an Ethernet eth0 */
function kernel(): FakeBinding {
  const k = new FakeBinding();
  k.addVnet('vnet0', { mac: '02:00:00:00:00:01', seed: 7n, rx: { seed: 8n } });
  k.addDevice('eth0');
  return k;
}

describe('vnet-up', () => {
  test('no arguments: brings vnet0 up and shows it', async () => {
    const k = kernel();
    const r = await runCmd(up, [], k);
    expect(r.code).toBe(0);
    expect(mutations(k)).toEqual([{ method: 'changeFlags', args: ['vnet0', 1, 0] }]);
    expect(r.stdout.startsWith('vnet0: flags=4291<UP,BROADCAST,RUNNING,NOARP,MULTICAST>  mtu 1500\n')).toBe(true);
    expect(r.stdout).toContain('        relay mode pass  arguments 0 0  no slave (loopback)  seed 7\n');
  });

  test('address/prefix, then netmask, mtu, up — in ifconfig order', async () => {
    const k = kernel();
    const r = await runCmd(up, ['vnet0', '10.0.0.2/24', 'mtu', '1400'], k);
    expect(r.stderr).toBe('');
    expect(mutations(k)).toEqual([
      { method: 'setAddress', args: ['vnet0', '10.0.0.2'] },
      { method: 'setNetmask', args: ['vnet0', '255.255.255.0'] },
      { method: 'setMtu', args: ['vnet0', 1400] },
      { method: 'changeFlags', args: ['vnet0', 1, 0] },
    ]);
    expect(r.stdout).toContain(
      'vnet0: flags=4291<UP,BROADCAST,RUNNING,NOARP,MULTICAST>  mtu 1400\n' +
        '        inet 10.0.0.2  netmask 255.255.255.0  broadcast 10.0.0.255\n',
    );
  });

  test('netmask keyword; address without mask keeps the kernel default', async () => {
    const k = kernel();
    await runCmd(up, ['vnet0', '192.168.7.1', 'netmask', '255.255.0.0'], k);
    expect(mutations(k).map((c) => c.method)).toEqual(['setAddress', 'setNetmask', 'changeFlags']);
    const k2 = kernel();
    await runCmd(up, ['vnet0', '10.1.2.3'], k2);
    expect(mutations(k2).map((c) => c.method)).toEqual(['setAddress', 'changeFlags']);
  });

  test("a trailing 'up' (ifconfig habit) is accepted", async () => {
    const k = kernel();
    const r = await runCmd(up, ['vnet0', '10.0.0.2/24', 'up'], k);
    expect(r.code).toBe(0);
    expect(mutations(k).map((c) => c.method)).toEqual(['setAddress', 'setNetmask', 'changeFlags']);
  });

  test('-j prints one JSON object', async () => {
    const r = await runCmd(up, ['-j', 'vnet0', '10.0.0.2/24'], kernel());
    const j = JSON.parse(r.stdout);
    expect(j).toMatchObject({ ifname: 'vnet0', flags: ['BROADCAST', 'MULTICAST', 'NOARP', 'UP', 'LOWER_UP'], addr_info: [{ local: '10.0.0.2', prefixlen: 24 }] });
  });

  test.each([
    [['vnet0', '10.0.0.300'], /invalid address '10.0.0.300'/],
    [['vnet0', '10.0.0.2/33'], /prefix length must be from 0 to 32/],
    [['vnet0', '10.0.0.2', 'netmask'], /'netmask' needs a value/],
    [['vnet0', 'netmask', '255.0.255.0'], /contiguous/],
    [['vnet0', 'mtu', 'big'], /MTU 'big' is not a number/],
    [['vnet0', 'mtu', '0'], /MTU must be from 68 to 65535/],
    [['vnet0', 'mtu', '1500', 'mtu', '1400'], /'mtu' given twice/],
    [['vnet0', '10.0.0.2', 'broadcast'], /'broadcast' needs a value/],
    [['vnet0', '10.0.0.2', 'broadcast', '10.0.0.256'], /invalid broadcast address/],
    [['vnet0', 'txqueuelen', '-1'], /txqueuelen '-1' is not a number|whole number/],
    [['vnet0', 'hw', 'ether', '00:11:22'], /invalid MAC address '00:11:22'/],
    [['vnet0', 'hw', 'ieee802', '00:11:22:33:44:55'], /only 'hw ether MAC'/],
    [['vnet0', 'add', '10.0.0.2/33'], /prefix length must be from 0 to 32/],
    [['vnet0', 'add', '2001:db8::1/129'], /prefix length must be from 0 to 128/],
    [['vnet0', 'del', 'fe80::zz'], /invalid IPv6 address/],
    [['vnet0', 'arp', '-arp'], /'arp' given twice/],
    [['vnet0', '10.0.0.2', 'bogus'], /unexpected argument 'bogus'/],
    [['10.0.0.2/24'], /'10.0.0.2\/24' is an address, not a device: the device comes first, as with ifconfig \(vnet-up DEV 10.0.0.2\/24\)/],
    [['10.0.0.2', 'vnet0'], /the device comes first, as with ifconfig \(vnet-up vnet0 10.0.0.2\)/],
    [['mtu', '1400', 'vnet0'], /'mtu' is a keyword, not a device: .*\(vnet-up vnet0 mtu 1400\)/],
    [['vnet0', '10.0.0.2/24', 'netmask', '255.255.0.0'], /prefix length says netmask 255.255.255.0/],
    [['abcdefghijklmnopq'], /too long/],
  ])('%p → exit 2, nothing changed', async (argv, msg) => {
    const k = kernel();
    const r = await runCmd(up, argv, k);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(msg);
    expect(r.stderr).toMatch(/Try 'vnet-up --help'/);
    expect(k.calls).toEqual([]);
  });

  test('the kernel refusing the MTU → 1; earlier changes stay (as ifconfig)', async () => {
    const k = kernel();
    k.addDevice('eth1', { mtu: 1500 });
    k.configure('vnet0', { slave: 'eth1' });
    k.device('vnet0').maxMtu = 1500; // a slave caps the MTU
    const r = await runCmd(up, ['vnet0', '10.0.0.2', 'mtu', '9500'], k);
    expect(r.code).toBe(1);
    expect(r.stderr).toBe('vnet-up: vnet0: cannot set the MTU to 9500: invalid argument\n');
    expect(mutations(k).map((c) => c.method)).toEqual(['setAddress', 'setMtu']);
  });

  test('not a vnet device → 3, nothing changed', async () => {
    const k = kernel();
    const r = await runCmd(up, ['eth0', '10.0.0.2'], k);
    expect(r.code).toBe(3);
    expect(mutations(k)).toEqual([]);
  });

  test('EACCES → 4', async () => {
    const k = kernel();
    k.failNext.set('changeFlags', sysErr('EACCES', 'ioctl', { ifname: 'vnet0' }));
    const r = await runCmd(up, [], k);
    expect(r.code).toBe(4);
    expect(r.stderr).toMatch(/CAP_NET_ADMIN/);
  });
});

describe("vnet-up: ifconfig's other words", () => {
  test('broadcast, txqueuelen, -arp, promisc, hw ether: each reaches the kernel, in ifconfig order', async () => {
    const k = kernel();
    const r = await runCmd(
      up,
      ['vnet0', '10.0.0.2/24', 'broadcast', '10.0.0.128', 'txqueuelen', '500', 'arp', 'promisc', 'hw', 'ether', '02:AA:bb:cc:dd:ee'],
      k,
    );
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(mutations(k)).toEqual([
      { method: 'setHwAddress', args: ['vnet0', '02:aa:bb:cc:dd:ee'] },
      { method: 'setAddress', args: ['vnet0', '10.0.0.2'] },
      { method: 'setNetmask', args: ['vnet0', '255.255.255.0'] },
      { method: 'setBroadcast', args: ['vnet0', '10.0.0.128'] },
      { method: 'setTxqueuelen', args: ['vnet0', 500] },
      { method: 'changeFlags', args: ['vnet0', 0x1 | 0x100, 0x80] }, // UP|PROMISC, clear NOARP
    ]);
    expect(r.stdout).toBe(
      'vnet0: flags=4419<UP,BROADCAST,RUNNING,PROMISC,MULTICAST>  mtu 1500\n' +
        '        inet 10.0.0.2  netmask 255.255.255.0  broadcast 10.0.0.128\n' +
        '        ether 02:aa:bb:cc:dd:ee  txqueuelen 500  (Ethernet)\n' +
        '        relay mode pass  arguments 0 0  no slave (loopback)  seed 7\n' +
        '        receive mode pass  arguments 0 0  seed 8\n' +
        '        RX packets 0  bytes 0 (0.0 B)\n' +
        '        RX errors 0  dropped 0  overruns 0  frame 0\n' +
        '        TX packets 0  bytes 0 (0.0 B)\n' +
        '        TX errors 0  dropped 0 overruns 0  carrier 0  collisions 0\n\n',
    );
  });

  test("-arp, -promisc (ifconfig's dash words are not options) and down", async () => {
    const k = kernel();
    k.device('vnet0').flags = 0x1 | 0x2 | 0x100 | 0x1000; // up, promisc, ARP on
    const r = await runCmd(up, ['-q', 'vnet0', '-arp', '-promisc', 'down'], k);
    expect(r).toEqual({ code: 0, stdout: '', stderr: '' });
    expect(mutations(k)).toEqual([{ method: 'changeFlags', args: ['vnet0', 0x80, 0x1 | 0x100] }]);
    expect(k.device('vnet0').flags & 0x1).toBe(0);
  });

  test('add and del: secondary IPv4 and IPv6 addresses, all shown (inet then inet6 lines, ifconfig style)', async () => {
    const k = kernel();
    const r = await runCmd(up, ['vnet0', '10.0.0.2/24', 'add', '10.0.0.3/24', 'add', '2001:DB8::2/64', 'add', 'fe80::2/64'], k);
    expect(r.code).toBe(0);
    expect(mutations(k).filter((c) => c.method === 'addAddress').map((c) => c.args[1])).toEqual([
      { family: 'inet', local: '10.0.0.3', prefixlen: 24 },
      { family: 'inet6', local: '2001:db8::2', prefixlen: 64 },
      { family: 'inet6', local: 'fe80::2', prefixlen: 64 },
    ]);
    expect(r.stdout).toContain(
      '        inet 10.0.0.2  netmask 255.255.255.0  broadcast 10.0.0.255\n' +
        '        inet 10.0.0.3  netmask 255.255.255.0  broadcast 0.0.0.0\n' +
        '        inet6 2001:db8::2  prefixlen 64  scopeid 0x0<global>\n' +
        '        inet6 fe80::2  prefixlen 64  scopeid 0x20<link>\n' +
        '        ether 02:00:00:00:00:01',
    );
    const j = JSON.parse((await runCmd(up, ['-j', 'vnet0'], k)).stdout);
    expect(j.addr_info).toEqual([
      { family: 'inet', local: '10.0.0.2', prefixlen: 24, broadcast: '10.0.0.255', scope: 'global', label: 'vnet0' },
      { family: 'inet', local: '10.0.0.3', prefixlen: 24, scope: 'global', secondary: true, label: 'vnet0' },
      { family: 'inet6', local: '2001:db8::2', prefixlen: 64, scope: 'global' },
      { family: 'inet6', local: 'fe80::2', prefixlen: 64, scope: 'link' },
    ]);
    // del: IPv4 by address; IPv6 without a prefix length takes the device's own
    k.clearCalls();
    const d = await runCmd(up, ['-q', 'vnet0', 'del', '10.0.0.3', 'del', '2001:db8:0::2'], k);
    expect(d.code).toBe(0);
    expect(mutations(k).filter((c) => c.method === 'delAddress').map((c) => c.args[1])).toEqual([
      { family: 'inet', local: '10.0.0.3', prefixlen: 32 },
      { family: 'inet6', local: '2001:db8::2', prefixlen: 64 },
    ]);
    expect(k.device('vnet0').addrs).toEqual([{ family: 'inet6', local: 'fe80::2', prefixlen: 64, scope: 253 }]);
  });

  test('an IPv6 address in the address slot is added (vnet-up vnet0 2001:db8::3/64), /128 without a length', async () => {
    const k = kernel();
    const r = await runCmd(up, ['vnet0', '2001:DB8::3/64', 'mtu', '1400'], k);
    expect([r.code, r.stderr]).toEqual([0, '']);
    const m = mutations(k);
    expect(m.map((c) => c.method)).toEqual(['setMtu', 'addAddress', 'changeFlags']);
    expect(m[1].args[1]).toEqual({ family: 'inet6', local: '2001:db8::3', prefixlen: 64 });
    expect(m.some((c) => c.method === 'setAddress')).toBe(false);
    expect(r.stdout).toContain('        inet6 2001:db8::3  prefixlen 64  scopeid 0x0<global>\n');
    k.clearCalls();
    await runCmd(up, ['-q', 'vnet0', '2001:db8::4'], k);
    expect(mutations(k)[0].args[1]).toEqual({ family: 'inet6', local: '2001:db8::4', prefixlen: 128 });
    for (const bad of ['2001:db8::/129', '2001:zz::1/64', '2001:db8::3/x']) {
      const e = await runCmd(up, ['vnet0', bad], kernel());
      expect([bad, e.code]).toEqual([bad, 2]);
    }
  });

  test('adding an address that is there already is not an error; deleting one that is not is (exit 1)', async () => {
    const k = kernel();
    await runCmd(up, ['-q', 'vnet0', 'add', '10.0.0.5/24'], k);
    const again = await runCmd(up, ['-q', 'vnet0', 'add', '10.0.0.5/24'], k);
    expect(again).toEqual({ code: 0, stdout: '', stderr: '' });
    const gone = await runCmd(up, ['-q', 'vnet0', 'del', '10.0.0.9'], k);
    expect(gone).toEqual({ code: 1, stdout: '', stderr: 'vnet-up: vnet0: 10.0.0.9 is not an address of vnet0\n' });
    const gone6 = await runCmd(up, ['-q', 'vnet0', 'del', '2001:db8::9'], k);
    expect(gone6.stderr).toBe('vnet-up: vnet0: 2001:db8::9 is not an address of vnet0\n');
  });

  test('hw ether while relaying: the kernel says EBUSY → exit 1', async () => {
    const k = kernel();
    k.configure('vnet0', { slave: 'eth0' });
    const r = await runCmd(up, ['vnet0', 'hw', 'ether', '02:00:00:00:00:09'], k);
    expect(r.code).toBe(1);
    expect(r.stderr).toBe('vnet-up: vnet0: cannot set the MAC address to 02:00:00:00:00:09: device or resource busy\n');
  });

  test('-q prints nothing on success, errors still go to stderr', async () => {
    const k = kernel();
    expect(await runCmd(up, ['-q', 'vnet0', '10.0.0.2/24'], k)).toEqual({ code: 0, stdout: '', stderr: '' });
    expect((await runCmd(up, ['-q', 'vnet0', 'mtu', '70000'], k)).stderr).toMatch(/MTU must be from 68 to 65535/);
  });

  test('the default device is the only vnet device; with several, an error naming them', async () => {
    const k = new FakeBinding();
    k.addDevice('vnet0', { driver: 'tun' }); // libvirt's tap
    k.addVnet('vtest', { seed: 1n });
    const r = await runCmd(up, ['-q'], k);
    expect(r.code).toBe(0);
    expect(mutations(k)).toEqual([{ method: 'changeFlags', args: ['vtest', 1, 0] }]);
    k.addVnet('vtest2');
    const r2 = await runCmd(up, [], k);
    expect(r2.code).toBe(2);
    expect(r2.stderr).toMatch(/^vnet-up: there are 2 vnet devices \(vtest, vtest2\): say which one\n/);
  });

  test('in a namespace of many interfaces, the kernel is asked for the vnet links and their addresses only (as vnetconfig)', async () => {
    const k = kernel();
    for (let i = 0; i < 50; i++) k.addDevice(`veth${i}`);
    k.addAddress('vnet0', { family: 'inet6', local: '2001:db8::3', prefixlen: 64 });
    const r = await runCmd(up, ['vnet0', 'del', '2001:db8::3'], k);
    expect(r.code).toBe(0);
    expect(r.stdout.startsWith('vnet0: flags=4291<UP,BROADCAST,RUNNING,NOARP,MULTICAST>  mtu 1500\n')).toBe(true);
    expect(k.kernelCalls('delAddress').map((c) => c.args[1])).toEqual([{ family: 'inet6', local: '2001:db8::3', prefixlen: 64 }]);
    const dumps = k.kernelCalls('dumpLinks');
    expect(dumps.length).toBeGreaterThan(0);
    expect(dumps.map((c) => c.args)).toEqual(dumps.map(() => ['vnet']));
    // the IPv6 del's prefix, then the display: each from vnet0's addresses alone
    const addrs = k.kernelCalls('dumpAddresses');
    expect(addrs.map((c) => c.args)).toEqual([[k.device('vnet0').ifindex], [k.device('vnet0').ifindex]]);
  });
});

describe('vnet-down', () => {
  test('clears IFF_UP and says so', async () => {
    const k = kernel();
    k.device('vnet0').flags |= 1;
    const r = await runCmd(down, [], k);
    expect(r).toEqual({ code: 0, stdout: 'vnet0: down (flags=4226<BROADCAST,NOARP,MULTICAST>)\n', stderr: '' });
    expect(mutations(k)).toEqual([{ method: 'changeFlags', args: ['vnet0', 0, 1] }]);
  });

  test('-j', async () => {
    const r = await runCmd(down, ['-j', 'vnet0'], kernel());
    expect(r.stdout).toBe('{"ifname":"vnet0","flags":["BROADCAST","MULTICAST","NOARP"]}\n');
  });

  test('errors: extra argument → 2, no device → 3, EPERM → 4', async () => {
    const k = kernel();
    expect((await runCmd(down, ['vnet0', 'vnet1'], k)).code).toBe(2);
    expect((await runCmd(down, ['vnet5'], k)).code).toBe(3);
    k.privileged = false;
    expect((await runCmd(down, [], k)).code).toBe(4);
    expect(mutations(k).length).toBe(1); // only the refused one reached the kernel
  });
});
