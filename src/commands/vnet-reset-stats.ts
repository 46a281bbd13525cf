/*
 * vnet-reset-stats [DEV...] | --all: zero the driver's counters
 * (VNET_IOCTL_RESET_STATS) of the named vnet devices, or of every one.
 */
import { mainOf, newProgram, runProgram } from '../cli';
import type { Context } from '../context';
import { DEFAULT_DEV, listVnetDevices, noVnetDeviceError, requireVnet } from '../device';
import { kernel, UsageError } from '../errors';
import { EXIT_OK } from '../exit';
import { toJson } from '../format/json';
import { parseIfname } from '../parse';

const NAME = 'vnet-reset-stats';

export async function run(argv: readonly string[], ctx: Context): Promise<number> {
  const program = newProgram(NAME, ctx, "Reset vnet devices' statistics.")
    .usage('[options] [DEV...] | --all')
    .option('-a, --all', 'reset every vnet device')
    .option('-j, --json', 'print the devices reset as compact JSON')
    .argument('[devs...]', `vnet devices (default ${DEFAULT_DEV})`);

  return runProgram(NAME, program, argv, ctx, (io, p) => {
    const opts = p.opts<{ all?: boolean; json?: boolean }>();
    const b = ctx.binding;
    let devs = p.args as string[];
    if (opts.all && devs.length > 0) throw new UsageError('give device names or --all, not both');
    for (const d of devs) parseIfname(d, 'device name');
    if (opts.all) {
      devs = listVnetDevices(b);
      if (devs.length === 0) throw noVnetDeviceError();
    } else {
      if (devs.length === 0) devs = [DEFAULT_DEV];
      devs = [...new Set(devs)];
      for (const d of devs) requireVnet(b, d); // all checked before any reset
    }
    const done: string[] = [];
    for (const dev of devs) {
      kernel({ dev, op: 'reset its statistics' }, () => b.resetStats(dev));
      done.push(dev);
      if (!opts.json) io.line(`${dev}: statistics reset`);
    }
    if (opts.json) io.line(toJson({ reset: done }));
    return EXIT_OK;
  });
}

export const main = mainOf(run);
