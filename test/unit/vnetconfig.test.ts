import { run } from '../../src/commands/vnetconfig';
import { IFF_BROADCAST, IFF_MULTICAST, IFF_UP } from '../fake-binding';
import { FakeBinding, runCmd, mutations } from './harness';

const VNET0_BLOCK =
  'vnet0: flags=4163<UP,BROADCAST,RUNNING,MULTICAST>  mtu 1500\n' +
  '        inet 10.0.0.2  netmask 255.255.255.0  broadcast 10.0.0.255\n' +
  '        ether 52:54:00:12:34:56  txqueuelen 1000  (Ethernet)\n' +
  '        relay mode percent  arguments 80 0  slave eth0  seed 42\n' +
  '        receive mode pass  arguments 0 0  seed 43\n' +
  '        RX packets 12  bytes 1234 (1.2 KiB)\n' +
  '        RX errors 0  dropped 0  overruns 0  frame 0\n' +
  '        TX packets 8  bytes 3145728 (3.0 MiB)\n' +
  '        TX errors 0  dropped 2 overruns 0  carrier 0  collisions 0\n' +
  '\n';

function kernel(): FakeBinding {
  const k = new FakeBinding();
  k.addLoopback();
  k.addDevice('eth0', { mac: '52:54:00:12:34:56', flags: IFF_UP | IFF_BROADCAST | IFF_MULTICAST });
  // relaying to eth0: the driver adopts eth0's MAC and turns ARP on
  k.addVnet('vnet0', {
    flags: IFF_UP | IFF_BROADCAST | IFF_MULTICAST,
    ipv4: { address: '10.0.0.2', netmask: '255.255.255.0', broadcast: '10.0.0.255' },
    relay: { slave: 'eth0', mode: 1, arg1: 80, arg2: 0 },
    seed: 42n,
    rx: { seed: 43n },
    stats: { rx_packets: 12n, rx_bytes: 1234n, tx_packets: 8n, tx_bytes: 3145728n, tx_dropped: 2n, tx_drop_percent: 2n },
  });
  k.addVnet('vnet1', { mac: '02:00:00:00:00:02', seed: 7n, rx: { seed: 8n } }); // down, loopback mode
  return k;
}

describe('vnetconfig', () => {
  test('no DEV: every vnet device that is up, in the ifconfig layout', async () => {
    const k = kernel();
    const r = await runCmd(run, [], k);
    expect(r).toEqual({ code: 0, stdout: VNET0_BLOCK, stderr: '' });
    expect(mutations(k)).toEqual([]);
  });

  test('-a shows down devices too; eth0 is never shown', async () => {
    const r = await runCmd(run, ['-a'], kernel());
    expect(r.stdout).toBe(
      VNET0_BLOCK +
        'vnet1: flags=4226<BROADCAST,NOARP,MULTICAST>  mtu 1500\n' +
        '        ether 02:00:00:00:00:02  txqueuelen 1000  (Ethernet)\n' +
        '        relay mode pass  arguments 0 0  no slave (loopback)  seed 7\n' +
        '        receive mode pass  arguments 0 0  seed 8\n' +
        '        RX packets 0  bytes 0 (0.0 B)\n' +
        '        RX errors 0  dropped 0  overruns 0  frame 0\n' +
        '        TX packets 0  bytes 0 (0.0 B)\n' +
        '        TX errors 0  dropped 0 overruns 0  carrier 0  collisions 0\n' +
        '\n',
    );
    expect(r.stdout).not.toContain('eth0:');
  });

  test('DEV shows that device even when down', async () => {
    const r = await runCmd(run, ['vnet1'], kernel());
    expect(r.code).toBe(0);
    expect(r.stdout.startsWith('vnet1: flags=4226<BROADCAST,NOARP,MULTICAST>  mtu 1500\n')).toBe(true);
  });

  test('-d adds the per-reason drop counters', async () => {
    const r = await runCmd(run, ['-d', 'vnet0'], kernel());
    expect(r.stdout).toBe(
      VNET0_BLOCK.slice(0, -1) +
        '        TX drops 2  percent 2  time 0  gemodel 0  no_slave 0  slave 0\n' +
        '        RX drops 0  percent 0  time 0  gemodel 0  delivery 0\n' +
        '        slave_lost 0\n' +
        '\n',
    );
  });

  test('-j: an array with ip -j key names and exact 64-bit counters', async () => {
    const k = kernel();
    k.setVnetStats('vnet0', { rx_bytes: 18446744073709551615n });
    const r = await runCmd(run, ['-j', '-d'], k);
    expect(r.stdout).toMatch(/"rx":\{"bytes":18446744073709551615,"packets":12,/);
    expect(r.stdout.endsWith('\n')).toBe(true);
    expect(r.stdout.trim().includes('\n')).toBe(false); // compact: one line
    const j = JSON.parse(r.stdout);
    expect(j).toHaveLength(1);
    expect(j[0]).toMatchObject({
      ifname: 'vnet0',
      flags: ['BROADCAST', 'MULTICAST', 'UP', 'LOWER_UP'],
      mtu: 1500,
      addr_info: [{ family: 'inet', local: '10.0.0.2', prefixlen: 24, broadcast: '10.0.0.255' }],
      linkinfo: {
        info_kind: 'vnet',
        info_data: { mode: 'percent', arg1: 80, arg2: 0, seed: 42, slave: 'eth0', stats: { tx_drop_percent: 2 } },
      },
    });
  });

  test("-s is ifconfig -s: net-tools' short table, byte for byte", async () => {
    const k = kernel();
    k.setLinkStats('vnet0', { rx_errors: 1n, rx_fifo_errors: 3n, tx_fifo_errors: 4n });
    const r = await runCmd(run, ['-s', '-a'], k);
    expect(r).toEqual({
      code: 0,
      stdout:
        'Iface             MTU    RX-OK RX-ERR RX-DRP RX-OVR    TX-OK TX-ERR TX-DRP TX-OVR Flg\n' +
        'vnet0            1500       12      1      0 3             8      0      2      4 BMRU\n' +
        'vnet1            1500        0      0      0 0             0      0      0      0 BMO\n',
      stderr: '',
    });
  });

  test('-s and -d together are a usage error', async () => {
    const r = await runCmd(run, ['-s', '-d'], kernel());
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/cannot be used with option '-s, --short'/);
  });

  test('-j with no vnet device prints [] and exits 0', async () => {
    const k = new FakeBinding();
    k.addLoopback();
    k.moduleLoaded = false;
    expect(await runCmd(run, ['-j'], k)).toEqual({ code: 0, stdout: '[]\n', stderr: '' });
    expect(await runCmd(run, ['-j', '-a'], k)).toEqual({ code: 0, stdout: '[]\n', stderr: '' });
    // and with vnet devices that are all down
    const k2 = new FakeBinding();
    k2.addVnet('vnet0');
    expect(await runCmd(run, ['-j'], k2)).toEqual({ code: 0, stdout: '[]\n', stderr: '' });
  });

  test('every address: secondary IPv4 and IPv6 lines, from one dump each (no per-device lookups)', async () => {
    const k = kernel();
    k.device('vnet0').addrs = [
      { family: 'inet', local: '10.0.0.3', prefixlen: 24, scope: 0 },
      { family: 'inet', local: '192.168.9.1', prefixlen: 16, broadcast: '192.168.255.255', scope: 0 },
      { family: 'inet6', local: '2001:db8::2', prefixlen: 64, scope: 0 },
    ];
    k.clearCalls();
    const r = await runCmd(run, [], k);
    expect(r.stdout).toContain(
      'vnet0: flags=4163<UP,BROADCAST,RUNNING,MULTICAST>  mtu 1500\n' +
        '        inet 10.0.0.2  netmask 255.255.255.0  broadcast 10.0.0.255\n' +
        '        inet 10.0.0.3  netmask 255.255.255.0  broadcast 0.0.0.0\n' +
        '        inet 192.168.9.1  netmask 255.255.0.0  broadcast 192.168.255.255\n' +
        '        inet6 2001:db8::2  prefixlen 64  scopeid 0x0<global>\n' +
        '        ether 52:54:00:12:34:56',
    );
    expect(k.kernelCalls().map((c) => c.method)).toEqual([
      'dumpLinks',
      'dumpAddresses',
      'openGenl',
      'genl.dump',
      'genl.close',
    ]);
    const j = JSON.parse((await runCmd(run, ['-j'], k)).stdout);
    expect(j[0].addr_info.map((a: { local: string; secondary?: boolean }) => [a.local, a.secondary ?? false])).toEqual([
      ['10.0.0.2', false],
      ['10.0.0.3', true],
      ['192.168.9.1', false],
      ['2001:db8::2', false],
    ]);
  });

  test('a vnet device whose name is not UTF-8 is shown, escaped as \\xNN', async () => {
    const k = kernel();
    const d = k.addVnet('weird', { seed: 1n });
    d.nameBytes = Buffer.from([0x76, 0xff, 0x30]);
    const r = await runCmd(run, ['-a'], k);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('v\\xff0: flags=4226<BROADCAST,NOARP,MULTICAST>  mtu 1500\n');
    const j = JSON.parse((await runCmd(run, ['-a', '-j'], k)).stdout);
    expect(j.map((x: { ifname: string }) => x.ifname)).toEqual(['vnet0', 'vnet1', 'v\\xff0']);
  });

  test('a device deleted between the dumps is skipped; the others are shown; exit 0', async () => {
    const k = kernel();
    // vnet1 goes away after the link dump, before the vnet_nl dump
    const orig = k.dumpAddresses.bind(k);
    k.dumpAddresses = () => {
      const out = orig();
      k.removeDevice('vnet1');
      return out;
    };
    const r = await runCmd(run, ['-a'], k);
    expect(r.code).toBe(0);
    expect(r.stdout).toBe(VNET0_BLOCK);
    expect(r.stderr).toBe('');
  });

  test("one device: its addresses from a dump the kernel filters by its ifindex; several: one whole dump", async () => {
    const k = kernel();
    for (let i = 0; i < 50; i++) k.addDevice(`dummy${i}`, { flags: IFF_UP });
    k.clearCalls();
    expect((await runCmd(run, ['vnet0'], k)).code).toBe(0);
    expect(k.kernelCalls('dumpAddresses').map((c) => c.args)).toEqual([[k.device('vnet0').ifindex]]);
    k.clearCalls();
    expect((await runCmd(run, ['-a'], k)).code).toBe(0);
    expect(k.kernelCalls('dumpAddresses').map((c) => c.args)).toEqual([[]]);
  });

  test('the named device deleted between the link and address dumps → 3, no such device', async () => {
    const k = kernel();
    const ifindex = k.device('vnet1').ifindex;
    const orig = k.dumpLinks.bind(k);
    k.dumpLinks = (kind?: string) => {
      const out = orig(kind);
      if (kind === 'vnet') k.removeDevice('vnet1');
      return out;
    };
    const r = await runCmd(run, ['vnet1'], k);
    expect(r).toEqual({ code: 3, stdout: '', stderr: 'vnetconfig: vnet1: no such device\n' });
    expect(k.kernelCalls('dumpAddresses').map((c) => c.args)).toEqual([[ifindex]]);
  });

  test('not a vnet device → 3', async () => {
    const r = await runCmd(run, ['eth0'], kernel());
    expect(r).toEqual({ code: 3, stdout: '', stderr: "vnetconfig: eth0: not a vnet device (its driver is 'e1000')\n" });
  });

  test('no such device → 3', async () => {
    const r = await runCmd(run, ['vnet9'], kernel());
    expect(r).toEqual({ code: 3, stdout: '', stderr: 'vnetconfig: vnet9: no such device\n' });
  });

  test('no vnet device at all → 3, says how to load the module, and never opens netlink', async () => {
    const k = new FakeBinding();
    k.addDevice('eth0');
    k.moduleLoaded = false;
    const r = await runCmd(run, [], k);
    expect(r.code).toBe(3);
    expect(r.stderr).toBe("vnetconfig: no vnet device exists: is the vnet module loaded? (load it with 'modprobe vnet')\n");
    expect(k.calls.map((c) => c.method)).not.toContain('openGenl');
  });

  test('a missing vnet0 when no vnet device exists also suggests modprobe', async () => {
    const k = new FakeBinding();
    const r = await runCmd(run, ['vnet0'], k);
    expect(r.code).toBe(3);
    expect(r.stderr).toBe(
      "vnetconfig: vnet0: no such device\n(no vnet device exists: is the vnet module loaded? load it with 'modprobe vnet')\n",
    );
  });

  test('usage errors → 2', async () => {
    for (const argv of [['vnet0', 'vnet1'], ['-x'], ['thisnameiswaytoolong']]) {
      const r = await runCmd(run, argv, kernel());
      expect(r.code).toBe(2);
      expect(r.stderr).toMatch(/Try 'vnetconfig --help' for more information\.\n$/);
    }
  });

  test('--help and --version exit 0 on stdout', async () => {
    const h = await runCmd(run, ['--help'], kernel());
    expect(h.code).toBe(0);
    expect(h.stdout).toMatch(/^Usage: vnetconfig/);
    expect(h.stdout).toMatch(/4 {2}permission denied/);
    const v = await runCmd(run, ['-V'], kernel());
    expect(v.code).toBe(0);
    expect(v.stdout).toMatch(/^\d+\.\d+\.\d+\n$/);
  });
});
