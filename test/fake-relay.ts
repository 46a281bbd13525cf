/*
 * The fake kernel's relay: a SET (vnet_relay_set: validation, the slave
 * adopted or let go, the policies committed and their auto-revert armed),
 * frames through the policies (transmit, and receive for a device's own
 * address), and the auto-revert work on the fake clock.  The FakeBinding
 * methods of the same names call these.
 */
import { ABI } from '../src/abi';
import type { FakeBinding } from './fake-binding';
import { appliedArgs, decide, Direction, directionsOf, newPolicy, PolicyRequest, validatePolicy } from './fake-policy';
import { ETH_MAX_MTU, FakeDevice, IFF_NOARP, sysErr } from './fake-types';

/**
 * Simulates `count` frames of `bytes` sent through a vnet device, with
 * the driver's policy: loopback mode loops them back (tx and rx), relay
 * mode passes or drops them by the transmit policy (fake-policy.ts) and
 * counts drops per reason.
 */
export function transmit(k: FakeBinding, name: string, count = 1, bytes = 98): void {
  k.fireReverts();
  const v = k.vnetOf(name);
  const b = BigInt(bytes);
  for (let i = 0; i < count; i++) {
    if (!v.slave) {
      v.stats.tx_packets++;
      v.stats.tx_bytes += b;
      v.stats.rx_packets++;
      v.stats.rx_bytes += b;
      continue;
    }
    const slave = k.devices.get(v.slave);
    let drop = decide(v.tx, 'tx', k.clockMs);
    if (!drop && (!slave || !k.running(slave))) drop = 'tx_drop_no_slave';
    if (drop) {
      v.stats[drop]++;
      v.stats.tx_dropped++;
    } else {
      v.stats.tx_packets++;
      v.stats.tx_bytes += b;
      slave!.link.tx_packets++;
      slave!.link.tx_bytes += b;
    }
  }
}

/**
 * Simulates `count` frames of `bytes` for a vnet device's own address
 * arriving on its slave: the receive policy delivers them (rx_packets)
 * or drops them (rx_drop_*, summed in rx_dropped).
 */
export function receive(k: FakeBinding, name: string, count = 1, bytes = 98): void {
  k.fireReverts();
  const v = k.vnetOf(name);
  if (!v.slave) throw new Error(`fake: ${name} has no slave to receive from`);
  for (let i = 0; i < count; i++) {
    const drop = decide(v.rx, 'rx', k.clockMs);
    if (drop) {
      v.stats[drop]++;
      v.stats.rx_dropped++;
    } else {
      v.stats.rx_packets++;
      v.stats.rx_bytes += BigInt(bytes);
    }
  }
}

/**
 * The auto-revert work: every policy whose deadline the fake clock has
 * reached goes back to pass (a fresh seed, as a new pass policy gets),
 * with a VNET_EVENT_REVERTED per direction.  Runs before every call, so
 * the kernel seems to have done it on time.
 */
export function fireReverts(k: FakeBinding): void {
  for (;;) {
    const due = k.nextRevert();
    if (due === undefined || due.at > k.clockMs) return;
    const v = due.d.vnet!;
    v[due.dir] = newPolicy(k.seedSource(), k.clockMs);
    k.emit(due.d, ABI.VNET_EVENT_REVERTED, due.dir === 'tx' ? ABI.VNET_DIR_TX : ABI.VNET_DIR_RX);
  }
}

/** The earliest pending auto-revert of k namespace. */
export function nextRevert(k: FakeBinding): { d: FakeDevice; dir: Direction; at: number } | undefined {
  let best: { d: FakeDevice; dir: Direction; at: number } | undefined;
  for (const d of k.devices.values()) {
    for (const dir of ['tx', 'rx'] as const) {
      const at = d.vnet?.[dir].revertAt;
      if (at !== undefined && (best === undefined || at < best.at)) best = { d, dir, at };
    }
  }
  return best;
}

/**
 * vnet_relay_set(): validate, look the slave up, adopt it, commit the
 * policy of the direction(s) asked for (reseeded, phase restarted, chain
 * in the good state) and arm or cancel their auto-revert.  `slave`
 * undefined keeps the current one, '' detaches.  Several vnet devices may
 * share a slave; a slave with another kind of receive handler is EBUSY.
 */
export function relaySet(
  k: FakeBinding,
  d: FakeDevice,
  req: PolicyRequest & { slave?: string | number },
  seed: bigint | undefined,
  syscall: string,
  ifname: string | undefined,
  withExtack: boolean,
): void {
  const v = d.vnet!;
  const fail = (code: string, msg: string): never => {
    throw sysErr(code, syscall, { ifname, extack: withExtack ? msg : undefined });
  };
  const bad = validatePolicy(req);
  if (bad) fail(...bad);
  const cur = v.slave ? k.devices.get(v.slave) : undefined;
  let slave: FakeDevice | undefined;
  if (req.slave === undefined) {
    slave = cur;
  } else if (req.slave !== '' && req.slave !== 0) {
    slave =
      typeof req.slave === 'number'
        ? [...k.devices.values()].find((x) => x.ifindex === req.slave)
        : k.devices.get(req.slave);
    if (!slave) fail('ENODEV', 'slave interface not found');
    if (slave !== cur) {
      if (slave === d || slave!.vnet) fail('ELOOP', 'cannot relay to itself or to another vnet device');
      if (slave!.type !== 'ether') fail('EINVAL', 'slave is not an Ethernet device');
      if (slave!.busy) fail('EBUSY', 'slave already has a receive handler (bridge, bond, macvlan or another driver)');
    }
  }
  if (slave !== cur) {
    if (cur) release(k, d);
    if (slave) adopt(k, d, slave);
  }
  const args = appliedArgs(req);
  const revertAt = req.revertMs ? k.clockMs + req.revertMs : undefined;
  for (const dir of directionsOf(req.direction)!) {
    // with both and a chosen seed, the receive policy draws from seed + 1
    const s = seed === undefined ? k.seedSource() : dir === 'rx' && req.direction === ABI.VNET_DIR_BOTH ? (seed + 1n) & 0xffffffffffffffffn : seed;
    v[dir] = newPolicy(s, k.clockMs, { ...args, revertAt });
  }
  k.emit(d, ABI.VNET_EVENT_CONFIG);
}

/** vnet_adopt_slave(): its MAC, ARP on, MTU capped by the slave's. */
export function adopt(k: FakeBinding, d: FakeDevice, slave: FakeDevice): void {
  if (d.mtu > slave.mtu) d.mtu = slave.mtu;
  d.maxMtu = slave.mtu;
  d.mac = slave.mac;
  d.flags &= ~IFF_NOARP;
  d.vnet!.slave = slave.name;
}

/** vnet_restore_loopback() after letting the slave go. */
export function release(k: FakeBinding, d: FakeDevice): void {
  d.vnet!.slave = '';
  d.maxMtu = ETH_MAX_MTU;
  d.mac = d.vnet!.ownMac;
  d.flags |= IFF_NOARP;
}
