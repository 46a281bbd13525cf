import { run as reset } from '../../src/commands/vnet-reset-stats';
import { fillTo, padPattern, run as echo } from '../../src/commands/vnet-echo';
import { FakeBinding, runCmd, standardKernel, sysErr, mutations } from './harness';

describe('vnet-reset-stats', () => {
  test('default vnet0', async () => {
    const k = standardKernel();
    k.setVnetStats('vnet0', { tx_dropped: 5n });
    const r = await runCmd(reset, [], k);
    expect(r).toEqual({ code: 0, stdout: 'vnet0: statistics reset\n', stderr: '' });
    expect(k.device('vnet0').vnet!.stats.tx_dropped).toBe(0n);
    expect(mutations(k)).toEqual([{ method: 'resetStats', args: ['vnet0'] }]);
  });

  test('several devices, and --all finds every vnet device only', async () => {
    const k = standardKernel();
    k.addVnet('vnet1');
    expect((await runCmd(reset, ['vnet1', 'vnet0'], k)).stdout).toBe(
      'vnet1: statistics reset\nvnet0: statistics reset\n',
    );
    const k2 = standardKernel();
    k2.addVnet('vnet1');
    const r = await runCmd(reset, ['--all', '-j'], k2);
    expect(r.stdout).toBe('{"reset":["vnet0","vnet1"]}\n');
    // --all: by ifindex, through netlink, on the devices of one link dump
    expect(mutations(k2)).toEqual([
      { method: 'genl.resetStats', args: [k2.device('vnet0').ifindex] },
      { method: 'genl.resetStats', args: [k2.device('vnet1').ifindex] },
    ]);
  });

  test('every name is checked before any reset', async () => {
    const k = standardKernel();
    const r = await runCmd(reset, ['vnet0', 'eth0'], k);
    expect(r.code).toBe(3);
    expect(r.stderr).toBe("vnet-reset-stats: eth0: not a vnet device (its driver is 'e1000')\n");
    expect(mutations(k)).toEqual([]);
  });

  test('names and --all together → 2; --all with no vnet device → 3', async () => {
    const k = standardKernel();
    expect((await runCmd(reset, ['--all', 'vnet0'], k)).code).toBe(2);
    expect(k.calls).toEqual([]);
    const empty = new FakeBinding();
    const r = await runCmd(reset, ['--all'], empty);
    expect(r.code).toBe(3);
    expect(r.stderr).toMatch(/modprobe vnet/);
  });

  test('EPERM → 4', async () => {
    const k = standardKernel();
    k.privileged = false;
    const r = await runCmd(reset, [], k);
    expect(r.code).toBe(4);
    expect(r.stderr).toMatch(/^vnet-reset-stats: vnet0: permission denied: this needs CAP_NET_ADMIN/);
  });
});

describe('vnet-echo', () => {
  test('one round trip by default, ping-like output', async () => {
    const k = standardKernel();
    const r = await runCmd(echo, [], k, { clock: [1_000_000n, 1_045_000n] });
    expect(r.code).toBe(0);
    expect(r.stdout).toBe(
      '11 bytes from vnet_nl: seq=1 time=0.045 ms "hello, vnet"\n' +
        '\n--- vnet_nl echo statistics ---\n' +
        '1 sent, 1 received, 0% loss\n' +
        'rtt min/avg/max/mdev = 0.045/0.045/0.045/0.000 ms\n',
    );
    expect(k.kernelCalls('genl.echo').map((c) => c.args)).toEqual([['hello, vnet']]);
  });

  test('-c and -i: count echoes, fractional interval between them', async () => {
    const k = standardKernel();
    const sleeps: number[] = [];
    const r = await runCmd(echo, ['-c', '3', '-i', '0.2', 'hi', 'there'], k, {
      clock: [0n, 1_000_000n, 2_000_000n, 5_000_000n, 6_000_000n, 8_000_000n],
      sleeps,
    });
    expect(r.code).toBe(0);
    expect(sleeps).toEqual([200, 200]);
    expect(r.stdout).toContain('8 bytes from vnet_nl: seq=3 time=2.000 ms "hi there"\n');
    expect(r.stdout).toContain('3 sent, 3 received, 0% loss\n');
    expect(r.stdout).toContain('rtt min/avg/max/mdev = 1.000/2.000/3.000/0.816 ms\n');
  });

  test('-s SIZE sends exactly SIZE bytes of a pattern; long echoes are cut', async () => {
    const k = standardKernel();
    const r = await runCmd(echo, ['-s', '4096'], k);
    const sent = k.calls.find((c) => c.method === 'genl.echo')!.args[0] as string;
    expect(Buffer.byteLength(sent)).toBe(4096);
    expect(sent.slice(0, 5)).toBe('!"#$%');
    expect(r.stdout.split('\n')[0]).toBe(
      `4096 bytes from vnet_nl: seq=1 time=0.000 ms ${JSON.stringify(padPattern(40))}... (4056 more bytes)`,
    );
  });

  test('pattern helpers', () => {
    expect(padPattern(3)).toBe('!"#');
    expect(fillTo('ab', 5)).toBe('ababa');
    expect(fillTo('é', 3)).toBe('é.'); // never splits a character
  });

  test('a mismatched echo is an error: exit 1', async () => {
    const k = standardKernel();
    k.echoImpl = (m) => m.slice(1);
    const r = await runCmd(echo, ['-c', '2', '-i', '0', 'abc'], k);
    expect(r.code).toBe(1);
    expect(r.stderr).toBe(
      'vnet-echo: seq=1: mismatched echo: sent 3 bytes, got 2 bytes "bc"\n' +
        'vnet-echo: seq=2: mismatched echo: sent 3 bytes, got 2 bytes "bc"\n',
    );
    expect(r.stdout).toContain('2 sent, 0 received, 100% loss\n');
    expect(r.stdout).not.toContain('rtt');
  });

  test('a failed request counts as lost and the rest go on', async () => {
    const k = standardKernel();
    k.failNext.set('genl.echo', sysErr('ETIMEDOUT', 'recvmsg'));
    const r = await runCmd(echo, ['-c', '3', '-i', '0', '-j'], k);
    expect(r.code).toBe(1);
    expect(r.stderr).toBe('vnet-echo: seq=1: recvmsg: connection timed out\n');
    const j = JSON.parse(r.stdout);
    expect(j).toMatchObject({ family: 'vnet_nl', sent: 3, received: 2 });
    expect(j.loss_percent).toBeCloseTo(33.333, 2);
  });

  test('module not loaded → 3', async () => {
    const k = standardKernel();
    k.moduleLoaded = false;
    const r = await runCmd(echo, [], k);
    expect(r).toEqual({
      code: 3,
      stdout: '',
      stderr: "vnet-echo: the vnet module is not loaded (load it with 'modprobe vnet')\n",
    });
  });

  test.each([
    [['-c', '0'], /count must be from 1/],
    [['-c', 'many'], /count 'many' is not a number/],
    [['-i', '-1'], /interval/],
    [['-i', 'soon'], /interval 'soon' is not a number/],
    [['-s', '4097'], /size must be from 1 to 4096/],
    [['x'.repeat(4097)], /4097 bytes long; at most 4096/],
  ])('%p → 2, nothing sent', async (argv, msg) => {
    const k = standardKernel();
    const r = await runCmd(echo, argv, k);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(msg);
    expect(k.calls).toEqual([]);
  });
});
