/*
 * A namespace crowded with other interfaces, as on a container host: the
 * commands show and change the vnet device's addresses only, and ask the
 * kernel for that device's (strace: every RTM_GETADDR carries its
 * ifa_index), not for every address of the namespace.  The commands run
 * with -n, except under strace: `ip netns exec` (see traced()).
 *
 *   netns crowd: vc0 (vnet, up) 10.9.0.1/24 2001:db8:9::1/64
 *                d1..d40 (dummy, up, each with its IPv6 link-local address)
 *                d1 also 10.9.0.2/24 and 2001:db8:9::2/64 (the same subnets)
 */
import { expectExit, ip, ipJson, run, traced, trySys, waitFor } from './helpers';

const NS = 'crowd';
const DUMMIES = 40;

function addrsOf(dev: string): string[] {
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  return (ipJson('-n', NS, 'addr', 'show', 'dev', dev)[0].addr_info as any[]).map((a) => `${a.local}/${a.prefixlen}`).sort();
}

/** The RTM_GETADDR requests among traced calls. */
function addressDumps(calls: readonly string[]): string[] {
  return calls.filter((c) => /sendto|sendmsg/.test(c) && /RTM_GETADDR/.test(c));
}

beforeAll(() => {
  trySys(['/sbin/ip', 'netns', 'del', NS]);
  ip('netns', 'add', NS);
  ip('-n', NS, 'link', 'add', 'vc0', 'type', 'vnet');
  for (let i = 1; i <= DUMMIES; i++) {
    ip('-n', NS, 'link', 'add', `d${i}`, 'type', 'dummy');
    ip('-n', NS, 'link', 'set', `d${i}`, 'up');
  }
  ip('-n', NS, 'addr', 'add', '10.9.0.2/24', 'dev', 'd1');
  ip('-n', NS, 'addr', 'add', '2001:db8:9::2/64', 'dev', 'd1', 'nodad');
  expectExit(['vnet-up', '-q', '-n', NS, 'vc0', '10.9.0.1/24', 'add', '2001:db8:9::1/64'], 0);
  // dummies are NOARP: no duplicate address detection, the link-local addresses come at once
  expect(waitFor(() => ip('-n', NS, '-6', '-o', 'addr', 'show', 'scope', 'link').trim().split('\n').length >= DUMMIES)).toBe(true);
});

afterAll(() => trySys(['/sbin/ip', 'netns', 'del', NS]));

test("vnetconfig -j vc0: vc0's addresses, none of its neighbours'; the kernel asked for vc0's alone", () => {
  const r = traced(['vnetconfig', '-j', 'vc0'], { netns: NS });
  expect(r.code).toBe(0);
  const shown = JSON.parse(r.stdout);
  expect(shown).toHaveLength(1);
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  expect((shown[0].addr_info as any[]).map((a) => `${a.local}/${a.prefixlen}`).sort()).toEqual(addrsOf('vc0'));
  expect(addrsOf('vc0')).toEqual(expect.arrayContaining(['10.9.0.1/24', '2001:db8:9::1/64']));
  const withN = run(['vnetconfig', '-n', NS, '-j', 'vc0']);
  expect(withN.code).toBe(0);
  expect(JSON.parse(withN.stdout)[0].addr_info).toEqual(shown[0].addr_info);
  const dumps = addressDumps(r.calls);
  expect(dumps.map((c) => /ifa_family=(AF_INET6?)/.exec(c)?.[1])).toEqual(['AF_INET', 'AF_INET6']);
  expect(dumps.filter((c) => /ifa_index=0[,}]/.test(c))).toEqual([]);
});

test('vnetconfig -a (the one vnet device): the same addresses, the same filtered dumps', () => {
  const r = traced(['vnetconfig', '-a'], { netns: NS });
  expect(r.code).toBe(0);
  expect(r.stdout).toMatch(/^vc0: flags=/);
  expect(r.stdout).toContain('inet 10.9.0.1  netmask 255.255.255.0');
  expect(r.stdout).toContain('inet6 2001:db8:9::1  prefixlen 64');
  expect(r.stdout).not.toMatch(/10\.9\.0\.2\b|2001:db8:9::2\b/);
  expect(r.stdout.match(/^\s+inet6? /gm)).toHaveLength(addrsOf('vc0').length);
  expect(addressDumps(r.calls).filter((c) => /ifa_index=0[,}]/.test(c))).toEqual([]);
});

test("vnet-up del 2001:db8:9::1 (no prefix length): vc0's address goes; d1's in the same subnet stays", () => {
  const r = traced(['vnet-up', '-j', 'vc0', 'del', '2001:db8:9::1'], { netns: NS });
  expect(r.code).toBe(0);
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  const shown = (JSON.parse(r.stdout).addr_info as any[]).map((a) => `${a.local}/${a.prefixlen}`).sort();
  expect(shown).toEqual(addrsOf('vc0'));
  expect(shown).toContain('10.9.0.1/24');
  expect(shown).not.toContain('2001:db8:9::1/64');
  expect(addrsOf('d1')).toEqual(expect.arrayContaining(['10.9.0.2/24', '2001:db8:9::2/64']));
  expect(addressDumps(r.calls).filter((c) => /ifa_index=0[,}]/.test(c))).toEqual([]);
  const again = run(['vnet-up', '-n', NS, 'vc0', 'del', '2001:db8:9::1']);
  expect([again.code, again.stderr]).toEqual([1, 'vnet-up: vc0: 2001:db8:9::1 is not an address of vc0\n']);
});

test('two vnet devices: vnetconfig -a shows each with its own addresses (one whole dump)', () => {
  ip('-n', NS, 'link', 'add', 'vc1', 'type', 'vnet');
  try {
    expectExit(['vnet-up', '-q', '-n', NS, 'vc1', '10.9.1.1/24'], 0);
    const r = traced(['vnetconfig', '-j', '-a'], { netns: NS });
    expect(r.code).toBe(0);
    // eslint-disable-next-line @typescript-eslint/no-explicit-any
    const byName = Object.fromEntries((JSON.parse(r.stdout) as any[]).map((d) => [d.ifname, d.addr_info.map((a: any) => a.local)]));
    expect(byName.vc0).toContain('10.9.0.1');
    expect(byName.vc1).toContain('10.9.1.1');
    for (const d of ['vc0', 'vc1']) expect([d, [...byName[d]].sort()]).toEqual([d, addrsOf(d).map((a) => a.split('/')[0]).sort()]);
    expect(addressDumps(r.calls)).toHaveLength(2);
  } finally {
    trySys(['/sbin/ip', '-n', NS, 'link', 'del', 'vc1']);
  }
});
