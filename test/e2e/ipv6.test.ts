/*
 * IPv6 in relay mode through the commands (issue 11 section 5): vnet-up
 * gives vnet0 an IPv6 address, a host routed through vnet0 over IPv6 meets
 * the policy, the slave's own IPv6 traffic does not, and the receive policy
 * applies to neighbour discovery and unicast for vnet0's address.
 *
 *   host: veth0 2001:db8::1/64  <->  netns peer: veth1 2001:db8::100, ::200
 *   vnet0@veth0 2001:db8::3/64, route 2001:db8::200/128 dev vnet0
 */
import { expectExit, ip, IP, mac, PING, run, show, trySys, vethPeer, waitFor } from './helpers';

const PEER = 'peer';
const H6 = '2001:db8::1';
const P6 = '2001:db8::100';
const R6 = '2001:db8::200';
const V6 = '2001:db8::3';

/** ping -6 from the peer (or the host, ns undefined): replies received. */
function ping6(ns: string | undefined, dst: string, count: number, wait = 2): number {
  const args = [PING, '-6', '-n', '-q', '-c', String(count), '-i', '0.05', '-W', String(wait), dst];
  const argv = ns === undefined ? args : [IP, 'netns', 'exec', ns, ...args];
  const r = run(argv, { timeout: 120000 });
  const m = /(\d+) packets transmitted, (\d+) received/.exec(r.stdout);
  if (!m) throw new Error(`no ping summary\n${show(argv, r)}`);
  return Number(m[2]);
}

beforeAll(() => {
  vethPeer(PEER, [`${H6}/64`], [`${P6}/64`, `${R6}/64`]);
  expectExit(['insanely', 'veth0', 'pass'], 0);
});

afterAll(() => {
  trySys([IP, 'netns', 'del', PEER]);
  trySys([IP, 'link', 'del', 'veth0']);
});

describe('IPv6 in relay mode', () => {
  test('vnet-up vnet0 2001:db8::3/64: the address, through duplicate address detection; no link-local of its own', () => {
    const r = expectExit(['vnet-up', 'vnet0', `${V6}/64`], 0);
    expect(r.stdout).toContain(`\n        inet6 ${V6}  prefixlen 64  scopeid 0x0<global>\n`);
    expect(waitFor(() => !/tentative/.test(ip('-6', 'addr', 'show', 'dev', 'vnet0')), 10000)).toBe(true);
    const a = ip('-6', 'addr', 'show', 'dev', 'vnet0');
    expect(a).toContain(`inet6 ${V6}/64 scope global`);
    expect(a).not.toMatch(/dadfailed|fe80/);
    ip('-6', 'route', 'add', `${R6}/128`, 'dev', 'vnet0');
  });

  test('the peer reaches vnet0 over IPv6 (neighbour discovery and unicast through the slave)', () => {
    expect(ping6(PEER, V6, 5)).toBe(5);
  });

  test('a host routed through vnet0 meets the policy: pass, percent 0, percent 60; the slave\'s own IPv6 passes', () => {
    expect(ping6(undefined, R6, 10)).toBe(10);
    expectExit(['insanely', 'veth0', 'percent', '0'], 0);
    expect(ping6(undefined, R6, 5, 1)).toBe(0);
    expect(ping6(undefined, P6, 5)).toBe(5);
    expectExit(['insanely', '--seed', '60', 'veth0', 'percent', '60'], 0);
    // the request needs to get through vnet0 (the reply comes back to vnet0's
    // address, through its receive policy: pass): binomial(100, 0.6), mean 60,
    // sd 4.9; +- 4 sd
    const got = ping6(undefined, R6, 100, 1);
    expect(got).toBeGreaterThanOrEqual(40);
    expect(got).toBeLessThanOrEqual(80);
  });

  test('--rx percent 0: nothing for vnet0 gets in, neighbour discovery included; back to pass', () => {
    const rxDrops = (): number => {
      const j = JSON.parse(expectExit(['vnetconfig', '-j', '-d', 'vnet0'], 0).stdout)[0];
      expect(j.linkinfo.info_data.rx).toMatchObject({ mode: 'percent', arg1: 0 });
      return j.linkinfo.info_data.stats.rx_drop_percent;
    };
    expectExit(['insanely', '--both', 'veth0', 'pass'], 0);
    ip('-n', PEER, 'neigh', 'flush', 'dev', 'veth1');
    expectExit(['insanely', '--rx', 'veth0', 'percent', '0'], 0);
    // neighbour discovery: the peer's solicitations are dropped, so vnet0
    // never answers and the peer never learns its address; ping sends no
    // echo request at all (one solicitation a second while it waits)
    const d0 = rxDrops();
    expect(ping6(PEER, V6, 5, 1)).toBe(0);
    const d1 = rxDrops();
    expect(d1 - d0).toBeGreaterThanOrEqual(1);
    expect(ip('-n', PEER, '-6', 'neigh', 'show', V6, 'dev', 'veth1')).not.toMatch(/lladdr/);
    // unicast: with the neighbour known, the 5 echo requests reach the slave
    // and are all dropped on the way to vnet0
    ip('-n', PEER, '-6', 'neigh', 'replace', V6, 'lladdr', mac('veth0'), 'dev', 'veth1', 'nud', 'permanent');
    expect(ping6(PEER, V6, 5, 1)).toBe(0);
    expect(rxDrops() - d1).toBeGreaterThanOrEqual(5);
    // back to pass: neighbour discovery works again
    ip('-n', PEER, '-6', 'neigh', 'del', V6, 'dev', 'veth1');
    expectExit(['insanely', '--rx', 'veth0', 'pass'], 0);
    expect(ping6(PEER, V6, 5)).toBe(5);
    expect(ip('-n', PEER, '-6', 'neigh', 'show', V6, 'dev', 'veth1')).toMatch(/lladdr/);
  });
});
