/*
 * vnetconfig [-a] [-s] [-j] [DEV]: ifconfig for vnet devices.
 */
import { mainOf, newProgram, runProgram } from '../cli';
import type { Context } from '../context';
import { listVnetDevices, noVnetDeviceError, requireVnet } from '../device';
import { kernel } from '../errors';
import { EXIT_OK } from '../exit';
import { toJson } from '../format/json';
import { IFF_UP } from '../netflags';
import { deviceJson, DeviceView, formatDevice, readDevice, withGenl } from '../show';

const NAME = 'vnetconfig';

export async function run(argv: readonly string[], ctx: Context): Promise<number> {
  const program = newProgram(
    NAME,
    ctx,
    'Show vnet interfaces in the ifconfig (net-tools 2.10) layout, with their relay configuration.',
  )
    .option('-a, --all', 'also show vnet devices that are down')
    .option('-s, --stats', "also show the driver's per-reason drop counters")
    .option('-j, --json', 'print compact JSON (iproute2 key names) on stdout')
    .argument('[dev]', 'the vnet device to show (default: every vnet device that is up)');

  return runProgram(NAME, program, argv, ctx, (io, p) => {
    const opts = p.opts<{ all?: boolean; stats?: boolean; json?: boolean }>();
    const b = ctx.binding;
    const dev = p.args[0] as string | undefined;

    let names: string[];
    if (dev !== undefined) {
      names = [requireVnet(b, dev)];
    } else {
      const all = listVnetDevices(b);
      if (all.length === 0) throw noVnetDeviceError();
      names = opts.all
        ? all
        : all.filter((n) => kernel({ dev: n }, () => b.getInterface(n)).flags & IFF_UP);
    }

    const views: DeviceView[] =
      names.length === 0 ? [] : withGenl(b, (g) => names.map((n) => readDevice(b, g, n)));

    if (opts.json) {
      io.line(toJson(views.map((v) => deviceJson(v, !!opts.stats))));
    } else {
      for (const v of views) io.print(formatDevice(v, !!opts.stats, io.out));
    }
    return EXIT_OK;
  });
}

export const main = mainOf(run);
