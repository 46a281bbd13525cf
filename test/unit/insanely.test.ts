import { run } from '../../src/commands/insanely';
import { FakeBinding, mutations, runCmd, sentMethods, standardKernel, sysErr } from './harness';

function relayRequests(k: FakeBinding): string[] {
  return sentMethods(k)
    .filter((m) => ['setRelay', 'getRelay', 'genl.set', 'genl.get'].includes(m));
}

describe('insanely: show', () => {
  test("Rubini's lines and a sentence, from one GET ioctl", async () => {
    const k = standardKernel();
    k.device('vnet0').vnet!.relay = { slave: 'eth0', mode: 1, arg1: 80, arg2: 0 };
    const r = await runCmd(run, [], k);
    expect(r).toEqual({
      code: 0,
      stdout: 'slave: eth0\nmode: percent\narguments: 80 0\nvnet0 relays 80% of packets to eth0 (drops 20%)\n',
      stderr: '',
    });
    expect(relayRequests(k)).toEqual(['getRelay']);
    expect(mutations(k)).toEqual([]);
  });

  test('loopback mode and -i', async () => {
    const k = standardKernel();
    k.addVnet('vnet1');
    const r = await runCmd(run, ['-i', 'vnet1'], k);
    expect(r.stdout).toBe(
      'slave: (none)\nmode: pass\narguments: 0 0\nvnet1 has no slave: it loops packets back (loopback mode)\n',
    );
  });

  test('--json', async () => {
    const k = standardKernel();
    k.device('vnet0').vnet!.relay = { slave: 'eth0', mode: 2, arg1: 500, arg2: 1000 };
    const r = await runCmd(run, ['-j'], k);
    expect(JSON.parse(r.stdout)).toEqual({ ifname: 'vnet0', slave: 'eth0', mode: 'time', arg1: 500, arg2: 1000 });
  });
});

describe('insanely: set, one request each', () => {
  test.each([
    [['eth0', 'pass'], { slave: 'eth0', mode: 0, arg1: 0, arg2: 0 }, 'vnet0: relaying everything to eth0'],
    [
      ['eth0', 'percent', '80'],
      { slave: 'eth0', mode: 1, arg1: 80, arg2: 0 },
      'vnet0: relaying 80% of packets to eth0 (dropping 20%)',
    ],
    [
      ['eth0', 'loss', '5'],
      { slave: 'eth0', mode: 1, arg1: 95, arg2: 0 },
      'vnet0: relaying 95% of packets to eth0 (dropping 5%)',
    ],
    [
      ['eth0', 'time', '50', '100'],
      { slave: 'eth0', mode: 2, arg1: 500, arg2: 1000 },
      'vnet0: relaying to eth0 in time mode: relay 500 ms, drop 1 s, repeating',
    ],
    [
      ['eth0', 'time', '200ms', '1.5s'],
      { slave: 'eth0', mode: 2, arg1: 200, arg2: 1500 },
      'vnet0: relaying to eth0 in time mode: relay 200 ms, drop 1.5 s, repeating',
    ],
    [['none'], { slave: '', mode: 0, arg1: 0, arg2: 0 }, 'vnet0: slave detached: looping packets back (loopback mode)'],
  ])('%p → SIOCDEVPRIVATE SET %p', async (argv, info, said) => {
    const k = standardKernel();
    const r = await runCmd(run, argv, k);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(r.stdout).toBe(`${said}\n`);
    expect(mutations(k)).toEqual([{ method: 'setRelay', args: ['vnet0', info] }]);
    expect(relayRequests(k)).toEqual(['setRelay']);
  });

  test('--seed goes in a single netlink SET carrying everything, never the ioctl', async () => {
    const k = standardKernel();
    const r = await runCmd(run, ['--seed', '18446744073709551615', '-i', 'vnet0', 'eth0', 'loss', '30'], k);
    expect(r.code).toBe(0);
    expect(r.stdout).toBe('vnet0: relaying 70% of packets to eth0 (dropping 30%) (seed 18446744073709551615)\n');
    expect(mutations(k)).toEqual([
      {
        method: 'genl.set',
        args: [{ dev: 'vnet0', mode: 1, arg1: 70, arg2: 0, seed: 18446744073709551615n, slave: 'eth0' }],
      },
    ]);
    expect(relayRequests(k)).toEqual(['genl.set']);
    expect(sentMethods(k)).toContain('genl.close');
    expect(k.openSocketCount()).toBe(0);
  });

  test('--seed with --json writes the seed exactly', async () => {
    const k = standardKernel();
    const r = await runCmd(run, ['-j', '--seed', '9007199254740993', 'eth0', 'pass'], k);
    expect(r.stdout).toBe(
      '{"ifname":"vnet0","slave":"eth0","mode":"pass","arg1":0,"arg2":0,"seed":9007199254740993}\n',
    );
  });

  test("'none pass' relays to a device named none", async () => {
    const k = standardKernel();
    k.addDevice('none');
    const r = await runCmd(run, ['none', 'pass'], k);
    expect(r.code).toBe(0);
    expect(mutations(k)[0].args[1]).toEqual({ slave: 'none', mode: 0, arg1: 0, arg2: 0 });
  });

  test('-- ends options before a slave name starting with -', async () => {
    const k = standardKernel();
    k.addDevice('-odd');
    const r = await runCmd(run, ['--', '-odd', 'pass'], k);
    expect(r.code).toBe(0);
    expect(r.stdout).toBe('vnet0: relaying everything to -odd\n');
  });
});

describe('insanely: bad input changes nothing (exit 2)', () => {
  test.each([
    [['eth0'], /missing mode after 'eth0'/],
    [['eth0', 'percent'], /needs the percentage/],
    [['eth0', 'percent', '101'], /from 0 to 100/],
    [['eth0', 'percent', '-1'], /whole number from 0 to 100/],
    [['eth0', 'percent', 'x'], /not a number/],
    [['eth0', 'loss', '12.5'], /whole number/],
    [['eth0', 'time', '50'], /needs two durations/],
    [['eth0', 'time', '0', '10'], /at least 1 ms/],
    [['eth0', 'time', '-5', '10'], /not a duration/],
    [['eth0', 'time', '50', '100', '7'], /unexpected argument '7'/],
    [['eth0', 'pass', 'extra'], /unexpected argument 'extra'/],
    [['eth0', 'drop', '5'], /unknown mode 'drop'/],
    [['averyveryverylongname', 'pass'], /too long \(21 bytes; at most 15\)/],
    [['-i', 'averyveryverylongname'], /too long/],
    [['--seed', '5'], /--seed needs a mode/],
    [['--seed', '5', 'none'], /--seed makes no sense/],
    [['--seed', 'abc', 'eth0', 'pass'], /seed 'abc' is not a number/],
    [['--seed', '18446744073709551616', 'eth0', 'pass'], /64 bits/],
    [['--bogus'], /unknown option '--bogus'/],
    [['--color=sometimes'], /invalid/],
  ])('%p', async (argv, msg) => {
    const k = standardKernel();
    const r = await runCmd(run, argv, k);
    expect(r.code).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr).toMatch(msg);
    expect(r.stderr).toMatch(/^insanely: /);
    expect(r.stderr.endsWith("Try 'insanely --help' for more information.\n")).toBe(true);
    expect(k.calls).toEqual([]); // not even a read: rejected before the binding is touched
  });
});

describe('insanely: kernel errors map to exit codes', () => {
  test('no such slave → 3', async () => {
    const k = standardKernel();
    const r = await runCmd(run, ['eth9', 'pass'], k);
    expect(r.code).toBe(3);
    expect(r.stderr).toBe('insanely: eth9: no such slave interface\n');
  });

  test('no such vnet device → 3, nothing sent', async () => {
    const k = standardKernel();
    const r = await runCmd(run, ['-i', 'vnet7', 'eth0', 'pass'], k);
    expect(r.code).toBe(3);
    expect(r.stderr).toBe('insanely: vnet7: no such device\n');
    expect(mutations(k)).toEqual([]);
  });

  test('not a vnet device → 3, no private ioctl sent to another driver', async () => {
    const k = standardKernel();
    const r = await runCmd(run, ['-i', 'eth0', 'vnet0', 'pass'], k);
    expect(r.code).toBe(3);
    expect(r.stderr).toBe("insanely: eth0: not a vnet device (its driver is 'e1000')\n");
    expect(relayRequests(k)).toEqual([]);
  });

  test('relay to itself or another vnet → ELOOP → 1', async () => {
    const k = standardKernel();
    const r = await runCmd(run, ['vnet0', 'pass'], k);
    expect(r.code).toBe(1);
    expect(r.stderr).toBe('insanely: vnet0: cannot relay to itself or another vnet device\n');
  });

  test('slave in a bridge → EBUSY → 1', async () => {
    const k = standardKernel();
    k.device('eth0').busy = true;
    const r = await runCmd(run, ['eth0', 'pass'], k);
    expect(r.code).toBe(1);
    expect(r.stderr).toBe('insanely: eth0: the slave already belongs to a bridge, bond, macvlan or vnet\n');
  });

  test('EPERM → 4 and says CAP_NET_ADMIN', async () => {
    const k = standardKernel();
    k.privileged = false;
    const r = await runCmd(run, ['eth0', 'pass'], k);
    expect(r.code).toBe(4);
    expect(r.stderr).toMatch(/^insanely: vnet0: permission denied: this needs CAP_NET_ADMIN/);
  });

  test("the kernel's extack text is printed iproute2-style", async () => {
    const k = standardKernel();
    k.failNext.set('genl.set', sysErr('EINVAL', 'sendmsg', { extack: 'slave is not an Ethernet device' }));
    const r = await runCmd(run, ['--seed', '1', 'eth0', 'pass'], k);
    expect(r.code).toBe(1);
    expect(r.stderr).toBe(
      'insanely: vnet0: the kernel refused the relay configuration: invalid argument (is eth0 an Ethernet device?)\n' +
        'Error: slave is not an Ethernet device.\n',
    );
  });

  test('module not loaded (seed path) → 3 with the way to load it', async () => {
    const k = standardKernel();
    k.moduleLoaded = false;
    const r = await runCmd(run, ['--seed', '1', 'eth0', 'pass'], k);
    expect(r.code).toBe(3);
    expect(r.stderr).toBe("insanely: the vnet module is not loaded (load it with 'modprobe vnet')\n");
  });
});
