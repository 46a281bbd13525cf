/*
 * The addon's rtnetlink dumps, setns(2) and the fake's parity with them,
 * on the host (no vnet module needed): dumpLinks() and dumpAddresses()
 * against `ip -j`, enterNetns() in a child process (it moves the calling
 * thread for good) against a namespace made with `ip netns add`, and the
 * escaping of an interface name that is not UTF-8.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import * as path from 'node:path';

import { findAddon } from '../../src/binding/native';
import type { VnetBinding } from '../../src/binding/types';
import { FakeBinding } from '../fake-binding';
import { showName } from '../fake-rtnl';
import { native, openFds, thrown } from './helpers';

const b = native();
const IP = '/usr/sbin/ip';
const ROOT = path.resolve(__dirname, '..', '..');

// eslint-disable-next-line @typescript-eslint/no-explicit-any
function ipJson(...args: string[]): any[] {
  return JSON.parse(execFileSync(IP, ['-j', ...args], { encoding: 'utf8' }));
}

const SCOPES: Record<string, number> = { global: 0, site: 200, link: 253, host: 254 };

describe('dumpLinks()', () => {
  test('the same interfaces, names, MTUs, addresses and queue lengths as ip -j link', () => {
    const ours = b.dumpLinks();
    const theirs = ipJson('-s', 'link', 'show');
    expect(ours.map((l) => [l.ifindex, l.name])).toEqual(theirs.map((l) => [l.ifindex, l.ifname]));
    for (const l of ours) {
      const t = theirs.find((x) => x.ifindex === l.ifindex);
      expect([l.name, l.mtu, l.txqueuelen, l.mac]).toEqual([t.ifname, t.mtu, t.txqlen ?? 0, t.address ?? '']);
      expect(l.nameEscaped).toBe(false);
      expect(l.flags & 0x1).toBe(t.flags.includes('UP') ? 1 : 0);
      expect(typeof l.stats.rx_packets).toBe('bigint');
      expect(l.stats.rx_packets >= BigInt(t.stats64.rx.packets)).toBe(true);
    }
    const lo = ours.find((l) => l.name === 'lo')!;
    expect([lo.kind, lo.type]).toEqual(['', 772]); // ARPHRD_LOOPBACK
  });

  test('dumpLinks(KIND): the kernel sends only the links of that kind (ip link show type KIND)', () => {
    const all = b.dumpLinks();
    const kinds = new Set(all.map((l) => l.kind).filter(Boolean));
    expect(kinds.size).toBeGreaterThan(0); // this machine: ifb0, ifb1 (and lo, eth0 without a kind)
    for (const kind of kinds) {
      expect(b.dumpLinks(kind).map((l) => l.name)).toEqual(all.filter((l) => l.kind === kind).map((l) => l.name));
    }
    // a kind no driver registered: the kernel does not filter (hence vnetLinks' own check)
    expect(b.dumpLinks('no-such-kind').length).toBe(all.length);
    expect(() => b.dumpLinks(42 as unknown as string)).toThrow(expect.objectContaining({ code: 'ERR_INVALID_ARG_TYPE' }));
  });
});

describe('dumpAddresses()', () => {
  test('every address of ip -j addr, secondary and IPv6 included', () => {
    const ours = b.dumpAddresses();
    const theirs = ipJson('addr', 'show').flatMap((l) =>
      // eslint-disable-next-line @typescript-eslint/no-explicit-any
      (l.addr_info as any[]).map((a) => ({
        ifindex: l.ifindex,
        family: a.family,
        local: a.local,
        prefixlen: a.prefixlen,
        scope: SCOPES[a.scope] ?? a.scope,
        secondary: a.secondary === true,
      })),
    );
    const key = (a: { ifindex: number; family: string; local: string }): string => `${a.ifindex} ${a.family} ${a.local}`;
    expect(ours.map(key).sort()).toEqual(theirs.map(key).sort());
    for (const a of ours) {
      const t = theirs.find((x) => key(x) === key(a))!;
      expect([a.prefixlen, a.scope, (a.flags & 1) === 1 && a.family === 'inet']).toEqual([t.prefixlen, t.scope, t.secondary]);
    }
    expect(ours.some((a) => a.family === 'inet' && a.local === '127.0.0.1')).toBe(true);
  });

  test("dumpAddresses(IFINDEX): that device's addresses, as ip addr show dev DEV lists them", () => {
    const all = b.dumpAddresses();
    const key = (a: { ifindex: number; family: string; local: string; prefixlen: number }): string =>
      `${a.ifindex} ${a.family} ${a.local}/${a.prefixlen}`;
    for (const l of b.dumpLinks()) {
      const one = b.dumpAddresses(l.ifindex);
      expect(one.map(key)).toEqual(all.filter((a) => a.ifindex === l.ifindex).map(key));
      const theirs = ipJson('addr', 'show', 'dev', l.name).flatMap((x) =>
        // eslint-disable-next-line @typescript-eslint/no-explicit-any
        (x.addr_info as any[]).map((a) => `${l.ifindex} ${a.family} ${a.local}/${a.prefixlen}`),
      );
      expect([...one.map(key)].sort()).toEqual(theirs.sort());
    }
    expect(b.dumpAddresses(1).map((a) => a.local)).toEqual(expect.arrayContaining(['127.0.0.1']));
  });

  test('dumpAddresses(IFINDEX) of no device: ENODEV; a bad ifindex: the validators\' errors', () => {
    const free = Math.max(...b.dumpLinks().map((l) => l.ifindex)) + 1000;
    expect(() => b.dumpAddresses(free)).toThrow(expect.objectContaining({ code: 'ENODEV', syscall: 'rtnl RTM_GETADDR' }));
    expect(() => b.dumpAddresses('lo' as unknown as number)).toThrow(expect.objectContaining({ code: 'ERR_INVALID_ARG_TYPE' }));
    expect(() => b.dumpAddresses(0)).toThrow(expect.objectContaining({ code: 'ERR_OUT_OF_RANGE' }));
    expect(() => b.dumpAddresses(1.5)).toThrow(expect.objectContaining({ code: 'ERR_OUT_OF_RANGE' }));
  });
});

describe('linkStatsAsync()', () => {
  test('a burst holds at most 8 sockets, opened when asked; every request answered', async () => {
    await b.linkStatsAsync('lo'); // the pool's first socket
    const before = openFds();
    const all = Promise.all(Array.from({ length: 300 }, () => b.linkStatsAsync('lo')));
    expect(openFds() - before).toBeLessThanOrEqual(7);
    const out = await all;
    expect(out).toHaveLength(300);
    expect(out.every((x) => typeof x.rx_packets === 'bigint')).toBe(true);
    expect(openFds() - before).toBeLessThanOrEqual(7);
  });
});

describe('enterNetns()', () => {
  const NS = `vnet-native-${process.pid}`;
  beforeAll(() => {
    execFileSync(IP, ['netns', 'add', NS]);
    // a veth pair in there, one end named with bytes that are not UTF-8
    // (node passes argv as UTF-8: bash's $'\xff' makes the raw byte)
    execFileSync('/bin/bash', ['-c', `${IP} -n ${NS} link add peer0 type veth peer name $'in\\xffx'`]);
    execFileSync(IP, ['-n', NS, 'addr', 'add', '10.9.0.1/24', 'dev', 'peer0']);
    execFileSync(IP, ['-n', NS, 'addr', 'add', '10.9.0.2/24', 'dev', 'peer0']);
  });
  afterAll(() => {
    spawnSync(IP, ['netns', 'del', NS]);
  });
  /** an interface of this namespace that NS does not have */
  const OUTSIDE = b.dumpLinks().find((l) => l.name !== 'lo')?.name ?? 'lo-missing';

  /**
   * Runs the addon in a child node: `before`, enterNetns(NS), then `code`
   * (async: what it returns is the result).
   */
  function inChild(code: string, before = '', ...args: string[]): unknown {
    const script = `
      const m = { exports: {} };
      process.dlopen(m, ${JSON.stringify(findAddon())});
      const b = m.exports;
      (async () => {
        ${before}
        b.enterNetns(process.argv[1]);
        ${code}
      })().then((out) => {
        process.stdout.write(JSON.stringify(out, (k, v) => typeof v === 'bigint' ? String(v) : v));
      }, (e) => { console.error(e); process.exitCode = 1; });
    `;
    const r = spawnSync(process.execPath, ['-e', script, NS, ...args], {
      encoding: 'utf8',
      cwd: ROOT,
    });
    if (r.status !== 0) throw new Error(`child failed: ${r.stderr}`);
    return JSON.parse(r.stdout);
  }

  test('afterwards every socket, ioctl and dump sees that namespace only', () => {
    const out = inChild(`return {
      links: b.dumpLinks().map((l) => [l.name, l.nameEscaped, l.kind]).sort(),
      names: b.listInterfaces(),
      peer: b.getInterface('peer0').ipv4,
      addrs: b.dumpAddresses().filter((a) => a.family === 'inet').map((a) => [a.local, a.flags & 1]),
    }`) as Record<string, unknown>;
    expect(out.links).toEqual([
      ['in\\xffx', true, 'veth'],
      ['lo', false, ''],
      ['peer0', false, 'veth'],
    ]);
    expect(out.names).toContain('peer0');
    expect(out.peer).toEqual({ address: '10.9.0.1', netmask: '255.255.255.0', broadcast: '0.0.0.0' });
    expect(out.addrs).toEqual([
      ['10.9.0.1', 0],
      ['10.9.0.2', 1],
    ]);
  });

  test('asynchronous requests go to that namespace too, not the worker thread\'s', () => {
    // they run on libuv's worker threads, which setns() on the JS thread
    // does not move once they exist (any earlier fs.promises call starts
    // them): their sockets must come from the calling thread; and the
    // pooled socket of a request made before the move is not reused
    const before = `await require('node:fs').promises.stat('/'); await b.linkStatsAsync('lo');`;
    const out = inChild(`
      const own = await b.linkStatsAsync('peer0');
      const lo = await Promise.all([1, 2, 3, 4, 5].map(() => b.linkStatsAsync('lo')));
      let outside;
      try { await b.linkStatsAsync(process.argv[2]); } catch (e) { outside = e.code; }
      return { own: typeof own.tx_packets, lo: lo.length, outside };
    `, before, OUTSIDE) as Record<string, unknown>;
    expect(out).toEqual({ own: 'bigint', lo: 5, outside: 'ENODEV' });
  });
});

describe('the fake agrees with the addon', () => {
  const fake = new FakeBinding();
  fake.addLoopback();
  fake.moduleLoaded = false;
  const cases: [string, (x: VnetBinding) => unknown][] = [
    ['no such namespace', (x) => x.enterNetns('vnet-no-such-ns')],
    ['not a namespace name', (x) => x.enterNetns('a/b')],
    ['empty namespace name', (x) => x.enterNetns('')],
    ['echo without the module', (x) => x.openEcho()],
    ['bad address family', (x) => x.addAddress('lo', { family: 'ipx' as 'inet', local: '1.2.3.4', prefixlen: 8 })],
    ['bad IPv6 address', (x) => x.delAddress('lo', { family: 'inet6', local: '1.2.3.4', prefixlen: 64 })],
    ['prefix too long', (x) => x.addAddress('lo', { family: 'inet', local: '1.2.3.4', prefixlen: 33 })],
    ['bad MAC', (x) => x.setHwAddress('lo', '00:11:22')],
    ['bad broadcast', (x) => x.setBroadcast('lo', '1.2.3')],
    ['negative txqueuelen', (x) => x.setTxqueuelen('lo', -1)],
    ['txqueuelen on a missing device', (x) => x.setTxqueuelen('vnet_nope', 10)],
  ];
  test.each(cases)('%s', (_what, fn) => {
    const r = thrown(() => fn(b));
    const f = thrown(() => fn(fake));
    expect(f.constructor.name).toBe(r.constructor.name);
    expect(f.message).toBe(r.message);
    for (const k of ['errno', 'code', 'syscall', 'ifname', 'extack']) expect([k, f[k]]).toEqual([k, r[k]]);
  });

  test('name escaping', () => {
    expect(showName(Buffer.from('vnet0'))).toEqual({ name: 'vnet0', escaped: false });
    expect(showName(Buffer.from('v\u00e9net'))).toEqual({ name: 'v\u00e9net', escaped: false });
    expect(showName(Buffer.from([0x76, 0xff, 0x30]))).toEqual({ name: 'v\\xff0', escaped: true });
    expect(showName(Buffer.from([0x76, 0xc3]))).toEqual({ name: 'v\\xc3', escaped: true });
    expect(showName(Buffer.from([0x76, 0x1b, 0x30]))).toEqual({ name: 'v\\x1b0', escaped: true });
    expect(showName(Buffer.from([0xed, 0xa0, 0x80]))).toEqual({ name: '\\xed\\xa0\\x80', escaped: true });
  });
});
