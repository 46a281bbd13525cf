/*
 * vnet-reset-stats [DEV...] | --all: zero the driver's counters of the
 * named vnet devices (VNET_IOCTL_RESET_STATS), of the only vnet device,
 * or of every one (--all: VNET_CMD_RESET_STATS by ifindex, on the devices
 * of one RTM_GETLINK dump; a device deleted meanwhile is skipped, as
 * `ip -s link` skips it).
 */
import { mainOf, newProgram, runProgram } from '../cli';
import type { Context } from '../context';
import { defaultDevice, noVnetDeviceError, requireVnet, vnetLinks } from '../device';
import { isSystemError, kernel, UsageError } from '../errors';
import { EXIT_OK } from '../exit';
import { toJson } from '../format/json';
import { parseIfname } from '../parse';
import { withGenl } from '../show';

const NAME = 'vnet-reset-stats';

/** A device that vanished between the listing and the request. */
function vanished(e: unknown): boolean {
  return isSystemError(e) && (e.code === 'ENODEV' || e.code === 'ENXIO');
}

export async function run(argv: readonly string[], ctx: Context): Promise<number> {
  const program = newProgram(NAME, ctx, "Reset vnet devices' statistics.")
    .usage('[options] [DEV...] | --all')
    .option('-a, --all', 'reset every vnet device')
    .option('-q, --quiet', 'print nothing on success')
    .option('-j, --json', 'print the devices reset as compact JSON')
    .argument('[devs...]', 'vnet devices (default: the only vnet device there is)');

  return runProgram(NAME, program, argv, ctx, (io, p) => {
    const opts = p.opts<{ all?: boolean; quiet?: boolean; json?: boolean }>();
    const b = ctx.binding;
    const named = p.args as string[];
    if (opts.all && named.length > 0) throw new UsageError('give device names or --all, not both');
    for (const d of named) parseIfname(d, 'device name');
    const done: string[] = [];
    const said = (dev: string): void => {
      done.push(dev);
      if (!opts.json && !opts.quiet) io.line(`${dev}: statistics reset`);
    };

    if (opts.all) {
      const links = vnetLinks(b);
      if (links.length === 0) throw noVnetDeviceError();
      withGenl(b, (g) => {
        for (const l of links) {
          try {
            g.resetStats(l.ifindex);
          } catch (e) {
            if (vanished(e)) continue;
            kernel({ dev: l.name, op: 'reset its statistics' }, () => {
              throw e;
            });
          }
          said(l.name);
        }
      });
    } else {
      const devs = named.length === 0 ? [defaultDevice(b)] : [...new Set(named)];
      for (const d of devs) requireVnet(b, d); // all checked before any reset
      for (const dev of devs) {
        kernel({ dev, op: 'reset its statistics' }, () => b.resetStats(dev));
        said(dev);
      }
    }
    if (opts.json) io.line(toJson({ reset: done }));
    return EXIT_OK;
  });
}

export const main = mainOf(run);
