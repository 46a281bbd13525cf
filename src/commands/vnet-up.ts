/*
 * vnet-up [DEV [ADDRESS[/PREFIXLEN]] [netmask MASK] [mtu N]]: the ifconfig
 * way to configure and bring up a vnet device.
 */
import { mainOf, newProgram, runProgram } from '../cli';
import type { Context } from '../context';
import { DEFAULT_DEV, requireVnet } from '../device';
import { kernel, UsageError } from '../errors';
import { EXIT_OK } from '../exit';
import { toJson } from '../format/json';
import { IFF_UP } from '../netflags';
import {
  parseIfname,
  parseIPv4,
  parseMtu,
  parseNetmask,
  parsePrefixLen,
  prefixToNetmask,
} from '../parse';
import { deviceJson, formatDevice, readDevice, withGenl } from '../show';

const NAME = 'vnet-up';

export interface UpRequest {
  dev: string;
  address?: string;
  netmask?: string;
  mtu?: number;
}

const KEYWORDS = new Set(['netmask', 'mtu', 'up']);

/** Parses the ifconfig-style word list.  Throws UsageError. */
export function parseUpArgs(args: readonly string[]): UpRequest {
  const req: UpRequest = { dev: parseIfname(args[0] ?? DEFAULT_DEV, 'device name') };
  let i = 1;
  let prefixMask: string | undefined;
  if (i < args.length && !KEYWORDS.has(args[i])) {
    const spec = args[i++];
    const slash = spec.indexOf('/');
    if (slash >= 0) {
      req.address = parseIPv4(spec.slice(0, slash));
      prefixMask = prefixToNetmask(parsePrefixLen(spec.slice(slash + 1)));
    } else {
      req.address = parseIPv4(spec);
    }
  }
  while (i < args.length) {
    const word = args[i++];
    if (!KEYWORDS.has(word)) {
      throw new UsageError(`unexpected argument '${word}' (expected 'netmask MASK' or 'mtu N')`);
    }
    if (word === 'up') continue; // ifconfig habit: the device is brought up anyway
    const value = args[i++];
    if (value === undefined) throw new UsageError(`'${word}' needs a value`);
    if (word === 'netmask') {
      if (req.netmask !== undefined) throw new UsageError("'netmask' given twice");
      req.netmask = parseNetmask(value);
    } else {
      if (req.mtu !== undefined) throw new UsageError("'mtu' given twice");
      req.mtu = parseMtu(value);
    }
  }
  if (prefixMask !== undefined) {
    if (req.netmask !== undefined && req.netmask !== prefixMask) {
      throw new UsageError(
        `the prefix length says netmask ${prefixMask} but 'netmask' says ${req.netmask}`,
      );
    }
    req.netmask = prefixMask;
  }
  return req;
}

export async function run(argv: readonly string[], ctx: Context): Promise<number> {
  const program = newProgram(
    NAME,
    ctx,
    'Configure a vnet device the ifconfig way and bring it up, then show it.',
  )
    .usage('[options] [DEV [ADDRESS[/PREFIXLEN]] [netmask MASK] [mtu N]]')
    .option('-j, --json', 'print the device as compact JSON (iproute2 key names)')
    .argument('[words...]', `DEV (default ${DEFAULT_DEV}), then ADDRESS[/PREFIXLEN], netmask MASK, mtu N`);

  return runProgram(NAME, program, argv, ctx, (io, p) => {
    const opts = p.opts<{ json?: boolean }>();
    const req = parseUpArgs(p.args);
    const b = ctx.binding;
    const dev = requireVnet(b, req.dev);

    // The order ifconfig uses: the address first (the kernel then picks
    // a classful netmask and broadcast), the netmask after it.
    if (req.address !== undefined) kernel({ dev, op: 'set the address' }, () => b.setAddress(dev, req.address as string));
    if (req.netmask !== undefined) kernel({ dev, op: 'set the netmask' }, () => b.setNetmask(dev, req.netmask as string));
    if (req.mtu !== undefined) kernel({ dev, op: `set the MTU to ${req.mtu}` }, () => b.setMtu(dev, req.mtu as number));
    kernel({ dev, op: 'bring it up' }, () => b.changeFlags(dev, IFF_UP, 0));

    const view = withGenl(b, (g) => readDevice(b, g, dev));
    if (opts.json) io.line(toJson(deviceJson(view, false)));
    else io.print(formatDevice(view, false, io.out));
    return EXIT_OK;
  });
}

export const main = mainOf(run);
