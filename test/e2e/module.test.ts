/*
 * The vnet module not loaded: every command says so, exits 3 and tells
 * how to load it, and none of them loads it (their reads never do).
 */
import { expectCode, expectExit, MODPROBE, reloadVnet, RMMOD, runMany, sys, vnetLoaded } from './helpers';

beforeAll(() => {
  reloadVnet();
  sys([RMMOD, 'vnet']);
});
afterAll(() => {
  if (!vnetLoaded()) sys([MODPROBE, 'vnet']);
});

test('with the module unloaded: exit 3, a hint to modprobe vnet, and the module stays unloaded', async () => {
  expect(vnetLoaded()).toBe(false);
  const argvs = [
    ['vnetconfig'],
    ['vnet-echo'],
    ['vnet-reset-stats', '--all'],
    ['insanely'],
    ['vnet-up', 'vnet0', '10.0.0.2/24'],
  ];
  const rs = await runMany(argvs);
  rs.forEach((r, i) => {
    expectCode(argvs[i], r, 3);
    expect(r.stdout).toBe('');
    expect(r.stderr).toMatch(new RegExp(`^${argvs[i][0]}: `));
    expect(r.stderr).toContain("modprobe vnet");
  });
  expect(rs[0].stderr).toBe(
    "vnetconfig: no vnet device exists: is the vnet module loaded? (load it with 'modprobe vnet')\n",
  );
  expect(rs[1].stderr).toBe("vnet-echo: the vnet module is not loaded (load it with 'modprobe vnet')\n");
  expect(rs[3].stderr).toBe(
    "insanely: no vnet device exists: is the vnet module loaded? (load it with 'modprobe vnet')\n",
  );
  // the reads (interface scan, genl family lookup) did not autoload it
  expect(vnetLoaded()).toBe(false);
});

test('after modprobe vnet the same commands work again', () => {
  sys([MODPROBE, 'vnet']);
  expect(vnetLoaded()).toBe(true);
  expect(expectExit(['vnetconfig', '-a'], 0).stdout).toMatch(/^vnet0: flags=/);
});
