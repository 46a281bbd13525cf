import { run as reset } from '../../src/commands/vnet-reset-stats';
import { fillTo, padPattern, run as echo } from '../../src/commands/vnet-echo';
import { FLOOD_TICK_REPLIES } from '../../src/echo-loop';
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
    k.echoLatency = () => 0.045;
    const r = await runCmd(echo, [], k);
    expect(r).toEqual({
      code: 0,
      stdout:
        '11 bytes from vnet_nl: seq=1 time=0.045 ms "hello, vnet"\n' +
        '\n--- vnet_nl echo statistics ---\n' +
        '1 sent, 1 received, 0% loss\n' +
        'rtt min/avg/max/mdev = 0.045/0.045/0.045/0.000 ms\n',
      stderr: '',
    });
    expect(k.kernelCalls('echo.send').map((c) => c.args)).toEqual([['hello, vnet']]);
    expect(k.echoSockets[0].closed).toBe(true);
  });

  test('-c and -i: COUNT echoes, one every INTERVAL (fractional), as ping', async () => {
    const k = standardKernel();
    k.echoLatency = (seq) => seq; // 1, 2, 3 ms
    const sentAt: number[] = [];
    k.onEchoSend = () => sentAt.push(k.clockMs);
    const r = await runCmd(echo, ['-c', '3', '-i', '0.2', 'hi', 'there'], k);
    expect(r.code).toBe(0);
    expect(sentAt).toEqual([0, 200, 400]);
    expect(r.stdout).toContain('8 bytes from vnet_nl: seq=3 time=3.000 ms "hi there"\n');
    expect(r.stdout).toContain('3 sent, 3 received, 0% loss\n');
    expect(r.stdout).toContain('rtt min/avg/max/mdev = 1.000/2.000/3.000/0.816 ms\n');
  });

  test('-j: the results as one JSON object', async () => {
    const k = standardKernel();
    k.echoLatency = (seq) => seq;
    const r = await runCmd(echo, ['-c', '3', '-j'], k);
    const j = JSON.parse(r.stdout);
    expect(j).toMatchObject({ family: 'vnet_nl', sent: 3, received: 3, loss_percent: 0 });
    expect(j.rtt).toEqual({ min: 1, avg: 2, max: 3, mdev: 0.816 });
    expect(j.replies.map((x: { seq: number }) => x.seq)).toEqual([1, 2, 3]);
  });

  test('-s SIZE sends exactly SIZE bytes of a pattern; long echoes are cut', async () => {
    const k = standardKernel();
    const r = await runCmd(echo, ['-s', '4096'], k);
    const sent = k.calls.find((c) => c.method === 'echo.send')!.args[0] as string;
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

  test('a mismatched echo is not a reply: none came back → exit 1', async () => {
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

  test("ping's exit rule: a failed request is lost, the rest go on; exit 0 when any reply came back", async () => {
    const k = standardKernel();
    k.echoError = (seq) => (seq === 1 ? sysErr('ENOMEM', 'genl VNET_CMD_ECHO') : undefined);
    const r = await runCmd(echo, ['-c', '3', '-i', '0', '-j'], k);
    expect(r.code).toBe(0);
    expect(r.stderr).toBe('vnet-echo: seq=1: genl VNET_CMD_ECHO: cannot allocate memory\n');
    const j = JSON.parse(r.stdout);
    expect(j).toMatchObject({ family: 'vnet_nl', sent: 3, received: 2 });
    expect(j.loss_percent).toBeCloseTo(33.333, 2);
  });

  test('-W TIMEOUT: an unanswered request is given up after TIMEOUT; all lost → exit 1', async () => {
    const k = standardKernel();
    k.echoLose = () => true;
    const r = await runCmd(echo, ['-c', '2', '-i', '0.5', '-W', '1.5'], k);
    expect(r.code).toBe(1);
    expect(r.stdout).toBe('\n--- vnet_nl echo statistics ---\n2 sent, 0 received, 100% loss\n');
    expect(k.clockMs).toBe(2000); // the second, sent at 0.5 s, waited for until 2 s
  });

  test('some lost without -w → exit 0 (ping); -w DEADLINE with fewer than COUNT replies → exit 1', async () => {
    const k = standardKernel();
    k.echoLose = (seq) => seq === 2;
    const a = await runCmd(echo, ['-q', '-c', '3', '-i', '0', '-W', '1'], k);
    expect(a.code).toBe(0);
    expect(a.stdout).toContain('3 sent, 2 received, 33.3333% loss\n');
    const k2 = standardKernel();
    k2.echoLose = (seq) => seq >= 2;
    const b = await runCmd(echo, ['-q', '-c', '3', '-w', '2.5', '-W', '1'], k2);
    expect(b.code).toBe(1);
    expect(b.stdout).toContain('3 sent, 1 received, 66.6667% loss\n');
    expect(k2.clockMs).toBe(2500);
  });

  test('-w DEADLINE without -c: one a second until the deadline; with -c: stops at COUNT replies', async () => {
    const k = standardKernel();
    const r = await runCmd(echo, ['-q', '-w', '3.5'], k);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('4 sent, 4 received, 0% loss\n');
    expect(k.clockMs).toBe(3500);
    const k2 = standardKernel();
    k2.echoLose = (seq) => seq === 1;
    const r2 = await runCmd(echo, ['-q', '-c', '2', '-w', '10', '-W', '0.5'], k2);
    expect(r2.code).toBe(0);
    expect(r2.stdout).toContain('3 sent, 2 received, 33.3333% loss\n');
  });

  test('-q prints only the summary', async () => {
    const r = await runCmd(echo, ['-q', '-c', '2', '-i', '0'], standardKernel());
    expect(r.stdout).toBe(
      '\n--- vnet_nl echo statistics ---\n2 sent, 2 received, 0% loss\nrtt min/avg/max/mdev = 0.000/0.000/0.000/0.000 ms\n',
    );
  });

  test('-f floods: several requests in flight, a dot per request and a backspace per reply', async () => {
    const k = standardKernel();
    k.echoLose = (seq) => seq % 10 === 0;
    const r = await runCmd(echo, ['-f', '-c', '100', '-W', '0.01'], k);
    expect(r.code).toBe(0);
    expect(k.echoSockets[0].maxInflight).toBe(16);
    const [marks] = r.stdout.split('\n');
    expect(marks.replace(/[.\b]/g, '')).toBe('');
    expect(marks.split('.').length - 1).toBe(100);
    expect(marks.split('\b').length - 1).toBe(90);
    expect(r.stdout).toContain('\n--- vnet_nl echo statistics ---\n100 sent, 90 received, 10% loss\n');
  });

  test('-f runs its round trips in the addon: a flood step per 1024 requests, no per-reply call, the window kept full', async () => {
    const k = standardKernel();
    const r = await runCmd(echo, ['-f', '-q', '-c', '3000'], k);
    expect(r.stdout).toContain('\n3000 sent, 3000 received, 0% loss\n');
    expect(k.kernelCalls('echo.receive')).toEqual([]);
    const steps = k.kernelCalls('echo.flood');
    expect(FLOOD_TICK_REPLIES).toBe(1024);
    expect(steps.length).toBe(3);
    expect(steps[0].args[1]).toMatchObject({ window: 16, budget: 3000, maxReplies: 1024, details: false });
    expect(steps.at(-1)?.args[1]).toMatchObject({ budget: 3000 - 2 * 1024 });
    expect(k.echoSockets[0].maxInflight).toBe(16);
  });

  test('-f -j: each reply with its number and time, failures by number, from the flood steps', async () => {
    const k = standardKernel();
    k.echoLatency = () => 2;
    k.echoError = (seq) => (seq === 5 ? sysErr('EINVAL', 'genl VNET_CMD_ECHO', { extack: 'bad' }) : undefined);
    k.echoLose = (seq) => seq === 7;
    const r = await runCmd(echo, ['-f', '-j', '-c', '10', '-W', '0.05'], k);
    expect(r.code).toBe(0);
    const j = JSON.parse(r.stdout);
    expect(j).toMatchObject({ sent: 10, received: 8, loss_percent: 20 });
    expect(j.replies.map((x: { seq: number }) => x.seq).sort((a: number, b: number) => a - b)).toEqual([1, 2, 3, 4, 5, 6, 8, 9, 10]);
    expect(j.replies.find((x: { seq: number }) => x.seq === 5)).toEqual({ seq: 5, error: 'genl VNET_CMD_ECHO: invalid argument' });
    expect(j.replies.filter((x: { time_ms?: number }) => x.time_ms !== undefined).every((x: { time_ms: number }) => x.time_ms >= 2)).toBe(true);
    expect(r.stderr).toMatch(/seq=5: .*invalid argument/);
  });

  test('-f -w 1: floods until the deadline, then the summary', async () => {
    const k = standardKernel();
    k.echoLatency = () => 1; // 1 ms of fake time per reply
    const r = await runCmd(echo, ['-f', '-q', '-w', '1'], k);
    expect(r.code).toBe(0);
    const m = /(\d+) sent, (\d+) received/.exec(r.stdout);
    expect(m).not.toBeNull();
    expect(Number(m![2])).toBeGreaterThanOrEqual(990);
    expect(Number(m![2])).toBeLessThanOrEqual(1000 + 16); // the last step takes the window's replies
    for (const c of k.kernelCalls('echo.flood')) expect((c.args[1] as { maxMs: number }).maxMs).toBeLessThanOrEqual(20);
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
    [['-W', '0'], /timeout must be from 0.001/],
    [['-W', 'soon'], /timeout 'soon' is not a number of seconds/],
    [['-w', '-3'], /deadline/],
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
