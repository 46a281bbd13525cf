/*
 * The receive policy, gemodel and auto-revert as the other commands and
 * the pure helpers show them: vnet-monitor's REVERTED events, vnetconfig's
 * receive line, drop reasons and JSON, the gemodel formulas, and the
 * parsers of gemodel's percentages and --for.
 */
import { run as monitor } from '../../src/commands/vnet-monitor';
import { run as vnetconfig } from '../../src/commands/vnetconfig';
import { ABI } from '../../src/abi';
import { UsageError } from '../../src/errors';
import { formatLeft, gemodelSummary, lossText, ppmText } from '../../src/format/policy';
import { gemodelNumbers } from '../../src/gemodel';
import { parsePpmPercent, parseRevertDuration } from '../../src/parse';
import { runCmd, standardKernel } from './harness';
import { vnetState } from './states';

describe('vnet-monitor: auto-revert events', () => {
  /** vnet0 relaying to eth0, both directions at percent 0 for 1 s (seeds 5, and 6 for the receive policy). */
  function reverting(): ReturnType<typeof standardKernel> {
    const k = standardKernel();
    const g = k.openGenl();
    g.set({ dev: 'vnet0', mode: 1, arg1: 0, arg2: 0, seed: 5n, slave: 'eth0', direction: ABI.VNET_DIR_BOTH, revertMs: 1000 });
    g.close();
    k.seedSource = () => 9n; // the pass policies' seeds
    return k;
  }

  test('a line per direction that went back to pass, with both policies after it', async () => {
    const r = await runCmd(monitor, ['-c', '2'], reverting());
    expect(r).toEqual({
      code: 0,
      stdout:
        'vnet0: reverted: the transmit policy went back to pass (auto-revert); relay mode pass  arguments 0 0  slave eth0  seed 9; ' +
        'receive mode percent  arguments 0 0  seed 6  revert in 1 ms\n' +
        'vnet0: reverted: the receive policy went back to pass (auto-revert); relay mode pass  arguments 0 0  slave eth0  seed 9; ' +
        'receive mode pass  arguments 0 0  seed 9\n',
      stderr: '',
    });
  });

  test('-j: "event": "reverted" with the direction; config events carry both policies', async () => {
    const r = await runCmd(monitor, ['-j', '-c', '2'], reverting());
    const [a, b] = r.stdout.trim().split('\n').map((l) => JSON.parse(l));
    expect(a).toMatchObject({ event: 'reverted', direction: 'tx', ifname: 'vnet0', slave: 'eth0', mode: 'pass', rx: { mode: 'percent', revert_ms: 1 } }); // due: the kernel says 1 ms
    expect(b).toMatchObject({ event: 'reverted', direction: 'rx', rx: { mode: 'pass' } });
    expect(b.rx).not.toHaveProperty('revert_ms');
    expect(Object.keys(a.stats)).toContain('rx_drop_gemodel');
  });
});

describe('vnetconfig: the receive policy and the new drop reasons', () => {
  function relaying(): ReturnType<typeof standardKernel> {
    const k = standardKernel();
    const g = k.openGenl();
    g.set({ dev: 'vnet0', mode: 3, arg1: 10000, arg2: 200000, seed: 1n, slave: 'eth0' });
    g.set({ dev: 'vnet0', mode: 1, arg1: 0, arg2: 0, seed: 2n, direction: ABI.VNET_DIR_RX, revertMs: 30000 });
    g.close();
    k.receive('vnet0', 4);
    k.setVnetStats('vnet0', { tx_drop_gemodel: 3n, tx_dropped: 3n, rx_drop_delivery: 1n, rx_dropped: 5n, slave_lost: 2n });
    return k;
  }

  test('-d: the relay line with gemodel\'s four arguments, the receive line, drops per reason in both directions', async () => {
    const r = await runCmd(vnetconfig, ['-d', 'vnet0'], relaying());
    expect(r.stdout).toContain(
      '        relay mode gemodel  arguments 10000 200000 1000000 0  slave eth0  seed 1\n' +
        '        receive mode percent  arguments 0 0  seed 2  revert in 30 s\n',
    );
    expect(r.stdout).toContain(
      '        TX drops 3  percent 0  time 0  gemodel 3  no_slave 0  slave 0\n' +
        '        RX drops 5  percent 4  time 0  gemodel 0  delivery 1\n' +
        '        slave_lost 2\n',
    );
  });

  test('-j -d: linkinfo with both policies and every counter under its ethtool name', async () => {
    const [d] = JSON.parse((await runCmd(vnetconfig, ['-j', '-d', 'vnet0'], relaying())).stdout);
    expect(d.linkinfo.info_data).toMatchObject({
      mode: 'gemodel',
      arg1: 10000,
      arg2: 200000,
      arg3: 1000000,
      arg4: 0,
      expected_loss: 0.047619,
      mean_burst: 5,
      rx: { mode: 'percent', arg1: 0, seed: 2, revert_ms: 30000 },
      slave: 'eth0',
    });
    expect(d.linkinfo.info_data.stats).toMatchObject({ rx_drop_percent: 4, rx_drop_delivery: 1, rx_dropped: 5, tx_drop_gemodel: 3, slave_lost: 2 });
  });
});

describe('gemodel in numbers', () => {
  test('loss = (1-k)·r/(p+r) + (1-h)·p/(p+r); mean burst 1/r when 1-h = 100%, 1-k = 0', () => {
    const n = gemodelNumbers(10000, 200000, 1000000, 0);
    expect(n.loss).toBeCloseTo(0.01 / 0.21, 12);
    expect(n.meanBurst).toBeCloseTo(5, 12);
    const m = gemodelNumbers(50000, 300000, 600000, 20000);
    expect(m.loss).toBeCloseTo(0.02 * (0.3 / 0.35) + 0.6 * (0.05 / 0.35), 12);
    expect(m.meanBurst).toBeUndefined();
  });

  test('edges: p = 0 stays good (loss 1-k, no bursts); r = 0 ends bad (loss 1-h, bursts unbounded)', () => {
    expect(gemodelNumbers(0, 0, 1000000, 30000)).toEqual({ loss: 0.03 });
    expect(gemodelNumbers(0, 500000, 1000000, 0)).toEqual({ loss: 0 });
    expect(gemodelNumbers(1, 0, 1000000, 0)).toEqual({ loss: 1, meanBurst: Infinity });
    expect(gemodelNumbers(1, 0, 700000, 0)).toEqual({ loss: 0.7 });
  });

  test('words: exact percentages, three significant digits, the time left', () => {
    expect([ppmText(10000), ppmText(5000), ppmText(1), ppmText(1000000), ppmText(0)]).toEqual(['1%', '0.5%', '0.0001%', '100%', '0%']);
    expect([lossText(0.047619), lossText(1), lossText(0.00012345), lossText(0)]).toEqual(['4.76%', '100%', '0.0123%', '0%']);
    expect(gemodelSummary(vnetState({ mode: 3, arg1: 10000, arg2: 300000, arg3: 1000000 }))).toBe('expected loss 3.23%, mean burst 3.33 frames');
    expect([formatLeft(1), formatLeft(999), formatLeft(1000), formatLeft(25312), formatLeft(30000)]).toEqual(['1 ms', '999 ms', '1 s', '25.4 s', '30 s']);
  });
});

describe('parsers', () => {
  test.each([
    ['1', 10000],
    ['20%', 200000],
    ['0.5', 5000],
    ['.25', 2500],
    ['100', 1000000],
    ['0.0001', 1],
    ['12.50000', 125000],
    ['0', 0],
  ])('gemodel percentage %p = %d ppm', (text, ppm) => {
    expect(parsePpmPercent(text, 'P')).toBe(ppm);
  });

  test.each([['100.0001'], ['101'], ['0.00001'], ['-1'], ['1e2'], [''], ['%'], ['x%'], ['1%%']])('gemodel percentage %p is refused', (text) => {
    expect(() => parsePpmPercent(text, 'P')).toThrow(UsageError);
  });

  test.each([
    ['1ms', 1],
    ['500ms', 500],
    ['30s', 30000],
    ['30', 30000],
    ['0.5', 500],
    ['1.5m', 90000],
    ['2h', 7200000],
    ['168h', ABI.VNET_REVERT_MS_MAX],
    ['0.001s', 1],
  ])('--for %p = %d ms', (text, ms) => {
    expect(parseRevertDuration(text)).toBe(ms);
  });

  test.each([['0'], ['0ms'], ['0.0001'], ['1.5ms'], ['168.001h'], ['1d'], ['-1s'], ['s'], ['.'], ['']])('--for %p is refused', (text) => {
    expect(() => parseRevertDuration(text)).toThrow(UsageError);
  });
});
