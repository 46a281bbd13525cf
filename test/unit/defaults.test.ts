/*
 * Issue 12: the default device on a KVM host (libvirt's taps are named
 * vnet0, vnet1, ...), and devices that vanish while --all walks them.
 */
import { run as down } from '../../src/commands/vnet-down';
import { run as reset } from '../../src/commands/vnet-reset-stats';
import { run as up } from '../../src/commands/vnet-up';
import { FakeBinding, mutations, runCmd } from './harness';

/** A KVM host: libvirt's tap vnet0, and the vnet module's device at the next number. */
function kvmHost(): FakeBinding {
  const k = new FakeBinding();
  k.addLoopback();
  k.addDevice('vnet0', { driver: 'tun', type: 'ether' }); // a VM's tap
  k.addVnet('vnet1', { seed: 1n });
  return k;
}

describe('the default device: the only vnet device, never a device of another kind', () => {
  test.each([
    ['vnet-down', down, [], 'changeFlags', ['vnet1', 0, 1]],
    ['vnet-reset-stats', reset, [], 'resetStats', ['vnet1']],
    ['vnet-up', up, ['-q'], 'changeFlags', ['vnet1', 1, 0]],
  ] as const)('%s acts on vnet1, not on the tap vnet0', async (_name, cmd, argv, method, args) => {
    const k = kvmHost();
    const r = await runCmd(cmd, [...argv], k);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(mutations(k)).toEqual([{ method, args }]);
  });

  test.each([
    ['vnet-down', down],
    ['vnet-reset-stats', reset],
    ['vnet-up', up],
  ] as const)('%s with several vnet devices: names them, exit 2, changes nothing', async (name, cmd) => {
    const k = kvmHost();
    k.addVnet('vnet2');
    const r = await runCmd(cmd, [], k);
    expect(r.code).toBe(2);
    expect(r.stderr).toBe(
      `${name}: there are 2 vnet devices (vnet1, vnet2): say which one\nTry '${name} --help' for more information.\n`,
    );
    expect(mutations(k)).toEqual([]);
  });

  test('an explicit vnet0 that is a tap is refused (exit 3), as before', async () => {
    const k = kvmHost();
    const r = await runCmd(down, ['vnet0'], k);
    expect(r).toEqual({ code: 3, stdout: '', stderr: "vnet-down: vnet0: not a vnet device (its driver is 'tun')\n" });
  });

  test('-q: vnet-down and vnet-reset-stats print nothing on success', async () => {
    const k = kvmHost();
    expect(await runCmd(down, ['-q'], k)).toEqual({ code: 0, stdout: '', stderr: '' });
    expect(await runCmd(reset, ['-q', 'vnet1'], k)).toEqual({ code: 0, stdout: '', stderr: '' });
  });
});

describe('vnet-reset-stats --all while devices come and go', () => {
  test('a device deleted after the listing is skipped; the others are reset; exit 0', async () => {
    const k = new FakeBinding();
    for (const n of ['vtmp1', 'vtmp7', 'vtmp9']) k.addVnet(n, { stats: { tx_dropped: 5n } });
    // vtmp7 is deleted between the link dump and its reset
    const dump = k.dumpLinks.bind(k);
    k.dumpLinks = () => {
      const out = dump();
      k.removeDevice('vtmp7');
      k.dumpLinks = dump;
      return out;
    };
    const r = await runCmd(reset, ['--all'], k);
    expect(r).toEqual({ code: 0, stdout: 'vtmp1: statistics reset\nvtmp9: statistics reset\n', stderr: '' });
    expect(k.device('vtmp9').vnet!.stats.tx_dropped).toBe(0n);
    expect((await runCmd(reset, ['--all', '-j'], k)).stdout).toBe('{"reset":["vtmp1","vtmp9"]}\n');
  });

  test('other failures still stop it: EPERM → 4', async () => {
    const k = new FakeBinding();
    k.addVnet('vtmp1');
    k.privileged = false;
    const r = await runCmd(reset, ['--all'], k);
    expect(r.code).toBe(4);
    expect(r.stderr).toMatch(/^vnet-reset-stats: vtmp1: permission denied/);
  });
});
