/*
 * The one place that turns a failure into (exit code, one-line message).
 *
 * Three kinds of failure reach a command's top level:
 *  - UsageError: bad syntax or value, found before anything was sent to
 *    the kernel (exit 2);
 *  - CliError: a failure the CLI itself diagnosed, with its exit code
 *    (e.g. "eth0: not a vnet device", exit 3);
 *  - a VnetSystemError thrown by the binding (src/binding/errors.ts),
 *    mapped here by its errno code.
 */
import {
  EXIT_FAILURE,
  EXIT_NOT_FOUND,
  EXIT_PERMISSION,
  EXIT_USAGE,
  ExitCode,
} from './exit';

/** Bad syntax or value; nothing was sent to the kernel. Exit 2. */
export class UsageError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'UsageError';
  }
}

/** A failure the CLI diagnosed itself, with the exit code to return. */
export class CliError extends Error {
  constructor(
    readonly exitCode: ExitCode,
    message: string,
    /** further lines printed after the message (hints, extack) */
    readonly details: string[] = [],
  ) {
    super(message);
    this.name = 'CliError';
  }
}

/**
 * The shape of src/binding/errors.ts's VnetSystemError, checked
 * structurally so that errors from the native addon and from the fake
 * binding are recognised alike.
 */
export interface SystemErrorLike extends Error {
  /** negative errno */
  errno: number;
  /** 'ENODEV', 'EPERM', ... */
  code: string;
  syscall: string;
  ifname?: string;
  extack?: string;
}

export function isSystemError(e: unknown): e is SystemErrorLike {
  if (!(e instanceof Error)) return false;
  const o = e as unknown as Record<string, unknown>;
  return typeof o.code === 'string' && typeof o.errno === 'number' && typeof o.syscall === 'string';
}

/** What the command was doing when the error happened. */
export interface ErrorContext {
  /** the vnet device operated on */
  dev?: string;
  /** the slave interface named in a relay configuration, if any */
  slave?: string;
  /** what was being done, for generic messages: "set the MTU" */
  op?: string;
  /**
   * The ARPHRD type of an interface (1 is Ethernet), or undefined: asked
   * only to explain an EINVAL about a slave that came without extack text.
   */
  slaveType?: (name: string) => number | undefined;
}

export interface Diagnosis {
  exitCode: ExitCode;
  /** the one-line message */
  message: string;
  /** further lines: the kernel's extack text, hints */
  details: string[];
}

export const LOAD_HINT = "load it with 'modprobe vnet'";

/** strerror(3) texts for the codes the tools can meet. */
const STRERROR: Record<string, string> = {
  EPERM: 'Operation not permitted',
  EINTR: 'Interrupted system call',
  EBADF: 'Bad file descriptor',
  EPROTO: 'Protocol error',
  ENOENT: 'No such file or directory',
  ENXIO: 'No such device or address',
  EFAULT: 'Bad address',
  EBUSY: 'Device or resource busy',
  ENODEV: 'No such device',
  EINVAL: 'Invalid argument',
  ERANGE: 'Numerical result out of range',
  EACCES: 'Permission denied',
  ELOOP: 'Too many levels of symbolic links',
  EOPNOTSUPP: 'Operation not supported',
  EADDRNOTAVAIL: 'Cannot assign requested address',
  ENOBUFS: 'No buffer space available',
  ENOMEM: 'Cannot allocate memory',
  ETIMEDOUT: 'Connection timed out',
  EMSGSIZE: 'Message too long',
  EAFNOSUPPORT: 'Address family not supported by protocol',
  EPROTONOSUPPORT: 'Protocol not supported',
  EEXIST: 'File exists',
  E2BIG: 'Argument list too long',
};

export function strerror(code: string): string {
  return STRERROR[code] ?? code;
}

/** iproute2 style: "Error: <msg>." */
export function extackLine(extack: string): string {
  const t = extack.trim();
  return `Error: ${t}${/[.!?]$/.test(t) ? '' : '.'}`;
}

function isSlaveError(e: SystemErrorLike, ctx: ErrorContext): boolean {
  if (!ctx.slave) return false;
  // The device itself was checked (driverName) just before the request,
  // so an ENODEV from a relay configuration is about the slave, even
  // though the addon names the ioctl's device (ifr_name) in e.ifname.
  return e.ifname === undefined || e.ifname === ctx.slave || e.ifname === ctx.dev;
}

/** ARPHRD_ETHER */
const ARPHRD_ETHER = 1;

/**
 * Whether an EINVAL about a relay configuration is the slave not being an
 * Ethernet device: the kernel's extack says so, or, without extack (the
 * ioctl path), the slave's link type is not Ethernet.  A slave refused for
 * another reason (an MTU below 68, say) gets no such hint.
 */
function notEthernet(e: SystemErrorLike, ctx: ErrorContext): boolean {
  if (e.extack) return /not an Ethernet device/i.test(e.extack);
  if (!ctx.slave || !ctx.slaveType) return false;
  const t = ctx.slaveType(ctx.slave);
  return t !== undefined && t !== ARPHRD_ETHER;
}

/** Maps a binding error to its exit code and message. */
export function diagnoseSystemError(e: SystemErrorLike, ctx: ErrorContext = {}): Diagnosis {
  const who = e.ifname ?? ctx.dev;
  const p = who === undefined ? '' : `${who}: `;
  const details: string[] = [];
  if (e.extack) details.push(extackLine(e.extack));
  const d = (exitCode: ExitCode, message: string): Diagnosis => ({ exitCode, message, details });
  const what = ctx.op ? `cannot ${ctx.op}` : e.syscall;
  const text = strerror(e.code).toLowerCase();

  switch (e.code) {
    case 'ENOENT':
      if (e.syscall === 'genl_ctrl_resolve') {
        return d(EXIT_NOT_FOUND, `the vnet module is not loaded (${LOAD_HINT})`);
      }
      return d(EXIT_NOT_FOUND, `${p}${what}: ${text}`);
    case 'ENODEV':
    case 'ENXIO':
      if (isSlaveError(e, ctx)) return d(EXIT_NOT_FOUND, `${ctx.slave}: no such slave interface`);
      return d(EXIT_NOT_FOUND, `${who ?? 'the device'}: no such device`);
    case 'EPERM':
    case 'EACCES':
      return d(
        EXIT_PERMISSION,
        `${p}permission denied: this needs CAP_NET_ADMIN (run it as root or with that capability)`,
      );
    case 'ELOOP':
      return d(EXIT_FAILURE, `${ctx.slave ?? who}: cannot relay to itself or another vnet device`);
    case 'EBUSY':
      if (ctx.slave) {
        return d(EXIT_FAILURE, `${ctx.slave}: the slave already belongs to a bridge, bond, macvlan or another driver`);
      }
      return d(EXIT_FAILURE, `${p}${what}: ${text}`);
    case 'EINVAL':
      if (ctx.slave) {
        const hint = notEthernet(e, ctx) ? ` (is ${ctx.slave} an Ethernet device?)` : '';
        return d(EXIT_FAILURE, `${p}the kernel refused the relay configuration: invalid argument${hint}`);
      }
      return d(EXIT_FAILURE, `${p}${what}: invalid argument`);
    default:
      return d(EXIT_FAILURE, `${p}${what}: ${text}`);
  }
}

/** A binding error together with what the command was doing. */
export class ContextualError extends Error {
  constructor(
    readonly original: unknown,
    readonly context: ErrorContext,
  ) {
    super(original instanceof Error ? original.message : String(original));
    this.name = 'ContextualError';
  }
}

/** Runs one binding call; a failure carries `ectx` to the diagnosis. */
export function kernel<T>(ectx: ErrorContext, fn: () => T): T {
  try {
    return fn();
  } catch (e) {
    if (e instanceof ContextualError || e instanceof UsageError || e instanceof CliError) throw e;
    throw new ContextualError(e, ectx);
  }
}

/** Any thrown value → exit code and lines for stderr. */
export function diagnose(e: unknown, ctx: ErrorContext = {}): Diagnosis {
  if (e instanceof ContextualError) return diagnose(e.original, { ...ctx, ...e.context });
  if (e instanceof UsageError) return { exitCode: EXIT_USAGE, message: e.message, details: [] };
  if (e instanceof CliError) return { exitCode: e.exitCode, message: e.message, details: e.details };
  if (isSystemError(e)) return diagnoseSystemError(e, ctx);
  if (e instanceof Error && (e as { code?: unknown }).code === 'ERR_VNET_ADDON_NOT_FOUND') {
    const [first, ...rest] = e.message.split('\n');
    return { exitCode: EXIT_FAILURE, message: first.replace(/^vnet: /, ''), details: rest };
  }
  const message = e instanceof Error ? e.message : String(e);
  return { exitCode: EXIT_FAILURE, message: `internal error: ${message}`, details: [] };
}
