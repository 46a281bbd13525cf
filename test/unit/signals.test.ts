/*
 * Shell citizenship (issue 10 §1): Ctrl-C and SIGTERM stop the long
 * commands cleanly with their summary, an EINTR from the addon gives the
 * signal handler its turn, and a closed stdout (EPIPE) ends a command
 * quietly.
 */
import { run as echo } from '../../src/commands/vnet-echo';
import { run as monitor } from '../../src/commands/vnet-monitor';
import { run as vnetconfig } from '../../src/commands/vnetconfig';
import { FLOOD_TICK_REPLIES } from '../../src/echo-loop';
import { pipeSafe } from '../../src/stdio';
import { FakeSignals, runCmd, standardKernel, sysErr } from './harness';

describe('vnet-echo and signals, like ping', () => {
  test.each(['SIGINT', 'SIGTERM'] as const)('%s: stops, prints the summary, exit 0 when replies came back', async (sig) => {
    const k = standardKernel();
    const signals = new FakeSignals();
    // Ctrl-C while it waits for the next second, after the third reply
    const r = await runCmd(echo, ['-c', '100'], k, {
      signals,
      onSleep: () => {
        if (k.kernelCalls('echo.send').length === 3) signals.raise(sig);
      },
    });
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/seq=2 time/);
    expect(r.stdout).toContain('\n--- vnet_nl echo statistics ---\n3 sent, 3 received, 0% loss\n');
    expect(k.kernelCalls('echo.send')).toHaveLength(3);
    expect(k.clockMs).toBe(2000); // the sleep ended with the signal
    expect(signals.active).toBe(0); // the handler is gone: a second Ctrl-C kills
    expect(k.echoSockets[0].closed).toBe(true);
  });

  test('SIGINT before any reply: summary, exit 1 (ping)', async () => {
    const k = standardKernel();
    k.echoLose = () => true;
    const signals = new FakeSignals();
    let ticks = 0;
    const r = await runCmd(echo, ['-c', '5', '-j'], k, {
      signals,
      onTick: () => {
        if (++ticks === 2) signals.raise('SIGINT');
      },
    });
    expect(r.code).toBe(1);
    expect(JSON.parse(r.stdout)).toMatchObject({ sent: 1, received: 0, interrupted: 'SIGINT' });
    expect(k.clockMs).toBeLessThan(10_000); // did not sit out the 10 s timeout
  });

  test('an EINTR from the wait hands control back: the handler runs, the run ends at once', async () => {
    const k = standardKernel();
    k.echoLose = () => true;
    const signals = new FakeSignals();
    // the signal reaches the thread waiting in poll(): the addon says EINTR
    k.injectError('echo.receive', sysErr('EINTR', 'poll'));
    let ticks = 0;
    const r = await runCmd(echo, ['-q', '-c', '1'], k, {
      signals,
      onTick: () => {
        ticks++;
        signals.raise('SIGINT'); // Node runs the handler on the loop turn
      },
    });
    expect(r.code).toBe(1);
    expect(r.stdout).toBe('\n--- vnet_nl echo statistics ---\n1 sent, 0 received, 100% loss\n');
    expect(ticks).toBe(1);
    expect(k.clockMs).toBe(0); // no time spent waiting
  });

  test('-f: the loop takes regular turns so that Ctrl-C is seen even when replies never stop; in flight at the stop = lost', async () => {
    const k = standardKernel();
    const signals = new FakeSignals();
    let sentWhenSignalled = 0;
    k.onEchoSend = (seq) => {
      if (seq === 500) signals.send('SIGINT'); // handled at the next loop turn only
      sentWhenSignalled = seq;
    };
    const r = await runCmd(echo, ['-f', '-q'], k, { signals });
    expect(r.code).toBe(0);
    expect(sentWhenSignalled).toBeGreaterThanOrEqual(500);
    // seen at the next turn: within FLOOD_TICK_REPLIES replies (and a window)
    expect(sentWhenSignalled).toBeLessThan(500 + FLOOD_TICK_REPLIES + 16);
    const m = /\n(\d+) sent, (\d+) received/.exec(r.stdout)!;
    expect(Number(m[1])).toBe(sentWhenSignalled);
    expect(Number(m[2])).toBeGreaterThanOrEqual(sentWhenSignalled - 16); // those in flight are lost
    expect(Number(m[2])).toBeLessThanOrEqual(sentWhenSignalled); // (a turn comes after a batch's replies)
  });
});

describe('EPIPE: the reader of stdout went away', () => {
  test('vnet-echo -c 50 | head -1: stops sending, no crash, exit 0', async () => {
    const k = standardKernel();
    const r = await runCmd(echo, ['-c', '50', '-i', '0.1'], k, { stdoutCloseAfter: 1 });
    expect(r.code).toBe(0);
    expect(r.stderr).toBe('');
    expect(r.stdout.split('\n')[0]).toMatch(/^11 bytes from vnet_nl: seq=1 /);
    expect(k.kernelCalls('echo.send').length).toBeLessThanOrEqual(2);
  });

  test('vnetconfig -a | head -1: the rest is dropped quietly, exit 0', async () => {
    const k = standardKernel();
    k.addVnet('vnet1');
    const r = await runCmd(vnetconfig, ['-a'], k, { stdoutCloseAfter: 1 });
    expect(r.code).toBe(0);
    expect(r.stderr).toBe('');
    expect(r.dropped).toBe(1);
  });

  test("pipeSafe: a Node stream's EPIPE error event closes it instead of crashing", () => {
    const listeners: ((e: Error) => void)[] = [];
    const written: string[] = [];
    const stream = {
      isTTY: false,
      write: (c: string) => {
        written.push(c);
        return true;
      },
      on: (_ev: 'error', fn: (e: Error) => void) => listeners.push(fn),
    };
    const out = pipeSafe(stream);
    expect(listeners).toHaveLength(1); // an 'error' listener: Node will not throw
    out.write('a');
    listeners[0](Object.assign(new Error('write EPIPE'), { code: 'EPIPE' }));
    expect(out.closed).toBe(true);
    out.write('b');
    expect(written).toEqual(['a']);
  });
});

describe('vnet-monitor', () => {
  /** A kernel whose vnet0 changes on the command's loop turns, once per `steps` entry. */
  function busy(steps: ((k: ReturnType<typeof standardKernel>) => void)[]): {
    k: ReturnType<typeof standardKernel>;
    onTick: () => void;
  } {
    const k = standardKernel();
    const todo = [...steps];
    return { k, onTick: () => todo.shift()?.(k) };
  }

  const CHANGES = [
    (k: ReturnType<typeof standardKernel>) => k.setRelay('vnet0', { slave: 'eth0', mode: 1, arg1: 80, arg2: 0 }),
    (k: ReturnType<typeof standardKernel>) => k.resetStats('vnet0'),
    (k: ReturnType<typeof standardKernel>) => k.removeDevice('eth0'),
  ];

  test('one line per event, as it happens; -c COUNT ends it, exit 0', async () => {
    const { k, onTick } = busy(CHANGES);
    k.seedSource = () => 99n;
    const r = await runCmd(monitor, ['-c', '3'], k, { onTick });
    expect(r).toEqual({
      code: 0,
      stdout:
        'vnet0: config: relay mode percent  arguments 80 0  slave eth0  seed 99\n' +
        'vnet0: statistics reset\n' +
        'vnet0: slave lost: the slave was unregistered; relay mode percent  arguments 80 0  no slave (loopback)  seed 99\n',
      stderr: '',
    });
    expect(k.openSocketCount()).toBe(0);
  });

  test('-j: NDJSON, one object per line, exact 64-bit counters', async () => {
    const { k, onTick } = busy(CHANGES);
    k.setVnetStats('vnet0', { tx_bytes: 18446744073709551615n });
    const r = await runCmd(monitor, ['-j', '-c', '1'], k, { onTick });
    expect(r.stdout.split('\n')).toHaveLength(2);
    expect(r.stdout).toContain('"tx_bytes":18446744073709551615');
    expect(JSON.parse(r.stdout)).toMatchObject({ event: 'config', ifname: 'vnet0', mode: 'percent', arg1: 80, slave: 'eth0' });
  });

  test('DEV...: only those devices', async () => {
    const { k, onTick } = busy([
      (x) => x.resetStats('vnet1'),
      (x) => x.resetStats('vnet0'),
    ]);
    k.addVnet('vnet1');
    const r = await runCmd(monitor, ['-c', '1', 'vnet0'], k, { onTick });
    expect(r.stdout).toBe('vnet0: statistics reset\n');
  });

  test.each(['SIGINT', 'SIGTERM'] as const)('%s ends it cleanly: exit 0, socket closed', async (sig) => {
    const signals = new FakeSignals();
    const { k, onTick } = busy([CHANGES[0], () => signals.send(sig)]);
    const r = await runCmd(monitor, [], k, { onTick, signals });
    expect(r.code).toBe(0);
    expect(r.stdout.split('\n')).toHaveLength(2);
    expect(signals.active).toBe(0);
    expect(k.openSocketCount()).toBe(0);
  });

  test('an EINTR from the wait: the handler gets its turn at once', async () => {
    const signals = new FakeSignals();
    const k = standardKernel();
    k.injectError('genl.nextEvent', sysErr('EINTR', 'poll'));
    signals.send('SIGINT');
    const r = await runCmd(monitor, [], k, { signals });
    expect(r).toEqual({ code: 0, stdout: '', stderr: '' });
    expect(k.clockMs).toBe(0); // never sat in a wait
  });

  test('a closed stdout (vnet-monitor | head -1) ends it quietly, exit 0', async () => {
    const { k, onTick } = busy([...CHANGES]);
    k.seedSource = () => 5n;
    const r = await runCmd(monitor, [], k, { onTick, stdoutCloseAfter: 1 });
    expect(r).toEqual({ code: 0, stdout: 'vnet0: config: relay mode percent  arguments 80 0  slave eth0  seed 5\n', stderr: '' });
    expect(k.openSocketCount()).toBe(0);
  });

  test('lost events (ENOBUFS) are reported and it goes on', async () => {
    const { k, onTick } = busy([CHANGES[1]]);
    k.injectError('genl.nextEvent', 'ENOBUFS', { syscall: 'recvmsg(AF_NETLINK)' });
    const r = await runCmd(monitor, ['-c', '1'], k, { onTick });
    expect(r.code).toBe(0);
    expect(r.stderr).toBe('vnet-monitor: events were lost (recvmsg(AF_NETLINK): no buffer space available)\n');
    expect(r.stdout).toBe('vnet0: statistics reset\n');
  });

  test('module not loaded → 3', async () => {
    const k = standardKernel();
    k.moduleLoaded = false;
    const r = await runCmd(monitor, [], k);
    expect(r).toEqual({ code: 3, stdout: '', stderr: "vnet-monitor: the vnet module is not loaded (load it with 'modprobe vnet')\n" });
  });
});
