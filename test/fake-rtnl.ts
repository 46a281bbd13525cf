/*
 * The fake kernel's rtnetlink side and the rest of ifconfig's ioctls, for
 * test/fake-binding.ts: RTM_GETLINK / RTM_GETADDR dumps, RTM_NEWADDR /
 * RTM_DELADDR, SIOCSIFBRDADDR, SIOCSIFTXQLEN, SIOCSIFHWADDR, and setns
 * into named network namespaces.  The same validation, errors and escaping
 * as addon/src/rtnl_dump.cc, iface_config.cc and netns.cc.
 */
import { isIPv4, isIPv6 } from 'node:net';

import { ifnameArg, str, typeError as argTypeError } from './fake-args';

import { VnetSystemError } from '../src/binding/errors';
import type { AddressInfo, AddressSpec, LinkInfo } from '../src/binding/types';
import type { FakeBinding, FakeDevice } from './fake-binding';

/** An address beyond a device's primary IPv4 one (FakeDevice.ipv4). */
export interface FakeAddr {
  family: 'inet' | 'inet6';
  local: string;
  prefixlen: number;
  broadcast?: string;
  /** RT_SCOPE_*: 0 global, 253 link, 254 host */
  scope: number;
}

export const IFA_F_SECONDARY = 0x01;
export const IFA_F_PERMANENT = 0x80;
const ARPHRD: Record<string, number> = { ether: 1, loopback: 772, none: 65534 };

function sysErr(code: string, syscall: string, extra: { ifname?: string; detail?: string } = {}): VnetSystemError {
  return VnetSystemError.fromCode(code, syscall, extra);
}

function typeError(message: string): TypeError {
  return Object.assign(new TypeError(message), { code: 'ERR_INVALID_ARG_VALUE' });
}

/** addon/src/rtnl_dump.cc's ShowName: invalid UTF-8 and control bytes as \xNN. */
export function showName(raw: Buffer): { name: string; escaped: boolean } {
  let out = '';
  let escaped = false;
  for (let i = 0; i < raw.length; ) {
    const len = utf8SeqLen(raw, i);
    const c = raw[i];
    if (len === 0 || (len === 1 && (c < 0x20 || c === 0x7f))) {
      out += `\\x${c.toString(16).padStart(2, '0')}`;
      escaped = true;
      i += 1;
    } else {
      out += raw.subarray(i, i + len).toString('utf8');
      i += len;
    }
  }
  return { name: out, escaped };
}

function utf8SeqLen(p: Buffer, i: number): number {
  const n = p.length - i;
  const c = p[i];
  const cont = (k: number): boolean => k < n && (p[i + k] & 0xc0) === 0x80;
  if (c < 0x80) return 1;
  if (c >= 0xc2 && c <= 0xdf) return cont(1) ? 2 : 0;
  if (c >= 0xe0 && c <= 0xef) {
    if (!cont(1) || !cont(2)) return 0;
    if (c === 0xe0 && p[i + 1] < 0xa0) return 0;
    if (c === 0xed && p[i + 1] >= 0xa0) return 0;
    return 3;
  }
  if (c >= 0xf0 && c <= 0xf4) {
    if (!cont(1) || !cont(2) || !cont(3)) return 0;
    if (c === 0xf0 && p[i + 1] < 0x90) return 0;
    if (c === 0xf4 && p[i + 1] >= 0x90) return 0;
    return 4;
  }
  return 0;
}

function ipToInt(a: string): number {
  return a.split('.').reduce((acc, x) => ((acc << 8) | Number(x)) >>> 0, 0);
}

function maskToPrefix(mask: string): number {
  let n = ipToInt(mask);
  let p = 0;
  while (n & 0x80000000) {
    p++;
    n = (n << 1) >>> 0;
  }
  return p;
}

function sameSubnet(a: string, b: string, prefixlen: number): boolean {
  if (prefixlen === 0) return true;
  const m = (0xffffffff << (32 - prefixlen)) >>> 0;
  return ((ipToInt(a) & m) >>> 0) === ((ipToInt(b) & m) >>> 0);
}

export function dumpLinks(k: FakeBinding): LinkInfo[] {
  return [...k.devices.values()]
    .sort((a, b) => a.ifindex - b.ifindex)
    .map((d) => {
      const shown = d.nameBytes ? showName(d.nameBytes) : { name: d.name, escaped: false };
      return {
        ifindex: d.ifindex,
        name: shown.name,
        nameEscaped: shown.escaped,
        kind: d.kind ?? (d.vnet ? 'vnet' : ''),
        type: ARPHRD[d.type],
        flags: k.linkFlags(d),
        mtu: d.mtu,
        mac: d.type === 'none' ? '' : d.mac,
        txqueuelen: d.txqueuelen,
        stats: k.statsOf(d),
      };
    });
}

/** A device's IPv4 addresses, primary first, as the kernel lists them. */
function ipv4List(d: FakeDevice): FakeAddr[] {
  const list: FakeAddr[] = [];
  if (d.ipv4) {
    list.push({
      family: 'inet',
      local: d.ipv4.address,
      prefixlen: maskToPrefix(d.ipv4.netmask),
      broadcast: d.ipv4.broadcast,
      scope: d.type === 'loopback' ? 254 : 0,
    });
  }
  return list.concat((d.addrs ?? []).filter((a) => a.family === 'inet'));
}

export function dumpAddresses(k: FakeBinding): AddressInfo[] {
  const devs = [...k.devices.values()].sort((a, b) => a.ifindex - b.ifindex);
  const out: AddressInfo[] = [];
  for (const d of devs) {
    const seen: FakeAddr[] = [];
    for (const a of ipv4List(d)) {
      const secondary = seen.some((p) => p.prefixlen === a.prefixlen && sameSubnet(p.local, a.local, a.prefixlen));
      seen.push(a);
      out.push(info(d, a, IFA_F_PERMANENT | (secondary ? IFA_F_SECONDARY : 0)));
    }
  }
  for (const d of devs) {
    for (const a of (d.addrs ?? []).filter((x) => x.family === 'inet6')) out.push(info(d, a, IFA_F_PERMANENT));
  }
  return out;
}

function info(d: FakeDevice, a: FakeAddr, flags: number): AddressInfo {
  const o: AddressInfo = { ifindex: d.ifindex, family: a.family, local: a.local, prefixlen: a.prefixlen, scope: a.scope, flags };
  if (a.broadcast !== undefined) o.broadcast = a.broadcast;
  if (a.family === 'inet') o.label = d.name;
  return o;
}

/** addon/src/iface_config.cc's AddrArg. */
export function addrArg(v: unknown, withBroadcast: boolean): AddressSpec {
  if (typeof v !== 'object' || v === null) {
    throw Object.assign(new TypeError(`The "addr" argument must be of type object. Received ${String(v)}`), {
      code: 'ERR_INVALID_ARG_TYPE',
    });
  }
  const o = v as Record<string, unknown>;
  const family = o.family;
  if (family !== 'inet' && family !== 'inet6') {
    throw typeError(`The "addr.family" argument must be 'inet' or 'inet6'. Received '${String(family)}'`);
  }
  const local = String(o.local);
  if (!(family === 'inet' ? isIPv4(local) : isIPv6(local))) {
    throw typeError(
      `The "addr.local" argument must be an ${family === 'inet' ? 'IPv4' : 'IPv6'} address. Received '${local}'`,
    );
  }
  const max = family === 'inet' ? 32 : 128;
  const prefixlen = o.prefixlen;
  if (typeof prefixlen !== 'number' || !Number.isInteger(prefixlen) || prefixlen < 0 || prefixlen > max) {
    throw Object.assign(
      new RangeError(
        `The value of "addr.prefixlen" is out of range. It must be an integer >= 0 and <= ${max}. Received ${String(prefixlen)}`,
      ),
      { code: 'ERR_OUT_OF_RANGE' },
    );
  }
  const spec: AddressSpec = { family, local, prefixlen };
  if (withBroadcast && o.broadcast !== undefined) {
    if (family !== 'inet') throw typeError('The "addr.broadcast" argument is for IPv4 only');
    if (!isIPv4(String(o.broadcast))) {
      throw typeError(`The "addr.broadcast" argument must be an IPv4 address. Received '${String(o.broadcast)}'`);
    }
    spec.broadcast = String(o.broadcast);
  }
  return spec;
}

function canonical6(a: string): string {
  // the kernel's view: one spelling per address
  const u = new URL(`http://[${a}]/`);
  return u.hostname.slice(1, -1);
}

function matches(a: FakeAddr, spec: AddressSpec): boolean {
  if (a.family !== spec.family) return false;
  if (a.family === 'inet') return a.local === spec.local;
  return canonical6(a.local) === canonical6(spec.local) && a.prefixlen === spec.prefixlen;
}

/** RTM_NEWADDR with NLM_F_CREATE | NLM_F_EXCL. */
export function addAddress(k: FakeBinding, d: FakeDevice, spec: AddressSpec): void {
  const present = spec.family === 'inet' ? ipv4List(d) : (d.addrs ?? []).filter((a) => a.family === 'inet6');
  if (present.some((a) => matches(a, spec))) {
    throw sysErr('EEXIST', 'rtnl RTM_NEWADDR', { ifname: d.name });
  }
  const local = spec.family === 'inet6' ? canonical6(spec.local) : spec.local;
  const scope = spec.family === 'inet6' && /^fe[89ab]/i.test(local) ? 253 : 0;
  if (spec.family === 'inet' && !d.ipv4) {
    const m = spec.prefixlen === 0 ? 0 : (0xffffffff << (32 - spec.prefixlen)) >>> 0;
    const netmask = [24, 16, 8, 0].map((s) => (m >>> s) & 255).join('.');
    d.ipv4 = { address: local, netmask, broadcast: spec.broadcast };
    return;
  }
  d.addrs = [...(d.addrs ?? []), { family: spec.family, local, prefixlen: spec.prefixlen, broadcast: spec.broadcast, scope }];
}

/** RTM_DELADDR: IPv4 by address, IPv6 by address and prefix length. */
export function delAddress(k: FakeBinding, d: FakeDevice, spec: AddressSpec): void {
  if (spec.family === 'inet' && d.ipv4 && d.ipv4.address === spec.local) {
    // the primary goes; the next IPv4 address is promoted
    const rest = (d.addrs ?? []).filter((a) => a.family === 'inet');
    const next = rest.shift();
    d.addrs = (d.addrs ?? []).filter((a) => a !== next);
    d.ipv4 = undefined;
    if (next) addAddress(k, d, next);
    return;
  }
  const i = (d.addrs ?? []).findIndex((a) => matches(a, spec));
  if (i < 0) throw sysErr('EADDRNOTAVAIL', 'rtnl RTM_DELADDR', { ifname: d.name });
  d.addrs = d.addrs!.filter((_a, j) => j !== i);
}

/** addon/src/netns.cc's NetnsPath: '' when not a name or an absolute path. */
export function netnsPath(name: string): string {
  if (name.startsWith('/')) return name;
  if (name === '' || name === '.' || name === '..' || name.includes('/')) return '';
  return `/run/netns/${name}`;
}

/** addAddress() / delAddress(): RTM_NEWADDR / RTM_DELADDR on a device named by the caller. */
export function request(k: FakeBinding, method: 'addAddress' | 'delAddress', ifname: string, addr: AddressSpec): void {
  const add = method === 'addAddress';
  const [name, spec] = k.enter(method, [ifname, addr], () => [ifnameArg(ifname), addrArg(addr, add)] as const);
  const d = k.lookup(name, 'ioctl(SIOCGIFINDEX)');
  k.needAdmin(add ? 'rtnl RTM_NEWADDR' : 'rtnl RTM_DELADDR', name);
  if (add) addAddress(k, d, spec);
  else delAddress(k, d, spec);
}

/** enterNetns(): setns(2) into /run/netns/NAME or an absolute path, before anything else reached the kernel. */
export function enterNetns(k: FakeBinding, name: string): void {
  const n = k.enter('enterNetns', [name], () => {
    const v = str(name, 'name');
    if (netnsPath(v) === '') {
      throw argTypeError('ERR_INVALID_ARG_VALUE', `The "name" argument '${v}' is not a network namespace name or an absolute path`);
    }
    return v;
  });
  if (k.calls.some((c) => c.sent && c.method !== 'enterNetns')) {
    // sockets opened before setns(2) stay in the old namespace
    throw new Error('fake: enterNetns() after other calls reached the kernel');
  }
  const path = netnsPath(n);
  const key = path.startsWith('/run/netns/') ? path.slice('/run/netns/'.length) : path;
  const ns = k.namespaces.get(key);
  if (!ns) throw sysErr('ENOENT', 'open', { detail: `network namespace '${path}'` });
  if (!k.privileged) throw sysErr('EPERM', 'setns(CLONE_NEWNET)', { detail: `network namespace '${path}'` });
  k.devices = ns;
  k.currentNetns = key;
}
