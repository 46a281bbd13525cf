/*
 * Rubini's recipe through the commands, as a sysadmin types it:
 *
 *   ifconfig insane borea          -> vnet-up vnet0 10.0.0.1/24 (the slave's own address)
 *   route add morgana dev insane   -> ip route add 10.0.0.200 dev vnet0
 *   insanely eth0 percent 60       -> insanely veth0 percent 0 / pass
 *
 *   host: veth0 10.0.0.1/24  <->  netns peer: veth1 10.0.0.100/24 + 10.0.0.200/24
 *
 * The slave keeps its own traffic in every mode; only the routed host
 * (10.0.0.200) meets the policy.
 */
import * as fs from 'node:fs';
import { expectExit, ip, mac, ping, sys, trySys, vethPeer } from './helpers';

const PEER = 'peer';
const SHARED = '10.0.0.1';
const PEER_IP = '10.0.0.100';
const ROUTED = '10.0.0.200';

function neighMac(dev: string, addr: string): string {
  return /lladdr ([0-9a-f:]+)/.exec(ip('neigh', 'show', addr, 'dev', dev))?.[1] ?? '';
}

function flushNeigh(): void {
  trySys(['/sbin/ip', 'neigh', 'flush', 'dev', 'veth0']);
  trySys(['/sbin/ip', 'neigh', 'flush', 'dev', 'vnet0']);
  trySys(['/sbin/ip', '-n', PEER, 'neigh', 'flush', 'dev', 'veth1']);
}

let peerMac = '';

beforeAll(() => {
  peerMac = vethPeer(PEER, [`${SHARED}/24`], [`${PEER_IP}/24`, `${ROUTED}/24`]);
  for (const k of ['all', 'default', 'veth0']) {
    fs.writeFileSync(`/proc/sys/net/ipv4/conf/${k}/rp_filter`, '0');
  }

  expectExit(['insanely', 'veth0', 'pass'], 0);
  expectExit(['vnet-up', 'vnet0', `${SHARED}/24`], 0);
  fs.writeFileSync('/proc/sys/net/ipv4/conf/vnet0/rp_filter', '0');
  ip('route', 'add', `${ROUTED}/32`, 'dev', 'vnet0', 'src', SHARED);
});

afterAll(() => {
  trySys(['/sbin/ip', 'netns', 'del', PEER]);
  trySys(['/sbin/ip', 'link', 'del', 'veth0']);
});

describe.each([
  ['pass', ['pass'], 3],
  ['percent 0', ['percent', '0'], 0],
  ['time: a window that never opens again', ['time', '1ms', '600s'], 0],
])('vnet0 shares veth0 address, %s', (_name, mode, routedReplies) => {
  beforeAll(() => {
    expectExit(['insanely', 'veth0', ...mode], 0);
  });

  test('the slave reaches its peer and resolves it, as if vnet0 did not exist', () => {
    flushNeigh();
    expect(ping(undefined, PEER_IP, 3, '0.2').received).toBe(3);
    expect(neighMac('veth0', PEER_IP)).toBe(peerMac);
  });

  test("the peer reaches the slave's address", () => {
    flushNeigh();
    expect(ping(PEER, SHARED, 3, '0.2').received).toBe(3);
  });

  test(`the host routed through vnet0 gets the policy: ${routedReplies} of 3`, () => {
    flushNeigh();
    expect(ping(undefined, ROUTED, 3, '0.2').received).toBe(routedReplies);
    if (routedReplies > 0) expect(neighMac('vnet0', ROUTED)).toBe(peerMac);
  });
});

test('vnet0 down: the slave still works alone', () => {
  expectExit(['insanely', 'veth0', 'percent', '0'], 0);
  expectExit(['vnet-down', 'vnet0'], 0);
  flushNeigh();
  expect(ping(undefined, PEER_IP, 3, '0.2').received).toBe(3);
  expect(ping(PEER, SHARED, 3, '0.2').received).toBe(3);
  expect(mac('vnet0')).toBe(mac('veth0'));
});
