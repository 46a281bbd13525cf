/*
 * vnetconfig [-a] [-s] [-d] [-j] [DEV]: ifconfig for vnet devices, from
 * one rtnetlink link dump, one address dump and one vnet_nl dump.
 */
import { Option } from 'commander';

import { mainOf, newProgram, runProgram } from '../cli';
import type { Context } from '../context';
import { noVnetDeviceError, requireVnet, vnetLinks } from '../device';
import { CliError } from '../errors';
import { EXIT_NOT_FOUND, EXIT_OK } from '../exit';
import { toJson } from '../format/json';
import { SHORT_HEADER } from '../format/short';
import { IFF_UP } from '../netflags';
import { deviceJson, formatDevice, formatShort, readViews } from '../show';

const NAME = 'vnetconfig';

export async function run(argv: readonly string[], ctx: Context): Promise<number> {
  const program = newProgram(
    NAME,
    ctx,
    'Show vnet interfaces in the ifconfig (net-tools 2.10) layout, with their relay configuration.',
  )
    .option('-a, --all', 'also show vnet devices that are down')
    .option('-s, --short', 'ifconfig -s: one line per device (MTU, packet counts, flags)')
    .addOption(
      new Option('-d, --drops', "also show the driver's per-reason drop counters").conflicts('short'),
    )
    .option('-j, --json', 'print compact JSON (iproute2 key names) on stdout')
    .argument('[dev]', 'the vnet device to show (default: every vnet device that is up)');

  return runProgram(NAME, program, argv, ctx, (io, p) => {
    const opts = p.opts<{ all?: boolean; short?: boolean; drops?: boolean; json?: boolean }>();
    const b = ctx.binding;
    const dev = p.args[0] as string | undefined;

    if (dev !== undefined) requireVnet(b, dev);
    const links = vnetLinks(b);
    if (links.length === 0 && !opts.json) throw noVnetDeviceError();
    const chosen = links.filter((l) => (dev !== undefined ? l.name === dev : opts.all || l.flags & IFF_UP));
    const views = readViews(b, chosen);
    if (dev !== undefined && views.length === 0) throw new CliError(EXIT_NOT_FOUND, `${dev}: no such device`);

    if (opts.json) {
      io.line(toJson(views.map((v) => deviceJson(v, !!opts.drops))));
    } else if (opts.short) {
      io.line(SHORT_HEADER);
      for (const v of views) io.line(formatShort(v));
    } else {
      for (const v of views) io.print(formatDevice(v, !!opts.drops, io.out));
    }
    return EXIT_OK;
  });
}

export const main = mainOf(run);
