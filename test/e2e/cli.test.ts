/*
 * Every command's generic options and usage errors, as a user sees them:
 * the npm-installed commands on PATH, -h/-V, --color, NO_COLOR, and exit
 * 2 for bad syntax or values with nothing sent to the kernel.
 *
 * The commands here change nothing, so they run a few at a time (node
 * starts slowly in the TCG guest); each test then asserts on its results.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import {
  ANSI,
  COMMANDS,
  expectCode,
  expectExit,
  inet,
  kernelRequests,
  link,
  PREFIX_BIN,
  reloadVnet,
  Result,
  ROOT,
  runMany,
  traced,
  which,
} from './helpers';

const VERSION = JSON.parse(fs.readFileSync(path.join(ROOT, 'package.json'), 'utf8')).version as string;

beforeAll(() => reloadVnet());

describe('the installed package', () => {
  test.each(COMMANDS)('%s is found on PATH in the npm-installed prefix, not the source tree', (cmd) => {
    const p = which(cmd);
    expect(p).toBe(path.join(PREFIX_BIN, cmd));
    expect(fs.realpathSync(p as string)).toBe(
      path.join(ROOT, 'build', 'e2e-prefix', 'lib', 'node_modules', 'vnet', 'bin', cmd),
    );
  });
});

describe('generic options', () => {
  const argvs: string[][] = [];
  for (const cmd of COMMANDS) argvs.push([cmd, '-h'], [cmd, '-V']);
  argvs.push(['vnet-echo', '--bogus'], ['vnet-down', '--color=purple']);
  const res = new Map<string, Result>();
  beforeAll(async () => {
    const rs = await runMany(argvs);
    argvs.forEach((a, i) => res.set(a.join(' '), rs[i]));
  });
  const get = (...argv: string[]): Result => {
    const r = res.get(argv.join(' ')) as Result;
    return r;
  };

  test.each(COMMANDS)('%s -h prints the usage and the exit codes on stdout, exit 0', (cmd) => {
    const r = get(cmd, '-h');
    expectCode([cmd, '-h'], r, 0);
    expect(r.stdout).toMatch(new RegExp(`^Usage: ${cmd} `));
    expect(r.stdout).toContain('Exit status:');
    expect(r.stdout).toMatch(/^ +4 +permission denied/m);
    expect(r.stderr).toBe('');
  });

  test.each(COMMANDS)('%s -V prints the package version, exit 0', (cmd) => {
    const r = get(cmd, '-V');
    expectCode([cmd, '-V'], r, 0);
    expect(r.stdout).toBe(`${VERSION}\n`);
    expect(r.stderr).toBe('');
  });

  test.each(['vnet-echo'])('%s --bogus: usage error (exit 2) with a hint on stderr, nothing on stdout', (cmd) => {
    const r = get(cmd, '--bogus');
    expectCode([cmd, '--bogus'], r, 2);
    expect(r.stdout).toBe('');
    expect(r.stderr).toMatch(new RegExp(`^${cmd}: .*--bogus`, 'm'));
    expect(r.stderr).toContain(`Try '${cmd} --help' for more information.`);
  });

  test('--color=purple is a usage error (exit 2)', () => {
    const r = get('vnet-down', '--color=purple');
    expectCode(['vnet-down', '--color=purple'], r, 2);
    expect(r.stderr).toMatch(/purple/);
    expect(r.stdout).toBe('');
  });
});

describe('colour', () => {
  // vnetconfig prints the device name in bold; diagnostics are red.
  const cases: [string, string[], Record<string, string>][] = [
    ['always', ['vnetconfig', '-a', '--color=always'], {}],
    ['never', ['vnetconfig', '-a', '--color=never'], {}],
    ['default', ['vnetconfig', '-a'], {}],
    ['NO_COLOR default', ['vnetconfig', '-a'], { NO_COLOR: '1' }],
    ['NO_COLOR always', ['vnetconfig', '-a', '--color=always'], { NO_COLOR: '1' }],
    ['error always', ['vnetconfig', '--color=always', 'nosuch0'], {}],
  ];
  const res = new Map<string, Result>();
  beforeAll(async () => {
    // one batch per environment
    for (const env of [{}, { NO_COLOR: '1' }]) {
      const sel = cases.filter((c) => JSON.stringify(c[2]) === JSON.stringify(env));
      const rs = await runMany(sel.map((c) => c[1]), { env });
      sel.forEach((c, i) => res.set(c[0], rs[i]));
    }
  });
  const get = (name: string): Result => res.get(name) as Result;

  test('--color=always colours stdout even into a pipe', () => {
    const r = get('always');
    expectCode(['vnetconfig', '-a', '--color=always'], r, 0);
    expect(r.stdout).toMatch(/\x1b\[1mvnet0\x1b\[22m: flags=/);
  });

  test('--color=never and the default (auto), into a pipe: no colour', () => {
    for (const n of ['never', 'default']) {
      const r = get(n);
      expect(r.code).toBe(0);
      expect(r.stdout).toMatch(/^vnet0: flags=/);
      expect(r.stdout).not.toMatch(ANSI);
    }
  });

  test('NO_COLOR set: no colour by default, but --color=always wins', () => {
    expect(get('NO_COLOR default').stdout).toMatch(/^vnet0: flags=/);
    expect(get('NO_COLOR default').stdout).not.toMatch(ANSI);
    expect(get('NO_COLOR always').stdout).toMatch(/\x1b\[1mvnet0\x1b\[22m: flags=/);
  });

  test('diagnostics go to stderr, red with --color=always, plain otherwise', () => {
    const a = get('error always');
    expectCode(['vnetconfig', '--color=always', 'nosuch0'], a, 3);
    expect(a.stdout).toBe('');
    expect(a.stderr).toMatch(/^vnetconfig: \x1b\[31mnosuch0: no such device\x1b\[39m$/m);
  });
});

describe('usage errors: exit 2, a diagnostic and a hint on stderr, nothing on stdout', () => {
  const cases: [string, string[]][] = [
    // too many / too few arguments
    ['vnet-down: two devices', ['vnet-down', 'vnet0', 'vnet1']],
    ['vnet-up: a stray word', ['vnet-up', 'vnet0', '10.0.0.2/24', 'bogus']],
    ['vnet-up: netmask without a value', ['vnet-up', 'vnet0', '10.0.0.2', 'netmask']],
    ['insanely: SLAVE without a mode', ['insanely', 'veth0']],
    ['insanely: percent without N', ['insanely', 'veth0', 'percent']],
    ['insanely: --seed without a mode', ['insanely', '--seed', '5']],
    ['vnet-echo: -c without a value', ['vnet-echo', '-c']],
    // bad values
    ['insanely: percent 101', ['insanely', 'veth0', 'percent', '101']],
    ['insanely: percent -1', ['insanely', 'veth0', 'percent', '-1']],
    ['insanely: percent abc', ['insanely', 'veth0', 'percent', 'abc']],
    ['insanely: time 0 (ticks)', ['insanely', 'veth0', 'time', '0', '10']],
    ['insanely: time 0.05 ticks (half a millisecond)', ['insanely', 'veth0', 'time', '0.05', '10']],
    ['insanely: --seed over 64 bits', ['insanely', '--seed', '0x10000000000000000', 'veth0', 'pass']],
    ['vnet-up: prefix 33', ['vnet-up', 'vnet0', '10.0.0.2/33']],
    ['vnet-up: mtu 67', ['vnet-up', 'vnet0', 'mtu', '67']],
    ['vnet-echo: -c 0', ['vnet-echo', '-c', '0']],
    // names longer than IFNAMSIZ - 1 = 15 bytes
    ['vnet-up: a 16-byte name', ['vnet-up', 'vnet0123456789ab']],
    ['vnet-down: a 16-byte name', ['vnet-down', 'vnet0123456789ab']],
    ['vnetconfig: a 16-byte name', ['vnetconfig', 'vnet0123456789ab']],
    ['vnet-reset-stats: a 16-byte name after a good one', ['vnet-reset-stats', 'vnet0', 'vnet0123456789ab']],
    ['insanely: a 15-character, 16-byte UTF-8 slave name', ['insanely', 'vethé123456789a', 'pass']],
  ];
  // 15 bytes is still a valid name: not found (3), not a usage error.
  const boundary: string[][] = [
    ['vnetconfig', 'vnet0123456789a'],
    ['insanely', 'veth0123456789a', 'pass'],
  ];
  let rs: Result[] = [];
  let bs: Result[] = [];
  beforeAll(async () => {
    rs = await runMany(cases.map((c) => c[1]));
    bs = await runMany(boundary);
  });

  test.each(cases.map((c, i) => [c[0], i] as const))('%s', (_name, i) => {
    const argv = cases[i][1];
    const r = rs[i];
    expectCode(argv, r, 2);
    expect(r.stdout).toBe('');
    expect(r.stderr).toMatch(new RegExp(`^${argv[0]}: `));
    expect(r.stderr).toContain(`Try '${argv[0]} --help' for more information.`);
  });

  test('15-byte names are valid: a missing device or slave is "not found" (exit 3)', () => {
    expectCode(boundary[0], bs[0], 3);
    expect(bs[0].stderr).toBe('vnetconfig: vnet0123456789a: no such device\n');
    expectCode(boundary[1], bs[1], 3);
    // (the extack text's "vnet: " prefix depends on the module's version)
    expect(bs[1].stderr).toMatch(/^insanely: veth0123456789a: no such slave interface\nError: (vnet: )?slave interface not found\.\n$/);
  });

  test('vnet-echo -s 4097: strace shows not even a socket opened to the kernel', () => {
    const argv = ['vnet-echo', '-s', '4097'];
    const r = traced(argv);
    expectCode(argv, r, 2);
    expect(r.stderr).toMatch(/4096/);
    expect(kernelRequests(r.calls)).toEqual([]);
  });

  test('refused values change nothing: vnet-up with a good address but a bad MTU leaves vnet0 as it was', () => {
    // ifconfig would have set the address before failing on the MTU
    expectExit(['vnet-up', 'vnet0', '10.77.0.1/24', 'mtu', '67'], 2);
    expect(inet('vnet0')).toEqual([]);
    expect(link('vnet0').flags).not.toContain('UP');
  });
});
