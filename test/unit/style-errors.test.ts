import { run as insanely } from '../../src/commands/insanely';
import { run as vnetconfig } from '../../src/commands/vnetconfig';
import { diagnose, UsageError, CliError } from '../../src/errors';
import { makeStyle, useColor } from '../../src/style';
import { runCmd, standardKernel, sysErr } from './harness';

const ESC = '\u001b[';

describe('colour', () => {
  test('auto: only on a terminal, never with NO_COLOR or TERM=dumb', () => {
    expect(useColor('auto', { isTTY: true }, {})).toBe(true);
    expect(useColor('auto', { isTTY: false }, {})).toBe(false);
    expect(useColor('auto', {}, {})).toBe(false);
    expect(useColor('auto', { isTTY: true }, { NO_COLOR: '1' })).toBe(false);
    expect(useColor('auto', { isTTY: true }, { NO_COLOR: '' })).toBe(true); // empty = unset
    expect(useColor('auto', { isTTY: true }, { TERM: 'dumb' })).toBe(false);
  });

  test('always and never win over the terminal and NO_COLOR', () => {
    expect(useColor('always', { isTTY: false }, { NO_COLOR: '1' })).toBe(true);
    expect(useColor('never', { isTTY: true }, {})).toBe(false);
    expect(makeStyle(true).red('x')).toBe(`${ESC}31mx${ESC}39m`);
    expect(makeStyle(false).red('x')).toBe('x');
  });

  test('a command on a terminal colours; NO_COLOR and pipes do not', async () => {
    const tty = await runCmd(vnetconfig, [], standardKernel(), { stdoutTTY: true });
    expect(tty.stdout).toContain(`${ESC}1mvnet0${ESC}22m: flags=`);
    const noColor = await runCmd(vnetconfig, [], standardKernel(), { stdoutTTY: true, env: { NO_COLOR: '1' } });
    expect(noColor.stdout).not.toContain(ESC);
    const pipe = await runCmd(vnetconfig, [], standardKernel());
    expect(pipe.stdout).not.toContain(ESC);
    const forced = await runCmd(vnetconfig, ['--color=always'], standardKernel(), { env: { NO_COLOR: '1' } });
    expect(forced.stdout).toContain(ESC);
    const never = await runCmd(vnetconfig, ['--color', 'never'], standardKernel(), { stdoutTTY: true });
    expect(never.stdout).not.toContain(ESC);
  });

  test('stderr is coloured by its own terminal test', async () => {
    const r = await runCmd(insanely, ['eth9', 'pass'], standardKernel(), { stderrTTY: true });
    expect(r.stderr).toBe(
      `insanely: ${ESC}31meth9: no such slave interface${ESC}39m\nError: slave interface not found.\n`,
    );
  });
});

describe('the errno mapping (src/errors.ts)', () => {
  test.each([
    [sysErr('ENODEV', 'ioctl', { ifname: 'vnet0' }), {}, 3, 'vnet0: no such device'],
    [sysErr('ENODEV', 'ioctl'), { dev: 'vnet0', slave: 'eth9' }, 3, 'eth9: no such slave interface'],
    // the addon names the ioctl's own device; the slave is still what is missing
    [sysErr('ENODEV', 'ioctl', { ifname: 'vnet0' }), { dev: 'vnet0', slave: 'eth9' }, 3, 'eth9: no such slave interface'],
    [sysErr('ENOENT', 'genl_ctrl_resolve'), {}, 3, "the vnet module is not loaded (load it with 'modprobe vnet')"],
    [
      sysErr('EPERM', 'ioctl'),
      { dev: 'vnet0' },
      4,
      'vnet0: permission denied: this needs CAP_NET_ADMIN (run it as root or with that capability)',
    ],
    [
      sysErr('EACCES', 'sendmsg'),
      { dev: 'vnet1' },
      4,
      'vnet1: permission denied: this needs CAP_NET_ADMIN (run it as root or with that capability)',
    ],
    [sysErr('ELOOP', 'ioctl'), { dev: 'vnet0', slave: 'vnet1' }, 1, 'vnet1: cannot relay to itself or another vnet device'],
    [
      sysErr('EBUSY', 'ioctl'),
      { dev: 'vnet0', slave: 'eth0' },
      1,
      'eth0: the slave already belongs to a bridge, bond, macvlan or another driver',
    ],
    [sysErr('EINVAL', 'ioctl'), { dev: 'vnet0', op: 'set the MTU to 9500' }, 1, 'vnet0: cannot set the MTU to 9500: invalid argument'],
    [sysErr('EOPNOTSUPP', 'ioctl'), { dev: 'vnet0' }, 1, 'vnet0: ioctl: operation not supported'],
  ])('%p in %p → exit %p, %p', (err, ectx, code, message) => {
    const d = diagnose(err, ectx);
    expect(d.exitCode).toBe(code);
    expect(d.message).toBe(message);
  });

  test('extack becomes an iproute2-style line', () => {
    expect(diagnose(sysErr('EINVAL', 'sendmsg', { extack: 'bad mode' }), { dev: 'vnet0' }).details).toEqual([
      'Error: bad mode.',
    ]);
    expect(diagnose(sysErr('ENODEV', 'sendmsg', { extack: 'No such device.' })).details).toEqual([
      'Error: No such device.',
    ]);
  });

  test('usage, CLI and unexpected errors', () => {
    expect(diagnose(new UsageError('bad')).exitCode).toBe(2);
    expect(diagnose(new CliError(3, 'gone')).exitCode).toBe(3);
    expect(diagnose(new Error('boom'))).toEqual({ exitCode: 1, message: 'internal error: boom', details: [] });
  });
});
