/*
 * The fake kernel's drop policies (kernel/policy.c, revert.c): one per
 * direction and vnet device, validated as the module validates a SET (the
 * same errno and extack texts), with the arguments a mode ignores read
 * back as 0, gemodel's 1-h defaulting to 100%, percent draws and
 * gemodel's two-state chain from a seeded generator, time mode's phase on
 * the fake clock, and auto-revert deadlines on that clock.
 */
import { ABI } from '../src/abi';
import type { VnetPolicy, VnetStats } from '../src/binding/types';

/** One direction's policy as the fake kernel keeps it. */
export interface FakePolicy {
  mode: number;
  arg1: number;
  arg2: number;
  arg3: number;
  arg4: number;
  seed: bigint;
  /** the generator's state (percent and gemodel draws) */
  rng: bigint;
  /** fake clock (ms) of the SET: time mode's phase origin */
  phaseStartMs: number;
  /** gemodel: the chain is in the bad state */
  geBad: boolean;
  /** fake clock (ms) when the kernel sets it back to pass; undefined: never */
  revertAt?: number;
}

export type Direction = 'tx' | 'rx';

/** The directions a VNET_ATTR_DIRECTION value sets; undefined when unknown. */
export function directionsOf(dir: number | undefined): Direction[] | undefined {
  switch (dir ?? ABI.VNET_DIR_TX) {
    case ABI.VNET_DIR_TX:
      return ['tx'];
    case ABI.VNET_DIR_RX:
      return ['rx'];
    case ABI.VNET_DIR_BOTH:
      return ['tx', 'rx'];
    default:
      return undefined;
  }
}

export function newPolicy(seed: bigint, clockMs: number, args: Partial<FakePolicy> = {}): FakePolicy {
  return { mode: 0, arg1: 0, arg2: 0, arg3: 0, arg4: 0, seed, rng: seed, phaseStartMs: clockMs, geBad: false, ...args };
}

/** What GET reports of a policy: revertMs is the time left, rounded up, at least 1 while pending. */
export function policyState(p: FakePolicy, clockMs: number): VnetPolicy {
  const out: VnetPolicy = { mode: p.mode, arg1: p.arg1, arg2: p.arg2, arg3: p.arg3, arg4: p.arg4, seed: p.seed };
  if (p.revertAt !== undefined) out.revertMs = Math.max(1, Math.ceil(p.revertAt - clockMs));
  return out;
}

export interface PolicyRequest {
  mode: number;
  arg1: number;
  arg2: number;
  arg3?: number;
  arg4?: number;
  direction?: number;
  revertMs?: number;
}

/** vnet_policy_validate(): [errno code, extack text] of a refusal, or undefined. */
export function validatePolicy(r: PolicyRequest): [string, string] | undefined {
  if (directionsOf(r.direction) === undefined) return ['EINVAL', 'unknown direction (tx 0, rx 1, both 2)'];
  if ((r.revertMs ?? 0) > ABI.VNET_REVERT_MS_MAX) return ['EINVAL', 'auto-revert: at most 7 days (604800000 ms)'];
  const ppm = (v: number | undefined): boolean => v === undefined || (v >= 0 && v <= ABI.VNET_PPM);
  switch (r.mode) {
    case ABI.VNET_MODE_PASS:
      return undefined;
    case ABI.VNET_MODE_PERCENT:
      if (r.arg1 < 0 || r.arg1 > 100) return ['EINVAL', 'percent mode: arg1, the share of packets passed, must be 0..100'];
      return undefined;
    case ABI.VNET_MODE_TIME:
      if (r.arg1 < 1) return ['EINVAL', 'time mode: the relay window (arg1) must be at least 1 ms'];
      if (r.arg2 < 1) return ['EINVAL', 'time mode: the drop window (arg2) must be at least 1 ms'];
      return undefined;
    case ABI.VNET_MODE_GEMODEL:
      if (!ppm(r.arg1)) return ['EINVAL', 'gemodel: p (arg1) must be 0..1000000 ppm'];
      if (!ppm(r.arg2)) return ['EINVAL', 'gemodel: r (arg2) must be 0..1000000 ppm'];
      if (!ppm(r.arg3)) return ['EINVAL', 'gemodel: 1-h (arg3) must be 0..1000000 ppm'];
      if (!ppm(r.arg4)) return ['EINVAL', 'gemodel: 1-k (arg4) must be 0..1000000 ppm'];
      return undefined;
    default:
      return ['EINVAL', 'unknown mode (pass 0, percent 1, time 2, gemodel 3)'];
  }
}

/** The arguments the kernel keeps: those a mode ignores read back as 0; gemodel's 1-h defaults to 100%. */
export function appliedArgs(r: PolicyRequest): Pick<FakePolicy, 'mode' | 'arg1' | 'arg2' | 'arg3' | 'arg4'> {
  switch (r.mode) {
    case ABI.VNET_MODE_PERCENT:
      return { mode: r.mode, arg1: r.arg1, arg2: 0, arg3: 0, arg4: 0 };
    case ABI.VNET_MODE_TIME:
      return { mode: r.mode, arg1: r.arg1, arg2: r.arg2, arg3: 0, arg4: 0 };
    case ABI.VNET_MODE_GEMODEL:
      return { mode: r.mode, arg1: r.arg1, arg2: r.arg2, arg3: r.arg3 ?? ABI.VNET_PPM, arg4: r.arg4 ?? 0 };
    default:
      return { mode: r.mode, arg1: 0, arg2: 0, arg3: 0, arg4: 0 };
  }
}

function next(p: FakePolicy): bigint {
  p.rng = (p.rng * 6364136223846793005n + 1442695040888963407n) & 0xffffffffffffffffn;
  return p.rng >> 33n;
}

function chance(p: FakePolicy, ppm: number): boolean {
  return Number(next(p) % BigInt(ABI.VNET_PPM)) < ppm;
}

/** One frame through a policy: the per-reason counter of its drop, or undefined when it passes. */
export function decide(p: FakePolicy, dir: Direction, clockMs: number): keyof VnetStats | undefined {
  switch (p.mode) {
    case ABI.VNET_MODE_PERCENT:
      return Number(next(p) % 100n) >= p.arg1 ? `${dir}_drop_percent` : undefined;
    case ABI.VNET_MODE_TIME:
      return (clockMs - p.phaseStartMs) % (p.arg1 + p.arg2) >= p.arg1 ? `${dir}_drop_time` : undefined;
    case ABI.VNET_MODE_GEMODEL: {
      // as netem: in the state the frame finds, the transition, then the loss
      const bad = p.geBad;
      if (chance(p, bad ? p.arg2 : p.arg1)) p.geBad = !bad;
      return chance(p, bad ? p.arg3 : p.arg4) ? `${dir}_drop_gemodel` : undefined;
    }
    default:
      return undefined;
  }
}
