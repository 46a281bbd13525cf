/*
 * -n/--netns NAME on every command (as ip -n): the switch comes before
 * anything else reaches the kernel, and everything afterwards is the
 * namespace's.
 */
import { run as insanely } from '../../src/commands/insanely';
import { run as down } from '../../src/commands/vnet-down';
import { run as echo } from '../../src/commands/vnet-echo';
import { run as monitor } from '../../src/commands/vnet-monitor';
import { run as reset } from '../../src/commands/vnet-reset-stats';
import { run as up } from '../../src/commands/vnet-up';
import { run as vnetconfig } from '../../src/commands/vnetconfig';
import { FakeBinding, FakeSignals, mutations, runCmd, type CommandRun } from './harness';

/** vnet0 in the initial namespace; vblue0 and its slave nsv0 in "blue". */
function kernel(): FakeBinding {
  const k = new FakeBinding();
  k.addLoopback();
  k.addVnet('vnet0', { seed: 1n });
  k.addNetns('blue');
  k.inNetns('blue', () => {
    k.addLoopback();
    k.addDevice('nsv0');
    k.addVnet('vblue0', { seed: 2n });
  });
  return k;
}

describe('-n NAME', () => {
  const cases: [string, CommandRun, string[]][] = [
    ['vnetconfig', vnetconfig, ['-a', '-j']],
    ['vnet-up', up, ['-q']],
    ['vnet-down', down, ['-q']],
    ['vnet-reset-stats', reset, ['--all', '-q']],
    ['insanely', insanely, ['nsv0', 'pass']],
    ['vnet-echo', echo, ['-q']],
    ['vnet-monitor', monitor, ['-c', '1']],
  ];
  test.each(cases)('%s: setns first, then only that namespace', async (_name, cmd, argv) => {
    const k = kernel();
    const signals = new FakeSignals();
    const r = await runCmd(cmd, ['-n', 'blue', ...argv], k, {
      signals,
      onTick: () => k.emitEvent('vblue0', 3), // for vnet-monitor
    });
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(k.calls[0]).toEqual({ method: 'enterNetns', args: ['blue'], sent: true });
    expect(k.currentNetns).toBe('blue');
    for (const m of mutations(k)) expect(JSON.stringify(m.args)).not.toContain('vnet0');
    expect(r.stdout).not.toContain('vnet0');
  });

  test('what it shows is the namespace\'s', async () => {
    const r = await runCmd(vnetconfig, ['--netns', 'blue', '-a', '-j'], kernel());
    expect(JSON.parse(r.stdout).map((d: { ifname: string }) => d.ifname)).toEqual(['vblue0']);
    const i = await runCmd(insanely, ['--netns=blue', 'nsv0', 'pass'], kernel());
    expect(i.stdout).toBe('vblue0: relaying everything to nsv0\n');
  });

  test('an absolute path is taken as is (/proc/PID/ns/net)', async () => {
    const k = kernel();
    k.addNetns('/proc/4242/ns/net');
    const r = await runCmd(vnetconfig, ['-n', '/proc/4242/ns/net', '-j'], k);
    expect(r).toEqual({ code: 0, stdout: '[]\n', stderr: '' });
  });

  test('no such namespace → 3; not allowed (no CAP_SYS_ADMIN) → 4; a bad name → 2, nothing sent', async () => {
    const a = await runCmd(vnetconfig, ['-n', 'red'], kernel());
    expect(a).toEqual({ code: 3, stdout: '', stderr: "vnetconfig: network namespace 'red' not found (see 'ip netns list')\n" });
    const k = kernel();
    k.privileged = false;
    const b = await runCmd(vnetconfig, ['-n', 'blue'], k);
    expect(b.code).toBe(4);
    expect(b.stderr).toBe(
      "vnetconfig: cannot enter network namespace 'blue': permission denied (this needs CAP_SYS_ADMIN)\n",
    );
    const k2 = kernel();
    const c = await runCmd(vnetconfig, ['-n', 'a/b'], k2);
    expect(c.code).toBe(2);
    expect(c.stderr).toMatch(/^vnetconfig: invalid network namespace name 'a\/b'/);
    expect(k2.calls).toEqual([]);
  });
});
