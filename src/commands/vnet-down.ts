/*
 * vnet-down [DEV]: take a vnet device down (ifconfig DEV down); without
 * DEV, the only vnet device there is.
 */
import { mainOf, newProgram, runProgram } from '../cli';
import type { Context } from '../context';
import { deviceOrDefault } from '../device';
import { kernel } from '../errors';
import { EXIT_OK } from '../exit';
import { formatFlags } from '../format/ifconfig';
import { flagsArray, toJson } from '../format/json';
import { IFF_UP } from '../netflags';

const NAME = 'vnet-down';

export async function run(argv: readonly string[], ctx: Context): Promise<number> {
  const program = newProgram(NAME, ctx, 'Take a vnet device down.')
    .option('-q, --quiet', 'print nothing on success')
    .option('-j, --json', 'print the resulting flags as compact JSON')
    .argument('[dev]', 'the vnet device (default: the only vnet device there is)');

  return runProgram(NAME, program, argv, ctx, (io, p) => {
    const opts = p.opts<{ quiet?: boolean; json?: boolean }>();
    const b = ctx.binding;
    const dev = deviceOrDefault(b, p.args[0] as string | undefined);
    const flags = kernel({ dev, op: 'take it down' }, () => b.changeFlags(dev, 0, IFF_UP));
    if (opts.quiet) return EXIT_OK;
    if (opts.json) io.line(toJson({ ifname: dev, flags: flagsArray(flags) }));
    else io.line(`${dev}: down (${formatFlags(flags)})`);
    return EXIT_OK;
  });
}

export const main = mainOf(run);
