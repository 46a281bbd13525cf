/*
 * Issue 11 through the commands on the real module: two vnet devices on
 * one slave with two policies at once (per-destination impairment), the
 * receive policy (--rx, --both), and the kernel's auto-revert (--for) seen
 * by GET and vnet-monitor, with insanely killed.
 *
 *   host: veth0 10.0.0.1/24  <->  netns peer: veth1 10.0.0.100/24 + .201, .202
 *   vnet0@veth0 10.0.0.2/32, route 10.0.0.201/32 dev vnet0
 *   vnet1@veth0 10.0.0.3/32, route 10.0.0.202/32 dev vnet1
 *
 * Static neighbours on both sides keep ARP out of the counts.
 */
import * as fs from 'node:fs';
import {
  ethtoolStats,
  expectExit,
  ip,
  link,
  linkStats,
  mac,
  MODPROBE,
  ping,
  RMMOD,
  sys,
  trySys,
  vethPeer,
  waitFor,
} from './helpers';
import { live, sleep } from './live';

const PEER = 'peer';
const SLAVE_IP = '10.0.0.1';
const PEER_IP = '10.0.0.100';
const V0 = '10.0.0.2';
const V1 = '10.0.0.3';
const R0 = '10.0.0.201';
const R1 = '10.0.0.202';

let peerMac = '';

/** insanely -j [-i DEV], parsed. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
function state(dev = 'vnet0'): any {
  return JSON.parse(expectExit(['insanely', '-i', dev, '-j'], 0).stdout);
}

/** ethtool -S deltas across fn. */
function deltas(dev: string, fn: () => void): Record<string, bigint> {
  const a = ethtoolStats(dev);
  fn();
  const b = ethtoolStats(dev);
  return Object.fromEntries(Object.keys(b).map((k) => [k, b[k] - (a[k] ?? 0n)]));
}

/** vnetN relays to veth0 with ADDR and a host route through it, neighbours static. */
function routed(dev: string, addr: string, host: string): void {
  expectExit(['vnet-up', '-q', dev, `${addr}/32`], 0);
  fs.writeFileSync(`/proc/sys/net/ipv4/conf/${dev}/rp_filter`, '0');
  ip('route', 'replace', `${host}/32`, 'dev', dev, 'src', addr);
  ip('neigh', 'replace', host, 'lladdr', peerMac, 'dev', dev, 'nud', 'permanent');
  ip('-n', PEER, 'neigh', 'replace', addr, 'lladdr', mac('veth0'), 'dev', 'veth1', 'nud', 'permanent');
}

beforeAll(() => {
  peerMac = vethPeer(PEER, [`${SLAVE_IP}/24`], [`${PEER_IP}/24`, `${R0}/24`, `${R1}/24`]);
  for (const k of ['all', 'default', 'veth0']) fs.writeFileSync(`/proc/sys/net/ipv4/conf/${k}/rp_filter`, '0');
  expectExit(['insanely', 'veth0', 'pass'], 0);
  routed('vnet0', V0, R0);
});

afterAll(() => {
  trySys(['/sbin/ip', 'netns', 'del', PEER]);
  for (const d of ['veth0', 'vnet1', 'vnet2']) trySys(['/sbin/ip', 'link', 'del', 'dev', d]);
});

describe('several vnet devices on one slave', () => {
  test('ip link add vnet1 link veth0 type vnet works while vnet0 relays through veth0; insanely -i vnet1 veth0 pass too', () => {
    ip('link', 'add', 'vnet1', 'link', 'veth0', 'type', 'vnet');
    expect(link('vnet1').link).toBe('veth0');
    expect(link('vnet0').link).toBe('veth0');
    expect(mac('vnet1')).toBe(mac('veth0'));
    expect(expectExit(['insanely', '-i', 'vnet1', 'veth0', 'pass'], 0).stdout).toBe('vnet1: unchanged: relaying everything to veth0\n');
    expectExit(['insanely', '-i', 'vnet1', 'none'], 0);
    expect(link('vnet1').link).toBeUndefined();
    expect(expectExit(['insanely', '-i', 'vnet1', 'veth0', 'pass'], 0).stdout).toBe('vnet1: relaying everything to veth0\n');
    expect(link('vnet1').link).toBe('veth0');
    routed('vnet1', V1, R1);
    const v = expectExit(['vnetconfig'], 0).stdout;
    expect(v).toMatch(/^vnet0: [^]*relay mode pass {2}arguments 0 0 {2}slave veth0 [^]*\nvnet1: [^]*relay mode pass {2}arguments 0 0 {2}slave veth0 /);
  });

  test.each([
    ['vnet0 pass, vnet1 percent 0', ['pass'], ['percent', '0'], 15, 0],
    ['vnet0 percent 0, vnet1 pass', ['percent', '0'], ['pass'], 0, 15],
  ])('two routes, two policies at once (%s); the slave\'s own traffic untouched', (_what, p0, p1, got0, got1) => {
    expectExit(['insanely', '-i', 'vnet0', 'veth0', ...p0], 0);
    expectExit(['insanely', '-i', 'vnet1', 'veth0', ...p1], 0);
    let r0 = 0;
    let r1 = 0;
    const d0 = deltas('vnet0', () => {
      const d1 = deltas('vnet1', () => {
        r0 = ping(undefined, R0, 15, '0.02').received;
        r1 = ping(undefined, R1, 15, '0.02').received;
      });
      if (got1 === 0) expect(d1.tx_drop_percent).toBeGreaterThanOrEqual(15n);
      else expect(d1.tx_dropped).toBe(0n);
    });
    expect([r0, r1]).toEqual([got0, got1]);
    if (got0 === 0) expect(d0.tx_drop_percent).toBeGreaterThanOrEqual(15n);
    else expect(d0.tx_dropped).toBe(0n);
    // the slave's own address, both ways, whatever the vnet devices do
    expect(ping(undefined, PEER_IP, 10, '0.02').received).toBe(10);
    expect(ping(PEER, SLAVE_IP, 10, '0.02').received).toBe(10);
  });
});

describe('the receive policy (--rx, --both)', () => {
  beforeAll(() => {
    expectExit(['insanely', '-i', 'vnet0', '--both', 'veth0', 'pass'], 0);
    expectExit(['insanely', '-i', 'vnet1', '--both', 'veth0', 'pass'], 0);
  });

  test("--rx percent 0: pings to vnet0's address get no reply; ip -s link's rx_dropped counts them", () => {
    const r = expectExit(['insanely', '-i', 'vnet0', '--rx', 'veth0', 'percent', '0'], 0);
    expect(r.stdout).toMatch(/^vnet0: delivering 0% of packets received from veth0 \(dropping 100%\) \(seed \d+\)\n$/);
    const before = BigInt(linkStats('vnet0').stats64.rx.dropped);
    let received = -1;
    const d = deltas('vnet0', () => {
      received = ping(PEER, V0, 10, '0.02').received;
    });
    expect(received).toBe(0);
    const after = BigInt(linkStats('vnet0').stats64.rx.dropped);
    expect(after - before).toBeGreaterThanOrEqual(10n);
    expect(d.rx_drop_percent).toBe(after - before);
    expect(d.rx_dropped).toBe(d.rx_drop_percent);
    expect(d.tx_dropped).toBe(0n);
    // vnet1 on the same slave still answers
    expect(ping(PEER, V1, 5, '0.02').received).toBe(5);
    const show = expectExit(['insanely', '-i', 'vnet0'], 0).stdout;
    expect(show).toMatch(/\nrx mode: {3}percent\nrx args: {3}0 0\nrx seed: {3}\d+\n/);
    expect(show).toMatch(/\nvnet0 relays everything to veth0\nvnet0 drops everything it receives from veth0 \(delivers 0%\)\n$/);
    const e = ethtoolStats('vnet0');
    expect(expectExit(['vnetconfig', '-d', 'vnet0'], 0).stdout).toContain(
      `        RX drops ${e.rx_dropped}  percent ${e.rx_drop_percent}  time 0  gemodel 0  delivery ${e.rx_drop_delivery}\n`,
    );
    expect(expectExit(['insanely', '-i', 'vnet0', '--rx', 'veth0', 'pass'], 0).stdout).toBe(
      'vnet0: delivering everything received from veth0\n',
    );
    expect(ping(PEER, V0, 5, '0.02').received).toBe(5);
  });

  test('--both percent 50 --seed 11: each direction drops (seeds 11 and 12); a round trip passes ~25%', () => {
    const r = expectExit(['insanely', '-i', 'vnet0', '--both', '--seed', '11', 'veth0', 'percent', '50'], 0);
    expect(r.stdout).toBe(
      'vnet0: relaying 50% of packets to veth0 (dropping 50%) (seed 11)\n' +
        'vnet0: delivering 50% of packets received from veth0 (dropping 50%) (seed 12)\n',
    );
    // From R0: the reply to R0 is routed through vnet0, so it meets the
    // transmit policy (a reply to PEER_IP would leave through veth0 itself).
    let received = -1;
    const d = deltas('vnet0', () => {
      received = ping(PEER, V0, 200, '0.01', true, R0).received;
    });
    // binomial(200, 0.25): mean 50, sd 6.1; +- 4.9 sd
    expect(received).toBeGreaterThanOrEqual(20);
    expect(received).toBeLessThanOrEqual(80);
    expect(d.rx_drop_percent).toBeGreaterThan(60n); // ~100 of 200 requests
    expect(d.tx_drop_percent).toBeGreaterThan(20n); // ~half the ~100 replies
    const again = expectExit(['insanely', '-i', 'vnet0', '--both', '--seed', '11', 'veth0', 'percent', '50'], 0);
    expect(again.stdout).toMatch(/^vnet0: unchanged: relaying [^\n]*\(seed 11\)\nvnet0: unchanged: delivering [^\n]*\(seed 12\)\n$/);
    expect(state()).toMatchObject({ mode: 'percent', arg1: 50, seed: 11, rx: { mode: 'percent', arg1: 50, seed: 12 } });
    expectExit(['insanely', '-i', 'vnet0', '--both', 'veth0', 'pass'], 0);
  });
});

describe('--for: the kernel reverts to pass', () => {
  beforeAll(() => {
    expectExit(['insanely', '-i', 'vnet0', '--both', 'veth0', 'pass'], 0);
  });

  test('the policy goes back to pass after the duration though insanely was killed; GET shows the time left; vnet-monitor sees the event', async () => {
    const mj = live(['vnet-monitor', '-j', 'vnet0']);
    const mt = live(['vnet-monitor', 'vnet0']);
    try {
      // both subscribed once they report a reset
      for (let i = 0; i < 100 && (mj.out() === '' || mt.out() === ''); i++) {
        expectExit(['vnet-reset-stats', '-q', 'vnet0'], 0);
        await sleep(200);
      }
      const base = [mj.out().length, mt.out().length];
      // a session that sets the policy and then hangs; killed outright.  20 s:
      // room for the checks below to run while the revert is pending, even
      // on a loaded machine under TCG (each command takes a second or more)
      const session = live(['/bin/sh', '-c', 'insanely -i vnet0 --for 20s veth0 percent 0 && exec /bin/sleep 600']);
      await session.waitFor(/back to pass in 20 s\n/);
      expect(session.out()).toMatch(/^vnet0: relaying 0% of packets to veth0 \(dropping 100%\) \(seed \d+\); back to pass in 20 s\n$/);
      session.child.kill('SIGKILL');
      await session.done;

      // the replies to R0 leave through vnet0: none gets out
      expect(ping(PEER, V0, 3, '0.05', true, R0).received).toBe(0);
      const s = state();
      expect(s).toMatchObject({ mode: 'percent', arg1: 0 });
      expect(s.revert_ms).toBeGreaterThan(0);
      expect(s.revert_ms).toBeLessThanOrEqual(20000);
      expect(s.rx).not.toHaveProperty('revert_ms');
      expect(expectExit(['insanely', '-i', 'vnet0'], 0).stdout).toMatch(/\nrevert: {4}in \d+(\.\d)? m?s\n[^]*; back to pass in \d+(\.\d)? m?s\n/);

      await mj.waitFor(/"event":"reverted"/, 40000);
      await mt.waitFor(/reverted/, 40000);
      const ev = mj
        .out()
        .slice(base[0])
        .trim()
        .split('\n')
        .map((l) => JSON.parse(l))
        .find((e) => e.event === 'reverted');
      expect(ev).toMatchObject({ event: 'reverted', direction: 'tx', ifname: 'vnet0', slave: 'veth0', mode: 'pass', arg1: 0 });
      expect(ev).not.toHaveProperty('revert_ms');
      expect(mt.out().slice(base[1])).toMatch(
        /^vnet0: config: relay mode percent {2}arguments 0 0 {2}slave veth0 {2}seed \d+ {2}revert in 20 s; receive mode pass[^\n]*\nvnet0: reverted: the transmit policy went back to pass \(auto-revert\); relay mode pass {2}arguments 0 0 {2}slave veth0 {2}seed \d+; receive mode pass {2}arguments 0 0 {2}seed \d+\n$/,
      );
      const after = state();
      expect(after).toMatchObject({ mode: 'pass' });
      expect(after).not.toHaveProperty('revert_ms');
      expect(ping(PEER, V0, 5, '0.02', true, R0).received).toBe(5);

      // the receive direction: its own event
      const b2 = mj.out().length;
      expectExit(['insanely', '-i', 'vnet0', '--rx', '--for', '1s', 'veth0', 'percent', '0'], 0);
      await mj.waitFor(/"event":"reverted","direction":"rx"/, 20000);
      expect(mj.out().slice(b2)).not.toMatch(/"direction":"tx"/);
      expect(state().rx).toMatchObject({ mode: 'pass' });

      mj.child.kill('SIGINT');
      mt.child.kill('SIGINT');
      expect((await mj.done).code).toBe(0);
      expect((await mt.done).code).toBe(0);
    } finally {
      // a failed expectation must not leave them running (the guest would hang)
      for (const m of [mj, mt]) if (m.child.exitCode === null && m.child.signalCode === null) m.child.kill('SIGKILL');
    }
  }, 150000);

  test('a later SET without --for cancels the revert: the policy stays', async () => {
    expect(expectExit(['insanely', '-i', 'vnet0', '--for', '5s', 'veth0', 'percent', '0'], 0).stdout).toMatch(/back to pass in 5 s\n$/);
    // the same policy: not "unchanged" while a revert is pending; the SET makes it permanent
    expect(expectExit(['insanely', '-i', 'vnet0', 'veth0', 'percent', '0'], 0).stdout).toMatch(/^vnet0: relaying 0% [^;]*\n$/);
    expect(state()).not.toHaveProperty('revert_ms');
    await sleep(6000);
    expect(state()).toMatchObject({ mode: 'percent', arg1: 0 });
    expectExit(['insanely', '-i', 'vnet0', 'veth0', 'pass'], 0);
  });

  test('deleting a device, or unloading the module, with a revert pending is clean', () => {
    ip('link', 'add', 'vnet2', 'link', 'veth0', 'type', 'vnet');
    expectExit(['insanely', '-i', 'vnet2', '--both', '--for', '30s', 'veth0', 'time', '5', '5'], 0);
    ip('link', 'del', 'vnet2');
    expectExit(['insanely', '-i', 'vnet0', '--for', '60s', 'veth0', 'percent', '50'], 0);
    sys([RMMOD, 'vnet']);
    expect(waitFor(() => !fs.existsSync('/sys/class/net/vnet0'), 5000)).toBe(true);
    sys([MODPROBE, 'vnet']);
    expect(state()).toMatchObject({ slave: null, mode: 'pass' });
  });
});
