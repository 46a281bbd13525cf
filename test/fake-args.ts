/*
 * The fake binding's argument validation: the same checks, messages, error
 * classes and order as addon/src/args.cc, vnet_js.cc and ioctl.cc, so that
 * a call the addon rejects before any system call is rejected alike (and
 * never "reaches the kernel" in the fake).  test/native/fake-binding.test.ts
 * compares the two.
 */
import { isIPv4 } from 'node:net';

import { ABI } from '../src/abi';
import type { RelayInfo } from '../src/binding/types';

export const INT32_MIN = -0x80000000;
export const INT32_MAX = 0x7fffffff;
export const UINT32_MAX = 0xffffffff;

function describe(v: unknown): string {
  if (v === undefined) return 'undefined';
  if (v === null) return 'null';
  switch (typeof v) {
    case 'string':
      return `type string ('${v}')`;
    case 'number':
    case 'boolean':
      return `type ${typeof v} (${String(v)})`;
    case 'bigint':
      return `type bigint (${v}n)`;
    case 'function':
      return 'function';
    case 'symbol':
      return 'type symbol';
    default:
      return 'an instance of Object';
  }
}

export function typeError(code: string, message: string): TypeError {
  return Object.assign(new TypeError(message), { code });
}

export function wrongType(what: string, type: string, v: unknown): TypeError {
  return typeError('ERR_INVALID_ARG_TYPE', `The "${what}" argument must be of type ${type}. Received ${describe(v)}`);
}

function rangeError(message: string): RangeError {
  return Object.assign(new RangeError(message), { code: 'ERR_OUT_OF_RANGE' });
}

export function str(v: unknown, what: string): string {
  if (typeof v !== 'string') throw wrongType(what, 'string', v);
  if (v.includes('\0')) throw typeError('ERR_INVALID_ARG_VALUE', `The "${what}" argument must not contain null bytes`);
  return v;
}

export function ifnameArg(v: unknown, what = 'ifname', allowEmpty = false): string {
  const s = str(v, what);
  if (s === '' && !allowEmpty) {
    throw typeError('ERR_INVALID_ARG_VALUE', `The "${what}" argument must be a non-empty interface name`);
  }
  const bytes = Buffer.byteLength(s);
  if (bytes >= ABI.VNET_IFNAMSIZ) {
    throw typeError(
      'ERR_INVALID_ARG_VALUE',
      `The "${what}" argument '${s}' is too long for an interface name (${bytes} bytes, at most ${ABI.VNET_IFNAMSIZ - 1})`,
    );
  }
  return s;
}

export function intArg(v: unknown, what: string, min: number, max: number): number {
  if (typeof v !== 'number') throw wrongType(what, 'number', v);
  if (!Number.isInteger(v) || v < min || v > max) {
    throw rangeError(
      `The value of "${what}" is out of range. It must be an integer >= ${min} and <= ${max}. Received ${String(v)}`,
    );
  }
  return v;
}

export function devArg(v: unknown, what = 'dev'): string | number {
  if (typeof v === 'number') return intArg(v, what, 1, UINT32_MAX);
  if (typeof v === 'string') return ifnameArg(v, what);
  throw wrongType(what, 'string or number', v);
}

export function objArg(v: unknown, what: string): Record<string, unknown> {
  if (typeof v !== 'object' || v === null) throw wrongType(what, 'object', v);
  return v as Record<string, unknown>;
}

export function ipv4Arg(v: unknown, what: string): string {
  const s = str(v, what);
  if (!isIPv4(s)) throw typeError('ERR_INVALID_ARG_VALUE', `The "${what}" argument must be an IPv4 address. Received '${s}'`);
  return s;
}

export function seedArg(v: unknown, what: string): bigint {
  if (typeof v !== 'bigint') throw wrongType(what, 'bigint', v);
  if (v < 0n || v >= 1n << 64n) {
    throw rangeError(`The value of "${what}" is out of range. It must be >= 0n and < 2n ** 64n. Received ${v}n`);
  }
  return v;
}

/** A RelaySetRequest as vnet_js.cc's SetRequestValue checks it, in its order. */
export interface SetArgs {
  dev: string | number;
  mode: number;
  arg1: number;
  arg2: number;
  arg3?: number;
  arg4?: number;
  seed?: bigint;
  direction?: number;
  revertMs?: number;
  slave?: string;
}

export function setRequestArg(req: unknown): SetArgs {
  const o = objArg(req, 'req');
  const opt = <T>(key: string, fn: (v: unknown) => T): T | undefined => (o[key] === undefined ? undefined : fn(o[key]));
  return {
    dev: devArg(o.dev, 'req.dev'),
    mode: intArg(o.mode, 'req.mode', 0, UINT32_MAX),
    arg1: intArg(o.arg1, 'req.arg1', INT32_MIN, INT32_MAX),
    arg2: intArg(o.arg2, 'req.arg2', INT32_MIN, INT32_MAX),
    arg3: opt('arg3', (v) => intArg(v, 'req.arg3', INT32_MIN, INT32_MAX)),
    arg4: opt('arg4', (v) => intArg(v, 'req.arg4', INT32_MIN, INT32_MAX)),
    seed: opt('seed', (v) => seedArg(v, 'req.seed')),
    direction: opt('direction', (v) => intArg(v, 'req.direction', 0, UINT32_MAX)),
    revertMs: opt('revertMs', (v) => intArg(v, 'req.revertMs', 0, UINT32_MAX)),
    slave: opt('slave', (v) => ifnameArg(v, 'req.slave', true)),
  };
}

/** struct vnet_relay_info as ioctl.cc checks it. */
export function relayInfoArg(info: unknown): RelayInfo {
  const o = objArg(info, 'info');
  return {
    slave: ifnameArg(o.slave, 'info.slave', true),
    mode: intArg(o.mode, 'info.mode', INT32_MIN, INT32_MAX),
    arg1: intArg(o.arg1, 'info.arg1', INT32_MIN, INT32_MAX),
    arg2: intArg(o.arg2, 'info.arg2', INT32_MIN, INT32_MAX),
  };
}
