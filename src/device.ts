/*
 * Finding vnet devices, by reads only: the link kind ("vnet") in one
 * RTM_GETLINK dump, and SIOCETHTOOL GDRVINFO for a device named by the
 * user.  Nothing here opens the generic-netlink family, whose lookup
 * could make the kernel load the module.
 *
 * The default device: on a KVM host libvirt names its tap devices vnet0,
 * vnet1, ... -- this project's default names.  So a command given no
 * device never assumes "vnet0": it takes the only vnet device there is,
 * refuses to guess among several (listing them), and never picks a
 * device of another kind.
 */
import type { LinkInfo, VnetBinding } from './binding/types';
import { CliError, ErrorContext, isSystemError, kernel, LOAD_HINT } from './errors';
import { EXIT_NOT_FOUND, EXIT_USAGE } from './exit';
import { parseIfname } from './parse';

export const VNET_DRIVER = 'vnet';
/** IFLA_INFO_KIND of vnet devices (VNET_LINK_KIND). */
export const VNET_KIND = 'vnet';

/**
 * Every vnet device in this network namespace, in ifindex order: the
 * kernel sends only those (a namespace of 1000 dummies costs no more
 * than one of 10); the kind is checked again: without the module, or
 * before 4.19, the kernel ignores the filter and sends every link.
 */
export function vnetLinks(b: VnetBinding, ectx: ErrorContext = {}): LinkInfo[] {
  return kernel(ectx, () => b.dumpLinks(VNET_KIND)).filter((l) => l.kind === VNET_KIND);
}

/** The names of every vnet device in this network namespace. */
export function listVnetDevices(b: VnetBinding): string[] {
  return vnetLinks(b).map((l) => l.name);
}

export function noVnetDeviceError(): CliError {
  return new CliError(EXIT_NOT_FOUND, `no vnet device exists: is the vnet module loaded? (${LOAD_HINT})`);
}

/** The one vnet device, when a command is given none; else CliError. */
export function defaultDevice(b: VnetBinding): string {
  const devs = vnetLinks(b);
  if (devs.length === 0) throw noVnetDeviceError();
  if (devs.length > 1) {
    throw new CliError(
      EXIT_USAGE,
      `there are ${devs.length} vnet devices (${devs.map((d) => d.name).join(', ')}): say which one`,
    );
  }
  const d = devs[0];
  if (d.nameEscaped) {
    throw new CliError(
      EXIT_NOT_FOUND,
      `the vnet device ${d.name} has a name that is not valid UTF-8: rename it (ip link set dev ... name NEW)`,
    );
  }
  return d.name;
}

/** The device the user named, checked with requireVnet(), or the default one. */
export function deviceOrDefault(b: VnetBinding, dev: string | undefined): string {
  return dev === undefined ? defaultDevice(b) : requireVnet(b, dev);
}

/**
 * Validates the name (exit 2) and checks that it is a vnet device
 * (exit 3 otherwise), so that no private ioctl ever reaches another
 * driver.  A read: changes nothing.
 */
export function requireVnet(b: VnetBinding, dev: string): string {
  parseIfname(dev, 'device name');
  let driver: string;
  try {
    driver = b.driverName(dev);
  } catch (e) {
    if (isSystemError(e) && (e.code === 'ENODEV' || e.code === 'ENXIO')) {
      let anyVnet = true;
      try {
        anyVnet = listVnetDevices(b).length > 0;
      } catch {
        /* keep the plain message */
      }
      throw new CliError(
        EXIT_NOT_FOUND,
        `${dev}: no such device`,
        anyVnet ? [] : [`(no vnet device exists: is the vnet module loaded? ${LOAD_HINT})`],
      );
    }
    if (isSystemError(e) && e.code === 'EOPNOTSUPP') {
      throw new CliError(EXIT_NOT_FOUND, `${dev}: not a vnet device (its driver does not say what it is)`);
    }
    return kernel({ dev }, () => {
      throw e;
    });
  }
  if (driver !== VNET_DRIVER) {
    throw new CliError(
      EXIT_NOT_FOUND,
      `${dev}: not a vnet device (its driver is ${driver === '' ? 'unknown' : `'${driver}'`})`,
    );
  }
  return dev;
}
