/*
 * VnetSystemError: how every failed system call reaches JS, shaped like
 * Node's own SystemError (fs, net):
 *
 *   err.errno    negative errno, e.g. -19
 *   err.code     symbolic name, e.g. 'ENODEV'
 *   err.syscall  what failed, e.g. 'ioctl(SIOCGIFFLAGS)', 'genl VNET_CMD_SET'
 *   err.ifname   the interface concerned, when there is one
 *   err.extack   the kernel's extended-ack text, when there is one
 *   err.message  "ENODEV: no such device, ioctl(SIOCGIFFLAGS) 'vnet9'"
 *                + ": <extack>" when there is one
 *
 * Defined once, here.  The native addon constructs it (the class is handed
 * over at load by native.ts); test/fake-binding.ts throws it too.
 */
import { getSystemErrorMap, getSystemErrorName } from 'node:util';
import { constants as osConstants } from 'node:os';

/** What the addon (or the fake) passes to the constructor. */
export interface VnetSystemErrorInfo {
  /** errno, negative (as Node reports it) or positive */
  errno: number;
  syscall: string;
  ifname?: string;
  /** the kernel's extended-ack message */
  extack?: string;
  /** our own explanation, never the kernel's (e.g. "is the module loaded?") */
  detail?: string;
  /** strerror(3) text, used when libuv does not know the errno */
  strerror?: string;
}

/*
 * Linux has one number for EOPNOTSUPP and ENOTSUP (95); libuv names it
 * ENOTSUP ("operation not supported on socket").  The vnet ABI (and the
 * kernel) says EOPNOTSUPP, so that is the code we report.
 */
const OVERRIDES: Record<number, [string, string]> = {
  [-95]: ['EOPNOTSUPP', 'operation not supported'],
};

/** [code, description] for a negative errno. */
function describe(errno: number, strerror?: string): [string, string] {
  const o = OVERRIDES[errno];
  if (o) return o;
  const known = getSystemErrorMap().get(errno);
  if (known) return [known[0], known[1]];
  const name = getSystemErrorName(errno);
  const code = /^E[A-Z0-9]+$/.test(name) ? name : `E${-errno}`;
  return [code, strerror ? strerror.toLowerCase() : `unknown error ${-errno}`];
}

export class VnetSystemError extends Error {
  /** negative errno */
  readonly errno: number;
  readonly code: string;
  readonly syscall: string;
  readonly ifname?: string;
  readonly extack?: string;
  readonly detail?: string;

  constructor(info: VnetSystemErrorInfo) {
    const errno = -Math.abs(info.errno);
    const [code, description] = describe(errno, info.strerror);
    let message = `${code}: ${description}, ${info.syscall}`;
    if (info.ifname) message += ` '${info.ifname}'`;
    if (info.extack) message += `: ${info.extack}`;
    if (info.detail) message += ` (${info.detail})`;
    super(message);
    this.name = 'VnetSystemError';
    this.errno = errno;
    this.code = code;
    this.syscall = info.syscall;
    if (info.ifname) this.ifname = info.ifname;
    if (info.extack) this.extack = info.extack;
    if (info.detail) this.detail = info.detail;
  }

  /** For fakes and tests: new VnetSystemError from a code ('ENODEV'). */
  static fromCode(
    code: string,
    syscall: string,
    extra: Omit<VnetSystemErrorInfo, 'errno' | 'syscall'> = {},
  ): VnetSystemError {
    return new VnetSystemError({ errno: -errnoOf(code), syscall, ...extra });
  }
}

/** The positive errno for a code ('ENODEV' -> 19), 'EOPNOTSUPP' included. */
export function errnoOf(code: string): number {
  const n = (osConstants.errno as Record<string, number | undefined>)[code];
  if (n === undefined) throw new RangeError(`unknown errno code '${code}'`);
  return n;
}

export function isVnetSystemError(e: unknown): e is VnetSystemError {
  return e instanceof VnetSystemError;
}
