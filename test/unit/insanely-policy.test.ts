/*
 * insanely beyond Rubini's: --tx / --rx / --both, gemodel, --for (the
 * kernel's auto-revert), and the idempotence rules they bring, on the
 * fake kernel.
 */
import { run } from '../../src/commands/insanely';
import { mutations, runCmd, standardKernel } from './harness';

const sets = (k: ReturnType<typeof standardKernel>): unknown[] => mutations(k).map((m) => m.args[0]);

describe('insanely: directions', () => {
  test('--rx sets the receive policy only; the transmit policy is untouched', async () => {
    const k = standardKernel();
    k.seedSource = () => 77n;
    const r = await runCmd(run, ['--rx', 'eth0', 'percent', '60'], k);
    expect(r).toEqual({ code: 0, stdout: 'vnet0: delivering 60% of packets received from eth0 (dropping 40%) (seed 77)\n', stderr: '' });
    expect(sets(k)).toEqual([{ dev: 'vnet0', mode: 1, arg1: 60, arg2: 0, seed: undefined, slave: 'eth0', direction: 1 }]);
    const s = k.openGenl().get('vnet0');
    expect([s.mode, s.rx!.mode, s.rx!.arg1]).toEqual([0, 1, 60]);
  });

  test('--both: one SET, a line per direction, each with its own seed', async () => {
    const k = standardKernel();
    let n = 10n;
    k.seedSource = () => n++;
    const r = await runCmd(run, ['--both', 'eth0', 'loss', '10'], k);
    expect(r.stdout).toBe(
      'vnet0: relaying 90% of packets to eth0 (dropping 10%) (seed 10)\n' +
        'vnet0: delivering 90% of packets received from eth0 (dropping 10%) (seed 11)\n',
    );
    expect(sets(k)).toEqual([{ dev: 'vnet0', mode: 1, arg1: 90, arg2: 0, seed: undefined, slave: 'eth0', direction: 2 }]);
  });

  test('--both --seed S: the receive policy draws from S + 1 (its own sequence); the same again is unchanged', async () => {
    const k = standardKernel();
    const r = await runCmd(run, ['--both', '--seed', '18446744073709551615', 'eth0', 'gemodel', '1', '20'], k);
    expect(r.stdout).toMatch(/^vnet0: relaying .* \(seed 18446744073709551615\)\nvnet0: delivering .* \(seed 0\)\n$/);
    k.clearCalls();
    const again = await runCmd(run, ['--both', '--seed', '18446744073709551615', 'eth0', 'gemodel', '1', '20'], k);
    expect(again.stdout).toMatch(/^vnet0: unchanged: relaying .*\nvnet0: unchanged: delivering .* \(seed 0\)\n$/);
    expect(mutations(k)).toEqual([]);
    // the receive policy alone with seed 0 is what it has too
    expect((await runCmd(run, ['--rx', '--seed', '0', 'eth0', 'gemodel', '1', '20'], k)).stdout).toMatch(/^vnet0: unchanged: /);
  });

  test('--tx is the default: the SET carries no direction (a kernel before the receive policy takes it)', async () => {
    const k = standardKernel();
    const r = await runCmd(run, ['--tx', 'eth0', 'time', '5', '10'], k);
    expect(r.stdout).toBe('vnet0: relaying to eth0 in time mode: relay 50 ms, drop 100 ms, repeating\n');
    expect(sets(k)[0]).not.toHaveProperty('direction');
  });

  test('--rx time: its own words', async () => {
    const k = standardKernel();
    const r = await runCmd(run, ['--rx', 'eth0', 'time', '500ms', '1s'], k);
    expect(r.stdout).toBe('vnet0: delivering packets received from eth0 in time mode: deliver 500 ms, drop 1 s, repeating\n');
  });

  test('bare insanely shows both, with the time left of each pending revert', async () => {
    const k = standardKernel();
    k.configure('vnet0', {
      slave: 'eth0',
      tx: { mode: 1, arg1: 0, revertAt: 25_312 },
      rx: { mode: 3, arg1: 10000, arg2: 200000, arg3: 1000000, arg4: 0, revertAt: 400 },
    });
    const r = await runCmd(run, [], k);
    expect(r.stdout).toBe(
      'slave:     eth0\n' +
        'mode:      percent\n' +
        'arguments: 0 0\n' +
        'seed:      7\n' +
        'revert:    in 25.4 s\n' +
        'rx mode:   gemodel\n' +
        'rx args:   10000 200000 1000000 0\n' +
        'rx seed:   8\n' +
        'rx revert: in 400 ms\n' +
        'vnet0 drops every packet meant for eth0 (relays 0%); back to pass in 25.4 s\n' +
        'vnet0 delivers what it receives from eth0 with burst loss (gemodel p 1%, r 20%, 1-h 100%, 1-k 0%): ' +
        'expected loss 4.76%, mean burst 5 frames; back to pass in 400 ms\n',
    );
    const j = JSON.parse((await runCmd(run, ['-j'], k)).stdout);
    expect(j).toEqual({
      ifname: 'vnet0',
      slave: 'eth0',
      mode: 'percent',
      arg1: 0,
      arg2: 0,
      arg3: 0,
      arg4: 0,
      seed: 7,
      revert_ms: 25312,
      rx: { mode: 'gemodel', arg1: 10000, arg2: 200000, arg3: 1000000, arg4: 0, seed: 8, revert_ms: 400, expected_loss: 0.047619, mean_burst: 5 },
      slave_rp_filter: 0,
    });
  });
});

describe('insanely: gemodel', () => {
  test.each([
    [['1', '20'], [10000, 200000, 1000000, 0], 'expected loss 4.76%, mean burst 5 frames', 'p 1%, r 20%, 1-h 100%, 1-k 0%'],
    [['1%', '20%', '100', '0'], [10000, 200000, 1000000, 0], 'expected loss 4.76%, mean burst 5 frames', 'p 1%, r 20%, 1-h 100%, 1-k 0%'],
    [['0.5', '10', '80', '0.1'], [5000, 100000, 800000, 1000], 'expected loss 3.9%', 'p 0.5%, r 10%, 1-h 80%, 1-k 0.1%'],
    [['0.0001', '100'], [1, 1000000, 1000000, 0], 'expected loss 0.0001%, mean burst 1 frames', 'p 0.0001%, r 100%, 1-h 100%, 1-k 0%'],
    [['5', '0'], [50000, 0, 1000000, 0], 'expected loss 100%, bursts unbounded (r = 0)', 'p 5%, r 0%, 1-h 100%, 1-k 0%'],
    [['0', '0', '100', '2'], [0, 0, 1000000, 20000], 'expected loss 2%', 'p 0%, r 0%, 1-h 100%, 1-k 2%'],
  ])('gemodel %p → ppm %p, "%s"', async (words, ppm, numbers, params) => {
    const k = standardKernel();
    const r = await runCmd(run, ['--seed', '3', 'eth0', 'gemodel', ...words], k);
    expect(r.stderr).toBe('');
    expect(r.stdout).toBe(`vnet0: relaying to eth0 with burst loss (gemodel ${params}): ${numbers} (seed 3)\n`);
    const [arg1, arg2, arg3, arg4] = ppm;
    expect(sets(k)).toEqual([{ dev: 'vnet0', mode: 3, arg1, arg2, arg3, arg4, seed: 3n, slave: 'eth0' }]);
    expect(k.getRelay('vnet0')).toEqual({ slave: 'eth0', mode: 3, arg1, arg2 });
  });

  test('-j states the expected loss (a fraction) and the mean burst', async () => {
    const k = standardKernel();
    const j = JSON.parse((await runCmd(run, ['-j', '--rx', 'eth0', 'GEMODEL', '1', '20'], k)).stdout);
    expect(j).toMatchObject({ direction: 'rx', changed: true, mode: 'pass', rx: { mode: 'gemodel', arg1: 10000, arg2: 200000, arg3: 1000000, arg4: 0, expected_loss: 0.047619, mean_burst: 5 } });
    const u = JSON.parse((await runCmd(run, ['-j', 'eth0', 'gemodel', '5', '0'], k)).stdout);
    expect(u).toMatchObject({ mode: 'gemodel', expected_loss: 1, mean_burst: null });
    const n = JSON.parse((await runCmd(run, ['-j', 'eth0', 'gemodel', '1', '20', '50'], k)).stdout);
    expect(n).not.toHaveProperty('mean_burst');
  });
});

describe('insanely --for: the kernel reverts to pass', () => {
  test.each([
    ['30s', 30000, '30 s'],
    ['500ms', 500, '500 ms'],
    ['2', 2000, '2 s'],
    ['1.5m', 90000, '90 s'],
    ['1h', 3600000, '3600 s'],
    ['168h', 604800000, '604800 s'],
  ])('--for %s → revertMs %d; the reply says when', async (text, ms, said) => {
    const k = standardKernel();
    const r = await runCmd(run, ['--for', text, 'eth0', 'percent', '0'], k);
    expect(r.stdout).toBe(`vnet0: relaying 0% of packets to eth0 (dropping 100%) (seed ${k.device('vnet0').vnet!.tx.seed}); back to pass in ${said}\n`);
    expect(sets(k)).toEqual([{ dev: 'vnet0', mode: 1, arg1: 0, arg2: 0, seed: undefined, slave: 'eth0', revertMs: ms }]);
  });

  test('after the duration the kernel has set it back to pass (whatever became of insanely); -j shows revert_ms before', async () => {
    const k = standardKernel();
    expect((await runCmd(run, ['--both', '--for', '1s', 'eth0', 'percent', '0'], k)).code).toBe(0);
    k.clockMs += 300;
    const j = JSON.parse((await runCmd(run, ['-j'], k)).stdout);
    expect([j.revert_ms, j.rx.revert_ms]).toEqual([700, 700]);
    k.clockMs += 700;
    const r = await runCmd(run, [], k);
    expect(r.stdout).toMatch(/^slave: {5}eth0\nmode: {6}pass\narguments: 0 0\nseed: {6}\d+\nrx mode: {3}pass\n/);
    expect(r.stdout).not.toContain('revert');
  });

  test('--for always sends (a new deadline), even for the policy the device has', async () => {
    const k = standardKernel();
    await runCmd(run, ['eth0', 'percent', '50'], k);
    k.clearCalls();
    const r = await runCmd(run, ['--for', '10s', 'eth0', 'percent', '50'], k);
    expect(r.stdout).not.toContain('unchanged');
    expect(sets(k)).toHaveLength(1);
  });
});

describe('insanely: unchanged means every field, both directions, no revert pending', () => {
  const kernelWith = async (argv: string[]): Promise<ReturnType<typeof standardKernel>> => {
    const k = standardKernel();
    expect((await runCmd(run, argv, k)).code).toBe(0);
    k.clearCalls();
    return k;
  };

  test.each([
    [['--rx', 'eth0', 'percent', '60'], ['--rx', 'eth0', 'percent', '60']],
    [['--both', 'eth0', 'percent', '60'], ['--rx', 'eth0', 'loss', '40']],
    [['--both', 'eth0', 'percent', '60'], ['eth0', 'percent', '60']],
    [['eth0', 'gemodel', '1', '20'], ['eth0', 'gemodel', '1', '20', '100', '0']],
    [['--seed', '5', '--rx', 'eth0', 'gemodel', '1', '20'], ['--seed', '5', '--rx', 'eth0', 'gemodel', '1%', '20%']],
  ])('%p then %p: unchanged, nothing sent', async (first, again) => {
    const k = await kernelWith(first);
    const r = await runCmd(run, again, k);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^vnet0: unchanged: /);
    expect(mutations(k)).toEqual([]);
  });

  test.each([
    [['eth0', 'percent', '60'], ['--rx', 'eth0', 'percent', '60']],
    [['--rx', 'eth0', 'percent', '60'], ['--both', 'eth0', 'percent', '60']],
    [['eth0', 'gemodel', '1', '20'], ['eth0', 'gemodel', '1', '20', '99']],
    [['eth0', 'gemodel', '1', '20'], ['eth0', 'gemodel', '1', '20', '100', '0.0001']],
    [['--seed', '5', '--rx', 'eth0', 'gemodel', '1', '20'], ['--seed', '6', '--rx', 'eth0', 'gemodel', '1', '20']],
    [['--for', '1h', 'eth0', 'percent', '60'], ['eth0', 'percent', '60']],
    [['--rx', '--for', '1h', 'eth0', 'percent', '60'], ['--rx', 'eth0', 'percent', '60']],
  ])('%p then %p: a change, one SET', async (first, again) => {
    const k = await kernelWith(first);
    const r = await runCmd(run, ['-j', ...again], k);
    expect(JSON.parse(r.stdout).changed).toBe(true);
    expect(mutations(k)).toHaveLength(1);
  });

  test('the same policy without --for makes a pending revert permanent (the SET cancels it)', async () => {
    const k = await kernelWith(['--for', '1s', 'eth0', 'percent', '60']);
    const r = await runCmd(run, ['eth0', 'percent', '60'], k);
    expect(r.stdout).toMatch(/^vnet0: relaying 60% of packets to eth0 \(dropping 40%\) \(seed \d+\)\n$/);
    k.clockMs += 5000;
    expect(k.openGenl().get('vnet0')).toMatchObject({ mode: 1, arg1: 60 });
  });
});

describe('insanely: bad direction, gemodel and --for input changes nothing (exit 2)', () => {
  test.each([
    [['--tx', '--rx', 'eth0', 'pass'], /option '--tx' cannot be used with option '--rx'/],
    [['--both', '--rx', 'eth0', 'pass'], /cannot be used with option/],
    [['--rx'], /--tx, --rx and --both need a mode/],
    [['--rx', 'none'], /'none' detaches the slave .* takes no --tx, --rx, --both or --for/],
    [['--for', '10s', 'none'], /takes no --tx, --rx, --both or --for/],
    [['--for', '10s'], /--for needs a mode/],
    [['--for', '10s', 'eth0', 'pass'], /makes no sense with pass itself/],
    [['--for', '0', 'eth0', 'loss', '5'], /at least 1 ms/],
    [['--for', '8d', 'eth0', 'loss', '5'], /not a duration/],
    [['--for', '169h', 'eth0', 'loss', '5'], /too long \(at most 7 days\)/],
    [['--for', '1.0005s', 'eth0', 'loss', '5'], /whole number of milliseconds/],
    [['--for', 'soon', 'eth0', 'loss', '5'], /not a duration/],
    [['eth0', 'gemodel', '1'], /mode 'gemodel' needs P and R/],
    [['eth0', 'gemodel', '1', '20', '100', '0', '5'], /unexpected argument '5'/],
    [['eth0', 'gemodel', '101', '20'], /P \(good to bad\) must be from 0 to 100%/],
    [['eth0', 'gemodel', '1', '0.00001'], /more than 4 decimals/],
    [['eth0', 'gemodel', '1', 'x'], /R \(bad to good\) 'x' is not a percentage/],
    [['eth0', 'gemodel', '-1', '20'], /unknown option|is not a percentage/],
    [['eth0', 'gemodel', '1', '20', '1-h'], /1-H .* is not a percentage/],
  ])('%p', async (argv, msg) => {
    const k = standardKernel();
    const r = await runCmd(run, argv, k);
    expect([r.code, r.stdout]).toEqual([2, '']);
    expect(r.stderr).toMatch(msg);
    expect(k.calls).toEqual([]);
  });
});

describe('insanely --help', () => {
  test('shows the new syntax, the formulas and examples', async () => {
    const r = await runCmd(run, ['--help'], standardKernel());
    expect(r.code).toBe(0);
    for (const s of ['--tx', '--rx', '--both', '--for <duration>', 'gemodel P R [1-H [1-K]]', '(1-K)*R/(P+R) + (1-H)*P/(P+R)', 'mean burst 1/R frames', 'insanely --for 30s eth0 percent 0', 'insanely -i vnet1 eth0 pass']) {
      expect([s, r.stdout.includes(s)]).toEqual([s, true]);
    }
  });
});
