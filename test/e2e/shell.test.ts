/*
 * The commands as a sysadmin meets them in a shell (issue 10 §1, issue 12
 * §3): closed pipes, Ctrl-C and SIGTERM, -n NETNS, vnet-monitor, bash
 * completion from the installed package, the rp_filter warning, and the
 * default device on a host where libvirt owns vnet0.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';

import {
  ANSI,
  expectCode,
  expectExit,
  ip,
  link,
  MODPROBE,
  reloadVnet,
  RMMOD,
  ROOT,
  run,
  sys,
  trySys,
} from './helpers';
import { bash, live, sleep } from './live';

const NS = 'vnsblue';
const PKG = path.join(ROOT, 'build', 'e2e-prefix', 'lib', 'node_modules', 'vnet');

function rpFilter(dev: string, v: number): void {
  fs.writeFileSync(`/proc/sys/net/ipv4/conf/${dev}/rp_filter`, String(v));
}

beforeAll(() => {
  reloadVnet();
  sys([MODPROBE, 'veth']);
  trySys(['/sbin/ip', 'link', 'del', 'sh0']);
  ip('link', 'add', 'sh0', 'type', 'veth', 'peer', 'name', 'sh1');
  for (const k of ['all', 'default']) rpFilter(k, 0);
});

afterAll(() => {
  trySys(['/sbin/ip', 'link', 'del', 'sh0']);
  trySys(['/sbin/ip', 'netns', 'del', NS]);
});

describe('a closed pipe (EPIPE) ends a command quietly, exit 0', () => {
  // `| true`: the reader is gone long before node has started, so the
  // first write fails with EPIPE
  test.each([
    ['insanely --help'],
    ['vnetconfig -a'],
    ['vnetconfig -a -s'],
    ['vnet-echo -c 3 -i 0'],
    ['insanely'],
  ])('%s | true', (cmd) => {
    const r = bash(`${cmd} | true; echo "status \${PIPESTATUS[0]}"`);
    expect(r.stdout).toBe('status 0\n');
    expect(r.stderr).toBe(''); // no stack trace, no EPIPE message
  });

  test('vnet-echo -c 50 -i 0.05 | head -1: stops at the closed pipe, long before 50 echoes', () => {
    const r = bash('time_start=$SECONDS; vnet-echo -c 50 -i 0.05 hi | head -1; echo "status ${PIPESTATUS[0]}"');
    expect(r.stdout).toMatch(/^2 bytes from vnet_nl: seq=1 time=[0-9.]+ ms "hi"\nstatus 0\n$/);
    expect(r.stderr).toBe('');
    expect(r.ms).toBeLessThan(2500 + 4000); // 50 × 50 ms would be 2.5 s after start-up
  });

  test('vnet-monitor | head -1 ends with the first event after the reader left', async () => {
    const m = live(['/bin/bash', '-c', 'vnet-monitor | head -1; echo "status ${PIPESTATUS[0]}"']);
    // events until the monitor has subscribed and head has its line
    for (let i = 0; i < 100 && !/status/.test(m.out()); i++) {
      expectExit(['vnet-reset-stats', '-q'], 0);
      await sleep(200);
    }
    const r = await m.done;
    expect(r.stdout).toBe('vnet0: statistics reset\nstatus 0\n');
    expect(r.stderr).toBe('');
  });
});

describe('signals: Ctrl-C and SIGTERM', () => {
  test.each(['SIGINT', 'SIGTERM'] as const)('vnet-echo -c 100 and %s: summary at once, exit 0 (ping)', async (sig) => {
    const e = live(['vnet-echo', '-c', '100', 'ping']);
    await e.waitFor(/seq=2 /);
    const t = Date.now();
    e.child.kill(sig);
    const r = await e.done;
    expect(r.code).toBe(0);
    expect(r.signal).toBeNull();
    expect(Date.now() - t).toBeLessThan(1500);
    expect(r.stdout).toMatch(/\n--- vnet_nl echo statistics ---\n(\d+) sent, (\d+) received, [0-9.]+% loss\nrtt /);
    const [, sent] = /(\d+) sent/.exec(r.stdout)!;
    expect(Number(sent)).toBeLessThan(10);
    expect(r.stderr).toBe('');
  });

  test.each(['SIGINT', 'SIGTERM'] as const)('vnet-monitor and %s while it waits: exit 0 at once', async (sig) => {
    const m = live(['vnet-monitor']);
    for (let i = 0; i < 100 && m.out() === ''; i++) {
      expectExit(['vnet-reset-stats', '-q'], 0);
      await sleep(200);
    }
    await m.waitFor(/statistics reset\n/);
    await sleep(300); // in its wait
    const t = Date.now();
    m.child.kill(sig);
    const r = await m.done;
    expect([r.code, r.signal]).toEqual([0, null]);
    expect(Date.now() - t).toBeLessThan(1500);
    expect(r.stderr).toBe('');
  });

  // The addon itself: a wait that a signal interrupts comes back to JS
  // with EINTR at once, so that Node can run the handler (before, poll()
  // was retried and the handler ran only when the wait ended).
  test.each([
    ['GenlSocket.nextEvent', 'const g = b.openGenl(); g.subscribe(); g.nextEvent(20000);'],
    ['EchoSocket.receive', 'const s = b.openEcho(); s.receive(20000);'],
  ])('%s: SIGINT ends a 20 s wait with EINTR, and the JS handler runs', async (_what, code) => {
    const script = `
      const b = require(${JSON.stringify(path.join(PKG, 'dist', 'binding'))}).loadBinding();
      let handled = false;
      process.on('SIGINT', () => { handled = true; });
      process.stdout.write('waiting\\n');
      const t0 = Date.now();
      let err = 'none';
      try { ${code} } catch (e) { err = e.code; }
      const ms = Date.now() - t0;
      setImmediate(() => process.stdout.write(JSON.stringify({ err, ms, handled }) + '\\n'));
    `;
    const c = live([process.execPath, '-e', script]);
    await c.waitFor(/waiting\n/);
    await sleep(300);
    c.child.kill('SIGINT');
    const r = await c.done;
    const o = JSON.parse(r.stdout.split('\n')[1]);
    expect(o).toMatchObject({ err: 'EINTR', handled: true });
    expect(o.ms).toBeLessThan(5000);
  });
});

describe('vnet-monitor', () => {
  test('one line per event: config, statistics reset, slave lost; -j is NDJSON', async () => {
    const t = live(['vnet-monitor']);
    const j = live(['vnet-monitor', '-j']);
    // wait until both have subscribed: they print the first reset
    for (let i = 0; i < 100 && (t.out() === '' || j.out() === ''); i++) {
      expectExit(['vnet-reset-stats', '-q'], 0);
      await sleep(200);
    }
    const base = [t.out().length, j.out().length];
    ip('link', 'add', 'mon0', 'type', 'veth', 'peer', 'name', 'mon1');
    expectExit(['insanely', '--seed', '5', 'mon0', 'percent', '70'], 0);
    expectExit(['vnet-reset-stats'], 0);
    ip('link', 'del', 'mon0');
    await t.waitFor(/slave lost/);
    await j.waitFor(/slave_lost/);
    t.child.kill('SIGINT');
    j.child.kill('SIGINT');
    const [rt, rj] = await Promise.all([t.done, j.done]);
    expect(rt.code).toBe(0);
    // the receive policy's random seed, exactly (a u64: JSON.parse would round it)
    const rxSeed = /\nrx seed: +(\d+)\n/.exec(expectExit(['insanely'], 0).stdout)?.[1];
    expect(rxSeed).toBeDefined();
    expect(rt.stdout.slice(base[0])).toBe(
      'vnet0: config: relay mode percent  arguments 70 0  slave mon0  seed 5; receive mode pass  arguments 0 0  seed ' + rxSeed + '\n' +
        'vnet0: statistics reset\n' +
        'vnet0: slave lost: the slave was unregistered; relay mode percent  arguments 70 0  no slave (loopback)  seed 5; receive mode pass  arguments 0 0  seed ' + rxSeed + '\n',
    );
    const events = rj.stdout
      .slice(base[1])
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l));
    expect(events.map((e) => [e.event, e.ifname, e.slave])).toEqual([
      ['config', 'vnet0', 'mon0'],
      ['stats_reset', 'vnet0', 'mon0'],
      ['slave_lost', 'vnet0', null],
    ]);
    expect(events[2].stats.slave_lost).toBe(1);
  });

  test('insanely with the policy the device has sends nothing: no event; --force does', async () => {
    ip('link', 'add', 'mon0', 'type', 'veth', 'peer', 'name', 'mon1');
    ip('link', 'add', 'vmon9', 'type', 'vnet');
    expectExit(['insanely', '-i', 'vnet0', '--seed', '5', 'mon0', 'percent', '70'], 0);
    const m = live(['vnet-monitor', '-j']);
    // subscribed once it reports a reset of vmon9
    for (let i = 0; i < 100 && m.out() === ''; i++) {
      expectExit(['vnet-reset-stats', '-q', 'vmon9'], 0);
      await sleep(200);
    }
    const base = m.out().length;
    expect(expectExit(['insanely', '-i', 'vnet0', '--seed', '5', 'mon0', 'percent', '70'], 0).stdout).toMatch(/unchanged/);
    expectExit(['insanely', '-i', 'vnet0', '--seed', '6', '--force', 'mon0', 'percent', '70'], 0);
    await m.waitFor(/"seed":6/);
    m.child.kill('SIGTERM');
    const r = await m.done;
    const vnet0 = r.stdout
      .slice(base)
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l))
      .filter((e) => e.ifname === 'vnet0');
    // only the forced SET: the no-op with seed 5 sent nothing
    expect(vnet0.map((e) => [e.event, e.seed])).toEqual([['config', 6]]);
    ip('link', 'del', 'vmon9');
    ip('link', 'del', 'mon0');
  });
});

describe('-n NETNS, as ip -n', () => {
  beforeAll(() => {
    ip('netns', 'add', NS);
    ip('-n', NS, 'link', 'add', 'vblue0', 'type', 'vnet');
    ip('-n', NS, 'link', 'add', 'nsv0', 'type', 'veth', 'peer', 'name', 'nsv1');
    ip('-n', NS, 'link', 'set', 'nsv0', 'up');
  });

  test('every command sees that namespace only', () => {
    const all = expectExit(['vnetconfig', '-n', NS, '-a', '-j'], 0);
    expect(JSON.parse(all.stdout).map((d: { ifname: string }) => d.ifname)).toEqual(['vblue0']);
    expectExit(['vnet-up', '-n', NS, '-q', 'vblue0', '10.9.0.1/24'], 0);
    expect(JSON.parse(sys(['/sbin/ip', '-n', NS, '-j', '-4', 'addr', 'show', 'dev', 'vblue0']))[0].addr_info[0].local).toBe(
      '10.9.0.1',
    );
    const ins = expectExit(['insanely', '-n', NS, 'nsv0', 'pass'], 0); // the only vnet device there: vblue0
    expect(ins.stdout).toBe('vblue0: relaying everything to nsv0\n');
    expect(JSON.parse(sys(['/sbin/ip', '-n', NS, '-j', '-d', 'link', 'show', 'dev', 'vblue0']))[0].link).toBe('nsv0');
    expect(expectExit(['vnet-reset-stats', '-n', NS, '--all', '-j'], 0).stdout).toBe('{"reset":["vblue0"]}\n');
    expect(expectExit(['vnet-echo', '-n', NS, '-q'], 0).stdout).toContain('1 sent, 1 received');
    expect(expectExit(['vnet-down', '-n', NS], 0).stdout).toMatch(/^vblue0: down /);
    // and the initial namespace is untouched
    expect(link('vnet0').link).not.toBe('nsv0');
    expect(run(['/sbin/ip', 'link', 'show', 'dev', 'vblue0']).code).not.toBe(0);
  });

  test('the rp_filter warning is about the slave in that namespace (the kernel reports it, not /sys)', () => {
    sys(['/sbin/ip', 'netns', 'exec', NS, '/bin/sh', '-c', 'echo 1 > /proc/sys/net/ipv4/conf/nsv0/rp_filter']);
    const r = expectExit(['insanely', '-n', NS], 0);
    expect(r.stderr).toMatch(/^insanely: warning: nsv0 has strict reverse-path filtering \(rp_filter=1\)/);
    sys(['/sbin/ip', 'netns', 'exec', NS, '/bin/sh', '-c', 'echo 0 > /proc/sys/net/ipv4/conf/nsv0/rp_filter']);
    expect(expectExit(['insanely', '-n', NS], 0).stderr).toBe('');
  });

  test('a namespace that does not exist: exit 3; entering one without CAP_SYS_ADMIN: exit 4', () => {
    const r = expectExit(['vnetconfig', '-n', 'nosuchns'], 3);
    expect(r.stderr).toBe("vnetconfig: network namespace 'nosuchns' not found (see 'ip netns list')\n");
    const u = expectExit(
      ['/usr/bin/setpriv', '--reuid=65534', '--regid=65534', '--clear-groups', '--inh-caps=-all', '--', 'vnetconfig', '-n', NS],
      4,
    );
    expect(u.stderr).toMatch(/^vnetconfig: cannot enter network namespace 'vnsblue': permission denied/);
  });
});

describe('the rp_filter warning', () => {
  test('strict rp_filter on the slave: a warning on stderr (stdout and status unchanged); loose: none', () => {
    rpFilter('sh0', 1);
    const r = expectExit(['insanely', '-i', 'vnet0', 'sh0', 'pass'], 0);
    expect(r.stdout).toBe('vnet0: relaying everything to sh0\n');
    expect(r.stderr).toBe(
      'insanely: warning: sh0 has strict reverse-path filtering (rp_filter=1): replies from hosts routed through vnet0 arrive on sh0 and are dropped\n' +
        'insanely:   (use loose mode: sysctl -w net.ipv4.conf.sh0.rp_filter=2, and net.ipv4.conf.all.rp_filter must not be 1)\n',
    );
    // "all" at 1 makes it strict too (the kernel reports the effective value)
    rpFilter('sh0', 0);
    rpFilter('all', 1);
    expect(expectExit(['insanely'], 0).stderr).toMatch(/sh0 has strict reverse-path filtering/);
    rpFilter('all', 0);
    rpFilter('sh0', 2);
    expect(expectExit(['insanely'], 0).stderr).toBe('');
    expect(JSON.parse(expectExit(['insanely', '-j'], 0).stdout).slave_rp_filter).toBe(2);
    expectExit(['insanely', 'none'], 0);
  });
});

describe('vnet-up words and vnetconfig on the real kernel', () => {
  test('broadcast, txqueuelen, -arp/arp, promisc, hw ether, add/del (IPv4 secondary, IPv6): as ip sees them', () => {
    expectExit(
      ['vnet-up', '-q', 'vnet0', '10.7.0.2/24', 'broadcast', '10.7.0.127', 'txqueuelen', '321', 'promisc', 'arp', 'hw', 'ether', '02:00:00:aa:bb:cc'],
      0,
    );
    let l = link('vnet0');
    expect([l.txqlen, l.address]).toEqual([321, '02:00:00:aa:bb:cc']);
    expect(l.flags).toEqual(expect.arrayContaining(['UP', 'PROMISC']));
    expect(l.flags).not.toContain('NOARP');
    expectExit(['vnet-up', '-q', 'vnet0', 'add', '10.7.0.3/24', 'add', '2001:db8::2/64', '-arp', '-promisc'], 0);
    l = link('vnet0');
    expect(l.flags).toContain('NOARP');
    expect(l.flags).not.toContain('PROMISC');
    const addrs = JSON.parse(sys(['/sbin/ip', '-j', 'addr', 'show', 'dev', 'vnet0']))[0].addr_info;
    expect(addrs.map((a: { local: string; secondary?: boolean }) => [a.local, a.secondary === true])).toEqual(
      expect.arrayContaining([
        ['10.7.0.2', false],
        ['10.7.0.3', true],
        ['2001:db8::2', false],
      ]),
    );
    expect(addrs.find((a: { local: string }) => a.local === '10.7.0.2').broadcast).toBe('10.7.0.127');
    const v = expectExit(['vnetconfig', 'vnet0'], 0).stdout;
    expect(v).toContain(
      '        inet 10.7.0.2  netmask 255.255.255.0  broadcast 10.7.0.127\n' +
        '        inet 10.7.0.3  netmask 255.255.255.0  broadcast 0.0.0.0\n' +
        '        inet6 2001:db8::2  prefixlen 64  scopeid 0x0<global>\n',
    );
    // again: the address is there already, not an error; del of an absent one is
    expectExit(['vnet-up', '-q', 'vnet0', 'add', '10.7.0.3/24'], 0);
    expectExit(['vnet-up', '-q', 'vnet0', 'del', '10.7.0.3', 'del', '2001:db8::2'], 0);
    expect(expectExit(['vnet-up', '-q', 'vnet0', 'del', '10.7.0.3'], 1).stderr).toBe(
      'vnet-up: vnet0: 10.7.0.3 is not an address of vnet0\n',
    );
    expect(JSON.parse(sys(['/sbin/ip', '-j', 'addr', 'show', 'dev', 'vnet0']))[0].addr_info.map((a: { local: string }) => a.local)).toEqual([
      '10.7.0.2',
    ]);
  });

  test('a device name in the wrong place gets a hint (exit 2, nothing sent)', () => {
    const r = expectExit(['vnet-up', '10.7.0.9/24', 'vnet0'], 2);
    expect(r.stderr).toMatch(/^vnet-up: '10\.7\.0\.9\/24' is an address, not a device: the device comes first, as with ifconfig \(vnet-up vnet0 10\.7\.0\.9\/24\)\n/);
  });

  test('vnetconfig -s: the short table, with the counters ip -s link has', () => {
    const r = expectExit(['vnetconfig', '-s'], 0);
    const [head, row] = r.stdout.split('\n');
    expect(head).toBe('Iface             MTU    RX-OK RX-ERR RX-DRP RX-OVR    TX-OK TX-ERR TX-DRP TX-OVR Flg');
    const cols = row.split(/\s+/);
    const s = JSON.parse(sys(['/sbin/ip', '-j', '-s', 'link', 'show', 'dev', 'vnet0']))[0].stats64;
    expect(cols.slice(0, 2)).toEqual(['vnet0', '1500']);
    expect(Number(cols[2])).toBeLessThanOrEqual(s.rx.packets);
    expect(cols[10]).toMatch(/^B.*M.*O.*U$/);
  });

  test('a vnet device whose name is not UTF-8 is shown, escaped, and reset by --all', () => {
    bash("ip link add $'vx\\xff' type vnet");
    try {
      const r = expectExit(['vnetconfig', '-a'], 0);
      expect(r.stdout).toMatch(/^vx\\xff: flags=/m);
      expect(JSON.parse(expectExit(['vnet-reset-stats', '--all', '-j'], 0).stdout).reset).toContain('vx\\xff');
    } finally {
      bash("ip link del $'vx\\xff'");
    }
  });
});

describe('devices that come and go (containers) during vnetconfig -a and vnet-reset-stats --all', () => {
  test('while vnet devices are created and deleted all the time, both keep exiting 0', async () => {
    const flag = '/tmp/vnet-e2e-churn';
    fs.writeFileSync(flag, '');
    const churn = live([
      '/bin/bash',
      '-c',
      `i=0; while [ -e ${flag} ]; do i=$((i + 1)); ip link add vtmp$((i % 6)) type vnet 2>/dev/null; ip link del vtmp$(((i + 3) % 6)) 2>/dev/null; done; echo "$i rounds"`,
    ]);
    const codes: [string, number | null, string][] = [];
    try {
      for (let i = 0; i < 4; i++) {
        for (const argv of [['vnetconfig', '-a', '-j'], ['vnet-reset-stats', '--all', '-q']]) {
          const r = run(argv);
          codes.push([argv[0], r.code, r.stderr]);
        }
      }
    } finally {
      fs.rmSync(flag, { force: true });
    }
    const c = await churn.done;
    expect(c.stdout).toMatch(/^\d+ rounds\n$/);
    bash('for i in $(seq 0 5); do ip link del vtmp$i 2>/dev/null; done; true');
    expect(codes).toHaveLength(8);
    for (const c of codes) expect(c).toEqual([c[0], 0, '']);
  });
});

describe('bash completion, from the installed package', () => {
  const complete = (line: string): string[] => {
    const cmd = line.split(' ')[0];
    const r = bash(`
      . "${PKG}/share/bash-completion/completions/${cmd}"
      LINE='${line}'
      read -ra COMP_WORDS <<< "$LINE"
      [[ $LINE == *' ' ]] && COMP_WORDS+=("")
      COMP_CWORD=$(( \${#COMP_WORDS[@]} - 1 )); COMP_LINE=$LINE; COMP_POINT=\${#LINE}
      f=$(complete -p ${cmd} | sed 's/.*-F \\([^ ]*\\) .*/\\1/')
      "$f" ${cmd} "\${COMP_WORDS[COMP_CWORD]}" "\${COMP_WORDS[COMP_CWORD-1]}"
      printf '%s\\n' "\${COMPREPLY[@]}"`);
    expectCode(['bash', line], r, 0);
    return r.stdout.split('\n').filter((w) => w !== '');
  };

  test('devices are the vnet devices, slaves the Ethernet links, then the modes', () => {
    expect(complete('vnetconfig ')).toEqual(['vnet0']);
    expect(complete('insanely ')).toEqual(expect.arrayContaining(['none', 'sh0', 'sh1']));
    expect(complete('insanely ')).not.toContain('vnet0');
    expect(complete('insanely sh0 ')).toEqual(['pass', 'percent', 'loss', 'time', 'gemodel']);
    expect(complete('insanely --')).toEqual(expect.arrayContaining(['--tx', '--rx', '--both', '--for', '--seed']));
    expect(complete('vnet-up vnet0 tx')).toEqual(['txqueuelen']);
    expect(complete('vnet-monitor --')).toContain('--json');
    expect(complete('vnetconfig -n ')).toEqual([NS]);
    expect(complete(`vnet-down -n ${NS} `)).toEqual(['vblue0']);
  });
});

describe("the default device on a KVM host (libvirt's taps are vnet0, vnet1...)", () => {
  beforeAll(() => {
    sys([RMMOD, 'vnet']);
    sys([MODPROBE, 'tun']);
    ip('tuntap', 'add', 'dev', 'vnet0', 'mode', 'tap'); // a VM's tap
    sys([MODPROBE, 'vnet', 'ifname=vtest%d']);
  });
  afterAll(() => {
    trySys(['/sbin/ip', 'link', 'del', 'vnet0']);
    reloadVnet();
  });

  test('no name: the only vnet device (vtest0), never the tap; an explicit vnet0 is refused', () => {
    const up = expectExit(['vnet-up'], 0);
    expect(up.stdout).toMatch(/^vtest0: flags=/);
    expect(link('vtest0').flags).toContain('UP');
    expect(link('vnet0').flags).not.toContain('UP');
    expect(expectExit(['insanely'], 0).stdout).toMatch(/^vtest0 has no slave/m);
    const d = expectExit(['vnet-down', 'vnet0'], 3);
    expect(d.stderr).toBe("vnet-down: vnet0: not a vnet device (its driver is 'tun')\n");
    expect(d.stderr).not.toMatch(ANSI);
  });
});
