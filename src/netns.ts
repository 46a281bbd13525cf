/*
 * -n/--netns NAME, on every command, as `ip -n NAME`: the command runs in
 * the network namespace /run/netns/NAME (what `ip netns add` creates), or
 * in the one an absolute path names (/proc/PID/ns/net).  The switch is
 * made before anything else reaches the kernel; everything the commands
 * read afterwards comes through sockets (ioctl, rtnetlink, generic
 * netlink), which belong to the new namespace, never through /sys, which
 * would still show the old one.
 */
import type { VnetBinding } from './binding/types';
import { CliError, isSystemError, UsageError } from './errors';
import { EXIT_NOT_FOUND, EXIT_PERMISSION } from './exit';

export function parseNetnsName(name: string): string {
  if (name.startsWith('/')) return name;
  if (name === '' || name === '.' || name === '..' || name.includes('/') || name.includes('\0')) {
    throw new UsageError(`invalid network namespace name '${name}' (a name from 'ip netns list', or an absolute path)`);
  }
  return name;
}

/** Moves the process's kernel view to the namespace; throws CliError/UsageError. */
export function enterNetns(b: VnetBinding, name: string): void {
  parseNetnsName(name);
  try {
    b.enterNetns(name);
  } catch (e) {
    if (isSystemError(e)) {
      if (e.code === 'ENOENT') {
        throw new CliError(EXIT_NOT_FOUND, `network namespace '${name}' not found (see 'ip netns list')`);
      }
      if (e.code === 'EPERM' || e.code === 'EACCES') {
        throw new CliError(
          EXIT_PERMISSION,
          `cannot enter network namespace '${name}': permission denied (this needs CAP_SYS_ADMIN)`,
        );
      }
      if (e.code === 'EINVAL') {
        throw new CliError(EXIT_NOT_FOUND, `'${name}' is not a network namespace`);
      }
    }
    throw e;
  }
}
