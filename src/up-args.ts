/*
 * vnet-up's word list, ifconfig's grammar:
 *
 *   [DEV [ADDRESS[/PREFIXLEN]] [WORD...]]
 *
 *   netmask MASK        broadcast ADDR      mtu N        txqueuelen N
 *   [-]arp              [-]promisc          hw ether MAC
 *   up | down           add ADDR[/LEN]      del ADDR[/LEN]   (IPv4 or IPv6)
 *
 * Everything is checked here, before anything reaches the kernel
 * (UsageError, exit 2).  A device name in the wrong place gets a hint.
 */

import type { AddressSpec } from './binding/types';
import { UsageError } from './errors';
import {
  parseInteger,
  parseIfname,
  parseIPv4,
  parseMtu,
  parseNetmask,
  parsePrefixLen,
  prefixToNetmask,
} from './parse';

/** net.isIPv6, required on first use: node:net pulls in the stream stack,
 * which costs every command start-up time (docs/performance.md). */
function isIPv6(a: string): boolean {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  return (require('node:net') as typeof import('node:net')).isIPv6(a);
}

export interface UpRequest {
  /** undefined: the only vnet device there is */
  dev?: string;
  address?: string;
  netmask?: string;
  broadcast?: string;
  mtu?: number;
  txqueuelen?: number;
  mac?: string;
  arp?: boolean;
  promisc?: boolean;
  /** up (the default) or down */
  up: boolean;
  add: AddressSpec[];
  /** prefixlen undefined: IPv4 by address alone; IPv6 looked up */
  del: (Omit<AddressSpec, 'prefixlen'> & { prefixlen?: number })[];
}

const VALUE_WORDS = new Set(['netmask', 'broadcast', 'mtu', 'txqueuelen', 'add', 'del', 'hw']);
const FLAG_WORDS = new Set(['up', 'down', 'arp', '-arp', 'promisc', '-promisc']);

export function isKeyword(w: string): boolean {
  return VALUE_WORDS.has(w) || FLAG_WORDS.has(w);
}

/** Looks like an address: a.b.c.d[/n] or IPv6[/n]. */
function looksLikeAddress(w: string): boolean {
  const a = w.split('/')[0];
  return /^[0-9]+(\.[0-9]+){1,3}$/.test(a) || (a.includes(':') && isIPv6(a));
}

/** What the device slot holds when it is not a device: a hint. */
function wrongPlace(args: readonly string[]): UsageError {
  const first = args[0];
  const what = isKeyword(first) ? `'${first}' is a keyword` : `'${first}' is an address`;
  // a later word that could be the device: not a keyword, an address, a number or a value
  const later = args.findIndex(
    (w, i) => i > 0 && !isKeyword(w) && !looksLikeAddress(w) && !/^[0-9]+$/.test(w) && !VALUE_WORDS.has(args[i - 1]) && !/^([0-9a-f]{2}:){5}[0-9a-f]{2}$/i.test(w),
  );
  const fix =
    later > 0
      ? `vnet-up ${[args[later], ...args.filter((_w, i) => i !== later)].join(' ')}`
      : `vnet-up DEV ${args.join(' ')}`;
  return new UsageError(`${what}, not a device: the device comes first, as with ifconfig (${fix})`);
}

/** An IPv6 address in the kernel's spelling (lower case, :: compressed). */
export function canonicalIPv6(a: string): string {
  return new URL(`http://[${a}]/`).hostname.slice(1, -1);
}

const MAC = /^[0-9a-fA-F]{2}(:[0-9a-fA-F]{2}){5}$/;

/** ADDR[/LEN], IPv4 or IPv6, for add/del. */
function parseSpec(w: string, needLen: boolean): { family: 'inet' | 'inet6'; local: string; prefixlen?: number } {
  const slash = w.indexOf('/');
  const a = slash >= 0 ? w.slice(0, slash) : w;
  const len = slash >= 0 ? w.slice(slash + 1) : undefined;
  if (a.includes(':')) {
    if (!isIPv6(a)) throw new UsageError(`invalid IPv6 address '${a}'`);
    const prefixlen = len === undefined ? (needLen ? 128 : undefined) : parseInteger(len, 'prefix length', 0, 128);
    return { family: 'inet6', local: canonicalIPv6(a), prefixlen };
  }
  const local = parseIPv4(a);
  const prefixlen = len === undefined ? (needLen ? 32 : undefined) : parsePrefixLen(len);
  return { family: 'inet', local, prefixlen };
}

/*
 * ifconfig's "-arp" and "-promisc" look like options to commander: they
 * are hidden from it (a NUL never comes from a real command line) and
 * restored here.
 */
const HIDDEN = '\0';
const DASH_WORDS = new Set(['-arp', '-promisc']);

/** argv with ifconfig's dash words hidden from the option parser. */
export function hideDashWords(argv: readonly string[]): string[] {
  return argv.map((a) => (DASH_WORDS.has(a) ? HIDDEN + a : a));
}

/** Parses the ifconfig-style word list.  Throws UsageError. */
export function parseUpArgs(words: readonly string[]): UpRequest {
  const args = words.map((w) => (w.startsWith(HIDDEN) ? w.slice(1) : w));
  const req: UpRequest = { up: true, add: [], del: [] };
  if (args.length === 0) return req;
  if (isKeyword(args[0]) || looksLikeAddress(args[0])) throw wrongPlace(args);
  req.dev = parseIfname(args[0], 'device name');
  let i = 1;
  let prefixMask: string | undefined;
  if (i < args.length && !isKeyword(args[i])) {
    const spec = args[i++];
    const slash = spec.indexOf('/');
    if (slash >= 0) {
      req.address = parseIPv4(spec.slice(0, slash));
      prefixMask = prefixToNetmask(parsePrefixLen(spec.slice(slash + 1)));
    } else {
      req.address = parseIPv4(spec);
    }
  }
  const once = <K extends keyof UpRequest>(key: K, word: string): void => {
    if (req[key] !== undefined) throw new UsageError(`'${word}' given twice`);
  };
  while (i < args.length) {
    const word = args[i++];
    if (!isKeyword(word)) {
      throw new UsageError(
        `unexpected argument '${word}' (expected netmask, broadcast, mtu, txqueuelen, [-]arp, [-]promisc, hw ether, up, down, add or del)`,
      );
    }
    switch (word) {
      case 'up':
      case 'down':
        req.up = word === 'up';
        continue;
      case 'arp':
      case '-arp':
        once('arp', 'arp');
        req.arp = word === 'arp';
        continue;
      case 'promisc':
      case '-promisc':
        once('promisc', 'promisc');
        req.promisc = word === 'promisc';
        continue;
    }
    const value = args[i++];
    if (value === undefined) throw new UsageError(`'${word}' needs a value`);
    switch (word) {
      case 'netmask':
        once('netmask', word);
        req.netmask = parseNetmask(value);
        break;
      case 'broadcast':
        once('broadcast', word);
        req.broadcast = parseIPv4(value, 'broadcast address');
        break;
      case 'mtu':
        once('mtu', word);
        req.mtu = parseMtu(value);
        break;
      case 'txqueuelen':
        once('txqueuelen', word);
        req.txqueuelen = parseInteger(value, 'txqueuelen', 0, 2147483647);
        break;
      case 'hw': {
        if (value !== 'ether') throw new UsageError(`'hw ${value}': only 'hw ether MAC' is supported`);
        const mac = args[i++];
        if (mac === undefined) throw new UsageError("'hw ether' needs a MAC address");
        if (!MAC.test(mac)) throw new UsageError(`invalid MAC address '${mac}' (expected aa:bb:cc:dd:ee:ff)`);
        once('mac', 'hw ether');
        req.mac = mac.toLowerCase();
        break;
      }
      case 'add': {
        const s = parseSpec(value, true);
        req.add.push({ family: s.family, local: s.local, prefixlen: s.prefixlen as number });
        break;
      }
      case 'del':
        req.del.push(parseSpec(value, false));
        break;
    }
  }
  if (prefixMask !== undefined) {
    if (req.netmask !== undefined && req.netmask !== prefixMask) {
      throw new UsageError(`the prefix length says netmask ${prefixMask} but 'netmask' says ${req.netmask}`);
    }
    req.netmask = prefixMask;
  }
  return req;
}
