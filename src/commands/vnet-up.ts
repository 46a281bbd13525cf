/*
 * vnet-up [DEV [ADDRESS[/PREFIXLEN]] [WORD...]]: the ifconfig way to
 * configure and bring up a vnet device (the grammar: src/up-args.ts).
 */
import type { AddressSpec, LinkInfo, VnetBinding } from '../binding/types';
import { mainOf, newProgram, runProgram } from '../cli';
import type { Context } from '../context';
import { deviceOrDefault, vnetLinks } from '../device';
import { CliError, isSystemError, kernel } from '../errors';
import { EXIT_FAILURE, EXIT_OK } from '../exit';
import { toJson } from '../format/json';
import { IFF_NOARP, IFF_PROMISC, IFF_UP } from '../netflags';
import { deviceJson, formatDevice, readViews } from '../show';
import { canonicalIPv6, hideDashWords, UpRequest, parseUpArgs } from '../up-args';

export { parseUpArgs } from '../up-args';
export type { UpRequest } from '../up-args';

const NAME = 'vnet-up';

/** The IFF_* bits to set and clear for the request's flag words. */
export function flagChanges(req: UpRequest): { set: number; clear: number } {
  let set = 0;
  let clear = 0;
  if (req.up) set |= IFF_UP;
  else clear |= IFF_UP;
  if (req.arp === true) clear |= IFF_NOARP;
  if (req.arp === false) set |= IFF_NOARP;
  if (req.promisc === true) set |= IFF_PROMISC;
  if (req.promisc === false) clear |= IFF_PROMISC;
  return { set, clear };
}

/**
 * DEV's link, from a dump of the vnet links only (vnetLinks(), as
 * vnetconfig's): in a namespace of a thousand interfaces an unfiltered
 * dump is every one of them, with its statistics.
 */
function vnetLink(b: VnetBinding, dev: string): LinkInfo | undefined {
  return vnetLinks(b, { dev }).find((l) => l.name === dev);
}

/** A `del` without a prefix length: IPv4 needs none; IPv6 takes the device's own. */
function delSpec(b: VnetBinding, dev: string, d: UpRequest['del'][number]): AddressSpec {
  if (d.prefixlen !== undefined || d.family === 'inet') return { ...d, prefixlen: d.prefixlen ?? 32 };
  const ifindex = vnetLink(b, dev)?.ifindex;
  const want = canonicalIPv6(d.local);
  const found =
    ifindex === undefined
      ? undefined
      : kernel({ dev }, () => b.dumpAddresses(ifindex)).find((a) => a.family === 'inet6' && a.local === want);
  if (!found) throw new CliError(EXIT_FAILURE, `${dev}: ${d.local} is not an address of ${dev}`);
  return { ...d, prefixlen: found.prefixlen };
}

/** Applies the request in ifconfig's order; stops at the first refusal. */
function apply(b: VnetBinding, dev: string, req: UpRequest): void {
  if (req.mac !== undefined) kernel({ dev, op: `set the MAC address to ${req.mac}` }, () => b.setHwAddress(dev, req.mac as string));
  // The address first (the kernel then picks a classful netmask and
  // broadcast), the netmask and broadcast after it.
  if (req.address !== undefined) kernel({ dev, op: 'set the address' }, () => b.setAddress(dev, req.address as string));
  if (req.netmask !== undefined) kernel({ dev, op: 'set the netmask' }, () => b.setNetmask(dev, req.netmask as string));
  if (req.broadcast !== undefined) kernel({ dev, op: 'set the broadcast address' }, () => b.setBroadcast(dev, req.broadcast as string));
  if (req.mtu !== undefined) kernel({ dev, op: `set the MTU to ${req.mtu}` }, () => b.setMtu(dev, req.mtu as number));
  if (req.txqueuelen !== undefined) {
    kernel({ dev, op: `set txqueuelen to ${req.txqueuelen}` }, () => b.setTxqueuelen(dev, req.txqueuelen as number));
  }
  for (const a of req.add) {
    try {
      b.addAddress(dev, a);
    } catch (e) {
      if (isSystemError(e) && e.code === 'EEXIST') continue; // already there: the wanted state holds
      kernel({ dev, op: `add ${a.local}/${a.prefixlen}` }, () => {
        throw e;
      });
    }
  }
  for (const d of req.del) {
    const spec = delSpec(b, dev, d);
    try {
      b.delAddress(dev, spec);
    } catch (e) {
      if (isSystemError(e) && e.code === 'EADDRNOTAVAIL') {
        throw new CliError(EXIT_FAILURE, `${dev}: ${d.local} is not an address of ${dev}`);
      }
      kernel({ dev, op: `delete ${d.local}` }, () => {
        throw e;
      });
    }
  }
  const { set, clear } = flagChanges(req);
  kernel({ dev, op: req.up ? 'bring it up' : 'take it down' }, () => b.changeFlags(dev, set, clear));
}

export async function run(argv: readonly string[], ctx: Context): Promise<number> {
  const program = newProgram(
    NAME,
    ctx,
    'Configure a vnet device the ifconfig way and bring it up, then show it.',
  )
    .usage('[options] [DEV [ADDRESS[/PREFIXLEN]] [WORD...]]')
    .option('-q, --quiet', 'print nothing on success (as ifconfig)')
    .option('-j, --json', 'print the device as compact JSON (iproute2 key names)')
    .argument('[words...]', 'DEV (default: the only vnet device there is), then ADDRESS[/PREFIXLEN] and words')
    .addHelpText(
      'after',
      `
Words (ifconfig's):
  netmask MASK          broadcast ADDR        mtu N          txqueuelen N
  arp | -arp            promisc | -promisc    hw ether MAC
  up | down             add ADDR[/LEN]        del ADDR[/LEN]   (IPv4 or IPv6)
The device comes first.  An IPv6 ADDRESS right after it is added, as with add
(vnet-up vnet0 2001:db8::3/64).  Adding an address the device has already is
not an error; deleting one it does not have is.`,
    );

  return runProgram(NAME, program, hideDashWords(argv), ctx, (io, p) => {
    const opts = p.opts<{ quiet?: boolean; json?: boolean }>();
    const req = parseUpArgs(p.args);
    const b = ctx.binding;
    const dev = deviceOrDefault(b, req.dev);
    apply(b, dev, req);
    if (opts.quiet) return EXIT_OK;
    const link = vnetLink(b, dev);
    const views = readViews(b, link ? [link] : []);
    if (views.length === 0) throw new CliError(EXIT_FAILURE, `${dev}: the device went away`);
    if (opts.json) io.line(toJson(deviceJson(views[0], false)));
    else io.print(formatDevice(views[0], false, io.out));
    return EXIT_OK;
  });
}

export const main = mainOf(run);
