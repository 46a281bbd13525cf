/*
 * The fake kernel's interface ioctls, as ifconfig issues them (SIOCGIF*,
 * SIOCSIFADDR with its classful netmask and broadcast, SIOCSIFNETMASK,
 * SIOCSIFMTU, SIOCSIFFLAGS, SIOCETHTOOL, SIOCSIFBRDADDR, SIOCSIFTXQLEN,
 * SIOCSIFHWADDR): the FakeBinding methods of the same names call these.
 */
import type { InterfaceInfo, LinkStats } from '../src/binding/types';
import { ifnameArg, INT32_MAX, intArg, ipv4Arg, str, typeError } from './fake-args';
import type { FakeBinding } from './fake-binding';
import { FakeDevice, IFF_BROADCAST, IFF_CHANGEABLE, IFF_LOWER_UP, sysErr } from './fake-types';

// ------------------------------------------------------------ ipv4 helpers

function ipToInt(a: string): number {
  return a.split('.').reduce((acc, x) => ((acc << 8) | Number(x)) >>> 0, 0);
}

function intToIp(n: number): string {
  return [24, 16, 8, 0].map((s) => (n >>> s) & 255).join('.');
}

/** inet_abc_len(): the classful prefix SIOCSIFADDR gives a new address. */
function classfulPrefix(addr: string): number {
  const n = ipToInt(addr);
  if (n === 0) return 0;
  const a = n >>> 24;
  if (a < 128) return 8;
  if (a < 192) return 16;
  if (a < 224) return 24;
  return 32;
}

function prefixMask(len: number): number {
  return len === 0 ? 0 : (0xffffffff << (32 - len)) >>> 0;
}

/** bad_mask(): a netmask must be contiguous ones. */
function badMask(mask: number): boolean {
  const inv = ~mask >>> 0;
  return (inv & (inv + 1)) !== 0;
}

export function getInterface(k: FakeBinding, ifname: string): InterfaceInfo {
  const name = k.enter('getInterface', [ifname], () => ifnameArg(ifname));
  const d = k.lookup(name, 'ioctl(SIOCGIFINDEX)');
  const info: InterfaceInfo = {
    name: d.name,
    ifindex: d.ifindex,
    // rtnetlink's 32 bits: LOWER_UP while running with carrier
    flags: k.flagsOf(d) | (k.running(d) ? IFF_LOWER_UP : 0),
    mtu: d.mtu,
    mac: d.type === 'none' ? '' : d.mac,
    txqueuelen: d.txqueuelen,
  };
  if (d.ipv4) {
    info.ipv4 = { address: d.ipv4.address, netmask: d.ipv4.netmask };
    if (d.flags & IFF_BROADCAST && d.ipv4.broadcast !== undefined) info.ipv4.broadcast = d.ipv4.broadcast;
  }
  return info;
}

export function setAddress(k: FakeBinding, ifname: string, address: string): void {
  const [name, addr] = k.enter('setAddress', [ifname, address], () => [ifnameArg(ifname), ipv4Arg(address, 'address')] as const);
  const d = k.lookup(name, 'ioctl(SIOCSIFADDR)');
  k.needAdmin('ioctl(SIOCSIFADDR)', name);
  if (d.ipv4?.address === addr) return;
  const prefix = classfulPrefix(addr);
  const mask = prefixMask(prefix);
  d.ipv4 = { address: addr, netmask: intToIp(mask) };
  if (d.flags & IFF_BROADCAST && prefix < 31) d.ipv4.broadcast = intToIp((ipToInt(addr) | ~mask) >>> 0);
}

export function setNetmask(k: FakeBinding, ifname: string, netmask: string): void {
  const [name, m] = k.enter('setNetmask', [ifname, netmask], () => [ifnameArg(ifname), ipv4Arg(netmask, 'netmask')] as const);
  const d = k.lookup(name, 'ioctl(SIOCSIFNETMASK)');
  k.needAdmin('ioctl(SIOCSIFNETMASK)', name);
  if (!d.ipv4) throw sysErr('EADDRNOTAVAIL', 'ioctl(SIOCSIFNETMASK)', { ifname: name });
  const mask = ipToInt(m);
  if (badMask(mask)) throw sysErr('EINVAL', 'ioctl(SIOCSIFNETMASK)', { ifname: name });
  d.ipv4 = { address: d.ipv4.address, netmask: m };
  const prefix = 32 - Math.log2((~mask >>> 0) + 1);
  if (d.flags & IFF_BROADCAST && prefix < 31) d.ipv4.broadcast = intToIp((ipToInt(d.ipv4.address) | ~mask) >>> 0);
}

export function setMtu(k: FakeBinding, ifname: string, mtu: number): void {
  const [name, n] = k.enter('setMtu', [ifname, mtu], () => [ifnameArg(ifname), intArg(mtu, 'mtu', 0, INT32_MAX)] as const);
  const d = k.lookup(name, 'ioctl(SIOCSIFMTU)');
  k.needAdmin('ioctl(SIOCSIFMTU)', name);
  if (n < d.minMtu || n > d.maxMtu) throw sysErr('EINVAL', 'ioctl(SIOCSIFMTU)', { ifname: name });
  d.mtu = n;
}

export function changeFlags(k: FakeBinding, ifname: string, set: number, clear: number): number {
  const [name, s, c] = k.enter('changeFlags', [ifname, set, clear], () => [
    ifnameArg(ifname),
    intArg(set, 'set', 0, 0xffff),
    intArg(clear, 'clear', 0, 0xffff),
  ] as const);
  const d = k.lookup(name, 'ioctl(SIOCGIFFLAGS)');
  k.needAdmin('ioctl(SIOCSIFFLAGS)', name);
  const wanted = (k.flagsOf(d) | s) & ~c;
  d.flags = (d.flags & ~IFF_CHANGEABLE) | (wanted & IFF_CHANGEABLE);
  return k.flagsOf(d);
}

export function driverName(k: FakeBinding, ifname: string): string {
  const name = k.enter('driverName', [ifname], () => ifnameArg(ifname));
  const d = k.lookup(name, 'ioctl(SIOCETHTOOL)');
  if (!d.driver) throw sysErr('EOPNOTSUPP', 'ioctl(SIOCETHTOOL)', { ifname: name });
  return d.driver;
}

export function setBroadcast(k: FakeBinding, ifname: string, address: string): void {
  const [name, a] = k.enter('setBroadcast', [ifname, address], () => [ifnameArg(ifname), ipv4Arg(address, 'address')] as const);
  const d = k.lookup(name, 'ioctl(SIOCSIFBRDADDR)');
  k.needAdmin('ioctl(SIOCSIFBRDADDR)', name);
  if (!d.ipv4) throw sysErr('EADDRNOTAVAIL', 'ioctl(SIOCSIFBRDADDR)', { ifname: name });
  d.ipv4 = { ...d.ipv4, broadcast: a };
}

export function setTxqueuelen(k: FakeBinding, ifname: string, txqueuelen: number): void {
  const [name, n] = k.enter('setTxqueuelen', [ifname, txqueuelen], () => [ifnameArg(ifname), intArg(txqueuelen, 'txqueuelen', 0, INT32_MAX)] as const);
  const d = k.lookup(name, 'ioctl(SIOCSIFTXQLEN)');
  k.needAdmin('ioctl(SIOCSIFTXQLEN)', name);
  d.txqueuelen = n;
}

export function setHwAddress(k: FakeBinding, ifname: string, mac: string): void {
  const [name, m] = k.enter('setHwAddress', [ifname, mac], () => {
    const v = str(mac, 'mac');
    if (!/^[0-9a-fA-F]{2}(:[0-9a-fA-F]{2}){5}$/.test(v)) {
      throw typeError('ERR_INVALID_ARG_VALUE', `The "mac" argument must be an Ethernet address (aa:bb:cc:dd:ee:ff). Received '${v}'`);
    }
    return [ifnameArg(ifname), v.toLowerCase()] as const;
  });
  const d = k.lookup(name, 'ioctl(SIOCSIFHWADDR)');
  k.needAdmin('ioctl(SIOCSIFHWADDR)', name);
  if (parseInt(m.slice(0, 2), 16) & 1 || m === '00:00:00:00:00:00') {
    throw sysErr('EADDRNOTAVAIL', 'ioctl(SIOCSIFHWADDR)', { ifname: name });
  }
  if (d.vnet?.slave) throw sysErr('EBUSY', 'ioctl(SIOCSIFHWADDR)', { ifname: name });
  d.mac = m;
  if (d.vnet) d.vnet.ownMac = m;
}

/** dev_get_stats(): the core's counters plus a vnet device's own. */
export function statsOf(d: FakeDevice): LinkStats {
  const out = { ...d.link };
  if (d.vnet) {
    // ndo_get_stats64 reports the driver's counters; the core adds its own.
    const v = d.vnet.stats;
    out.rx_packets += v.rx_packets;
    out.rx_bytes += v.rx_bytes;
    out.tx_packets += v.tx_packets;
    out.tx_bytes += v.tx_bytes;
    out.rx_dropped += v.rx_dropped;
    out.tx_dropped += v.tx_dropped;
  }
  return out;
}
