import { run } from '../../src/commands/insanely';
import { FakeBinding, mutations, runCmd, sentMethods, standardKernel } from './harness';

function relayRequests(k: FakeBinding): string[] {
  return sentMethods(k)
    .filter((m) => ['setRelay', 'getRelay', 'genl.set', 'genl.get'].includes(m));
}

describe('insanely: show', () => {
  test("Rubini's lines, aligned as the original, the seed, and a sentence, from one netlink GET", async () => {
    const k = standardKernel();
    k.configure('vnet0', { slave: 'eth0', tx: { mode: 1, arg1: 80, arg2: 0 } });
    const r = await runCmd(run, [], k);
    expect(r).toEqual({
      code: 0,
      stdout:
        'slave:     eth0\n' +
        'mode:      percent\n' +
        'arguments: 80 0\n' +
        'seed:      7\n' +
        'rx mode:   pass\n' +
        'rx args:   0 0\n' +
        'rx seed:   8\n' +
        'vnet0 relays 80% of packets to eth0 (drops 20%)\n' +
        'vnet0 delivers everything it receives from eth0\n',
      stderr: '',
    });
    expect(relayRequests(k)).toEqual(['genl.get']);
    expect(mutations(k)).toEqual([]);
  });

  test('loopback mode and -i', async () => {
    const k = standardKernel();
    k.addVnet('vnet1', { seed: 3n, rx: { seed: 4n } });
    const r = await runCmd(run, ['-i', 'vnet1'], k);
    expect(r.stdout).toBe(
      'slave:     (none)\nmode:      pass\narguments: 0 0\nseed:      3\nrx mode:   pass\nrx args:   0 0\nrx seed:   4\n' +
        'vnet1 has no slave: it loops packets back (loopback mode)\n',
    );
  });

  test('--json, with both policies, the seeds and the slave\'s rp_filter', async () => {
    const k = standardKernel();
    k.configure('vnet0', { slave: 'eth0', tx: { mode: 2, arg1: 500, arg2: 1000 } });
    const r = await runCmd(run, ['-j'], k);
    expect(JSON.parse(r.stdout)).toEqual({
      ifname: 'vnet0',
      slave: 'eth0',
      mode: 'time',
      arg1: 500,
      arg2: 1000,
      arg3: 0,
      arg4: 0,
      seed: 7,
      rx: { mode: 'pass', arg1: 0, arg2: 0, arg3: 0, arg4: 0, seed: 8 },
      slave_rp_filter: 0,
    });
  });
});

describe('insanely: set, through netlink, saying what the kernel applied', () => {
  test.each([
    [['eth0', 'pass'], { slave: 'eth0', mode: 0, arg1: 0, arg2: 0 }, 'vnet0: relaying everything to eth0'],
    [
      ['eth0', 'percent', '80'],
      { slave: 'eth0', mode: 1, arg1: 80, arg2: 0 },
      'vnet0: relaying 80% of packets to eth0 (dropping 20%) (seed 1592655181)',
    ],
    [
      ['eth0', 'loss', '5'],
      { slave: 'eth0', mode: 1, arg1: 95, arg2: 0 },
      'vnet0: relaying 95% of packets to eth0 (dropping 5%) (seed 1592655181)',
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
    [['none'], { slave: '', mode: 0, arg1: 0, arg2: 0 }, 'vnet0: unchanged: no slave: looping packets back (loopback mode)'],
  ])('%p → %p', async (argv, info, said) => {
    const k = standardKernel();
    k.seedSource = () => 1592655181n; // the seed the "kernel" picks
    const r = await runCmd(run, argv, k);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(r.stdout).toBe(`${said}\n`);
    const { slave, mode, arg1, arg2 } = info;
    if (argv[0] === 'none') {
      expect(mutations(k)).toEqual([]); // already in loopback mode with pass 0 0
    } else {
      expect(mutations(k)).toEqual([{ method: 'genl.set', args: [{ dev: 'vnet0', mode, arg1, arg2, seed: undefined, slave }] }]);
    }
    expect(k.getRelay('vnet0')).toEqual(info);
  });

  test('modes are case-insensitive, as in the original', async () => {
    for (const argv of [['eth0', 'PERCENT', '80'], ['eth0', 'Loss', '20'], ['eth0', 'TIME', '5', '10'], ['eth0', 'Pass'], ['NONE']]) {
      const k = standardKernel();
      k.configure('vnet0', { slave: 'eth0', tx: { mode: 2, arg1: 1, arg2: 1 } });
      const r = await runCmd(run, argv, k);
      expect([argv, r.code, r.stderr]).toEqual([argv, 0, '']);
    }
  });

  test('--seed goes in the SET; the reply is what is shown', async () => {
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
    expect(relayRequests(k)).toEqual(['genl.get', 'genl.set']);
    expect(sentMethods(k)).toContain('genl.close');
    expect(k.openSocketCount()).toBe(0);
  });

  test('--json says what was applied, the seed exactly, and whether it changed', async () => {
    const k = standardKernel();
    const r = await runCmd(run, ['-j', '--seed', '9007199254740993', 'eth0', 'pass'], k);
    expect(r.stdout).toBe(
      '{"ifname":"vnet0","slave":"eth0","mode":"pass","arg1":0,"arg2":0,"arg3":0,"arg4":0,"seed":9007199254740993,"rx":{"mode":"pass","arg1":0,"arg2":0,"arg3":0,"arg4":0,"seed":8},"direction":"tx","changed":true}\n',
    );
  });

  test("'none pass' relays to a device named none", async () => {
    const k = standardKernel();
    k.addDevice('none');
    const r = await runCmd(run, ['none', 'pass'], k);
    expect(r.code).toBe(0);
    expect(k.getRelay('vnet0')).toEqual({ slave: 'none', mode: 0, arg1: 0, arg2: 0 });
  });

  test('-- ends options before a slave name starting with -', async () => {
    const k = standardKernel();
    k.addDevice('-odd');
    const r = await runCmd(run, ['--', '-odd', 'pass'], k);
    expect(r.code).toBe(0);
    expect(r.stdout).toBe('vnet0: relaying everything to -odd\n');
  });
});

describe('insanely: the same policy again is a no-op (configuration management)', () => {
  test('unchanged: nothing sent, the time phase and the PRNG stream go on, exit 0', async () => {
    const k = standardKernel();
    expect((await runCmd(run, ['--seed', '42', 'eth0', 'percent', '80'], k)).code).toBe(0);
    k.transmit('vnet0', 10); // the drop generator moves on
    const rng = k.device('vnet0').vnet!.tx.rng;
    k.clockMs += 1234;
    const phase = k.device('vnet0').vnet!.tx.phaseStartMs;
    k.clearCalls();
    for (const argv of [['eth0', 'percent', '80'], ['--seed', '42', 'eth0', 'PERCENT', '80'], ['eth0', 'loss', '20']]) {
      const r = await runCmd(run, argv, k);
      expect(r).toEqual({
        code: 0,
        stdout: 'vnet0: unchanged: relaying 80% of packets to eth0 (dropping 20%) (seed 42)\n',
        stderr: '',
      });
    }
    expect(mutations(k)).toEqual([]);
    expect(k.device('vnet0').vnet!.tx.rng).toBe(rng);
    expect(k.device('vnet0').vnet!.tx.phaseStartMs).toBe(phase);
    const j = await runCmd(run, ['-j', 'eth0', 'percent', '80'], k);
    expect(JSON.parse(j.stdout)).toMatchObject({ changed: false, seed: 42, arg1: 80 });
  });

  test('another seed, mode, argument or slave is a change', async () => {
    for (const argv of [
      ['--seed', '43', 'eth0', 'percent', '80'],
      ['eth0', 'percent', '81'],
      ['eth0', 'pass'],
      ['eth1', 'percent', '80'],
    ]) {
      const k = standardKernel();
      k.addDevice('eth1');
      await runCmd(run, ['--seed', '42', 'eth0', 'percent', '80'], k);
      k.clearCalls();
      const r = await runCmd(run, ['-j', ...argv], k);
      expect([argv, JSON.parse(r.stdout).changed, mutations(k).length]).toEqual([argv, true, 1]);
    }
  });

  test('--force sets it again: reseeds and restarts the time phase', async () => {
    const k = standardKernel();
    await runCmd(run, ['eth0', 'time', '50', '50'], k);
    k.clockMs += 700;
    k.clearCalls();
    const r = await runCmd(run, ['--force', 'eth0', 'time', '50', '50'], k);
    expect(r.stdout).toBe('vnet0: relaying to eth0 in time mode: relay 500 ms, drop 500 ms, repeating\n');
    expect(mutations(k).map((c) => c.method)).toEqual(['genl.set']);
    expect(k.device('vnet0').vnet!.tx.phaseStartMs).toBe(700);
  });
});

describe('insanely: strict reverse-path filtering on the slave', () => {
  const WARNING =
    'insanely: warning: eth0 has strict reverse-path filtering (rp_filter=1): replies from hosts routed through vnet0 arrive on eth0 and are dropped\n' +
    'insanely:   (use loose mode: sysctl -w net.ipv4.conf.eth0.rp_filter=2, and net.ipv4.conf.all.rp_filter must not be 1)\n';

  test.each([[['eth0', 'pass']], [[]], [['eth0', 'pass', '-j']]])('%p warns on stderr, output unchanged, exit 0', async (argv) => {
    const k = standardKernel();
    k.device('eth0').rpFilter = 1;
    if (argv.length === 0) k.configure('vnet0', { slave: 'eth0' });
    const r = await runCmd(run, argv, k);
    expect(r.code).toBe(0);
    expect(r.stderr).toBe(WARNING);
    expect(r.stdout).not.toContain('warning');
  });

  test('loose (2) or off (0): no warning; detached: no warning', async () => {
    for (const rp of [0, 2]) {
      const k = standardKernel();
      k.device('eth0').rpFilter = rp;
      expect((await runCmd(run, ['eth0', 'pass'], k)).stderr).toBe('');
    }
    const k = standardKernel();
    k.device('eth0').rpFilter = 1;
    expect((await runCmd(run, ['none'], k)).stderr).toBe('');
  });
});

describe('insanely: the default device (libvirt names its taps vnet0, vnet1...)', () => {
  test('the only vnet device, whatever its name; never a tap called vnet0', async () => {
    const k = new FakeBinding();
    k.addDevice('vnet0', { driver: 'tun' }); // libvirt's tap
    k.addDevice('eth0');
    k.addVnet('vnet1', { seed: 5n });
    const r = await runCmd(run, ['eth0', 'pass'], k);
    expect(r.code).toBe(0);
    expect(r.stdout).toBe('vnet1: relaying everything to eth0\n');
    expect(mutations(k)[0].args[0]).toMatchObject({ dev: 'vnet1' });
  });

  test('several vnet devices: an error naming them, exit 2, nothing changed', async () => {
    const k = standardKernel();
    k.addVnet('vtest');
    const r = await runCmd(run, ['eth0', 'pass'], k);
    expect(r.code).toBe(2);
    expect(r.stderr).toBe(
      "insanely: there are 2 vnet devices (vnet0, vtest): say which one\nTry 'insanely --help' for more information.\n",
    );
    expect(mutations(k)).toEqual([]);
  });

  test('no vnet device: exit 3 with the way to load the module', async () => {
    const k = new FakeBinding();
    k.addDevice('vnet0', { driver: 'tun' });
    const r = await runCmd(run, [], k);
    expect(r.code).toBe(3);
    expect(r.stderr).toBe("insanely: no vnet device exists: is the vnet module loaded? (load it with 'modprobe vnet')\n");
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
    expect(r.stderr).toBe('insanely: eth9: no such slave interface\nError: slave interface not found.\n');
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
    expect(r.stderr).toBe(
      'insanely: vnet0: cannot relay to itself or another vnet device\nError: cannot relay to itself or to another vnet device.\n',
    );
  });

  test('slave in a bridge → EBUSY → 1', async () => {
    const k = standardKernel();
    k.device('eth0').busy = true;
    const r = await runCmd(run, ['eth0', 'pass'], k);
    expect(r.code).toBe(1);
    expect(r.stderr.split('\n')[0]).toBe('insanely: eth0: the slave already belongs to a bridge, bond, macvlan or another driver');
  });

  test('EPERM → 4 and says CAP_NET_ADMIN', async () => {
    const k = standardKernel();
    k.privileged = false;
    const r = await runCmd(run, ['eth0', 'pass'], k);
    expect(r.code).toBe(4);
    expect(r.stderr).toMatch(/^insanely: vnet0: permission denied: this needs CAP_NET_ADMIN/);
  });

  test("the kernel's extack text is printed iproute2-style; the Ethernet hint when that is the cause", async () => {
    const k = standardKernel();
    k.addDevice('tun0', { type: 'none' });
    const r = await runCmd(run, ['tun0', 'pass'], k);
    expect(r.code).toBe(1);
    expect(r.stderr).toBe(
      'insanely: vnet0: the kernel refused the relay configuration: invalid argument (is tun0 an Ethernet device?)\n' +
        'Error: slave is not an Ethernet device.\n',
    );
  });

  test('an EINVAL for another reason (a slave MTU below 68) gets no Ethernet hint', async () => {
    const k = standardKernel();
    k.addDevice('d1', { mtu: 60 });
    k.injectError('genl.set', 'EINVAL', { extack: 'vnet: slave d1 has MTU 60, below the minimum of 68' });
    const r = await runCmd(run, ['d1', 'pass'], k);
    expect(r.code).toBe(1);
    expect(r.stderr).toBe(
      'insanely: vnet0: the kernel refused the relay configuration: invalid argument\n' +
        'Error: vnet: slave d1 has MTU 60, below the minimum of 68.\n',
    );
  });

  test("without extack text, the slave's link type decides the hint (read through netlink)", async () => {
    const k = standardKernel();
    k.addDevice('tun0', { type: 'none' });
    k.addDevice('d1', { mtu: 60 });
    k.injectError('genl.set', 'EINVAL', { times: 2 });
    const a = await runCmd(run, ['tun0', 'pass'], k);
    expect(a.stderr).toBe(
      'insanely: vnet0: the kernel refused the relay configuration: invalid argument (is tun0 an Ethernet device?)\n',
    );
    const b = await runCmd(run, ['d1', 'pass'], k);
    expect(b.stderr).toBe('insanely: vnet0: the kernel refused the relay configuration: invalid argument\n');
  });

  test('module not loaded (seed path) → 3 with the way to load it', async () => {
    const k = standardKernel();
    k.moduleLoaded = false;
    const r = await runCmd(run, ['--seed', '1', 'eth0', 'pass'], k);
    expect(r.code).toBe(3);
    expect(r.stderr).toBe("insanely: the vnet module is not loaded (load it with 'modprobe vnet')\n");
  });
});
