/*
 * Applying a relay policy the way configuration management needs it:
 * read the device's state first; when it already has what is asked for
 * (the slave, and for each direction asked the mode, all four arguments
 * and the seed when one is given, with no auto-revert pending), send
 * nothing, so the time phase, gemodel's chain and the drop generator's
 * stream go on undisturbed; otherwise one generic-netlink VNET_CMD_SET,
 * whose reply is what the kernel applied.
 *
 * An auto-revert (--for) is always sent: it asks for a new deadline.  A
 * direction whose auto-revert is pending is a change even for the same
 * policy: the SET without --for makes it permanent (a SET cancels the
 * timer).  `force` always sends the SET (which reseeds, restarts the time
 * phase and the chain).
 */
import type { GenlSocket, RelaySetRequest, VnetPolicy, VnetState } from './binding/types';
import { ErrorContext, kernel } from './errors';
import { Direction, DIRECTION_VALUE, MODE_GEMODEL } from './modes';

/** A mode and its arguments, as the kernel will hold them. */
export interface PolicyArgs {
  mode: number;
  arg1: number;
  arg2: number;
  /** gemodel's 1-h and 1-k (ppm); 0 for the other modes, which ignore them */
  arg3: number;
  arg4: number;
}

export interface RelayRequest {
  /** "" detaches (loopback mode) */
  slave: string;
  policy: PolicyArgs;
  direction: Direction;
  seed?: bigint;
  /** the kernel sets the direction(s) back to pass this many ms later */
  revertMs?: number;
}

export interface Applied {
  state: VnetState;
  changed: boolean;
}

function samePolicy(have: VnetPolicy | undefined, want: PolicyArgs, seed: bigint | undefined): boolean {
  return (
    have !== undefined &&
    have.revertMs === undefined &&
    have.mode === want.mode &&
    have.arg1 === want.arg1 &&
    have.arg2 === want.arg2 &&
    have.arg3 === want.arg3 &&
    have.arg4 === want.arg4 &&
    (seed === undefined || have.seed === seed)
  );
}

/** true when `state` already is what `req` asks for (and nothing needs sending). */
export function alreadyApplied(state: VnetState, req: RelayRequest): boolean {
  if (req.revertMs !== undefined || state.slaveName !== req.slave) return false;
  if (req.slave === '') return samePolicy(state, req.policy, req.seed);
  const tx = req.direction === 'rx' || samePolicy(state, req.policy, req.seed);
  const rx = req.direction === 'tx' || samePolicy(state.rx, req.policy, rxSeed(req));
  return tx && rx;
}

/**
 * The seed the receive policy gets from a request: the one given, except
 * that with both directions it draws from seed + 1 (mod 2^64), a sequence
 * of its own.
 */
export function rxSeed(req: RelayRequest): bigint | undefined {
  if (req.seed === undefined || req.direction !== 'both') return req.seed;
  return (req.seed + 1n) & 0xffffffffffffffffn;
}

/**
 * The VNET_CMD_SET for `req`: the attributes a kernel before the receive
 * policy does not know (arg3/arg4, direction, revert) only when they say
 * something, so that plain requests work on every kernel.
 */
export function setRequest(dev: string, req: RelayRequest): RelaySetRequest {
  const p = req.policy;
  const out: RelaySetRequest = { dev, mode: p.mode, arg1: p.arg1, arg2: p.arg2, seed: req.seed, slave: req.slave };
  if (p.mode === MODE_GEMODEL) Object.assign(out, { arg3: p.arg3, arg4: p.arg4 });
  if (req.direction !== 'tx') out.direction = DIRECTION_VALUE[req.direction];
  if (req.revertMs !== undefined) out.revertMs = req.revertMs;
  return out;
}

export function applyRelay(g: GenlSocket, dev: string, req: RelayRequest, force: boolean, ectx: ErrorContext): Applied {
  if (!force) {
    const now = kernel({ dev }, () => g.get(dev));
    if (alreadyApplied(now, req)) return { state: now, changed: false };
  }
  const state = kernel(ectx, () => g.set(setRequest(dev, req)));
  return { state, changed: true };
}
