import { run as up } from '../../src/commands/vnet-up';
import { run as down } from '../../src/commands/vnet-down';
import { FakeBinding, runCmd, sysErr, mutations } from './harness';

/** vnet0 down in loopback mode (seed 7), an Ethernet eth0 */
function kernel(): FakeBinding {
  const k = new FakeBinding();
  k.addVnet('vnet0', { mac: '02:00:00:00:00:01', seed: 7n });
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
    [['vnet0', '10.0.0.2', 'broadcast', '10.0.0.255'], /unexpected argument 'broadcast'/],
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
    k.device('vnet0').vnet!.relay.slave = 'eth1';
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
