/*
 * Finding vnet devices, by reads only: SIOCETHTOOL GDRVINFO on each
 * interface.  Nothing here opens the generic-netlink family, whose lookup
 * could make the kernel load the module.
 */
import type { VnetBinding } from './binding/types';
import { CliError, isSystemError, kernel, LOAD_HINT } from './errors';
import { EXIT_NOT_FOUND } from './exit';
import { parseIfname } from './parse';

export const DEFAULT_DEV = 'vnet0';
export const VNET_DRIVER = 'vnet';

/** The names of every vnet device in this network namespace, in kernel order. */
export function listVnetDevices(b: VnetBinding): string[] {
  const names = kernel({}, () => b.listInterfaces());
  return names.filter((n) => {
    try {
      return b.driverName(n) === VNET_DRIVER;
    } catch {
      return false; // vanished meanwhile, or no ethtool support
    }
  });
}

export function noVnetDeviceError(): CliError {
  return new CliError(EXIT_NOT_FOUND, `no vnet device exists: is the vnet module loaded? (${LOAD_HINT})`);
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
