/*
 * Validation of every value a user types.  Each parser returns the value
 * or throws a UsageError (exit 2) whose message names what was wrong;
 * none of them touches the kernel.
 */
import { VNET_PPM, VNET_REVERT_MS_MAX } from './abi';
import { UsageError } from './errors';

/** IFNAMSIZ - 1: the longest interface name, in bytes. */
export const IFNAME_MAX = 15;

/** The kernel's dev_valid_name(), in bytes. */
export function parseIfname(name: string, what = 'interface name'): string {
  if (name === '') throw new UsageError(`empty ${what}`);
  const bytes = Buffer.byteLength(name, 'utf8');
  if (bytes > IFNAME_MAX) {
    throw new UsageError(`${what} '${name}' is too long (${bytes} bytes; at most ${IFNAME_MAX})`);
  }
  if (name === '.' || name === '..' || /[/:\s\0]/.test(name)) {
    throw new UsageError(`invalid ${what} '${name}'`);
  }
  return name;
}

const DEC_INT = /^[0-9]+$/;

/** A non-negative decimal integer in [min, max]. */
export function parseInteger(s: string, what: string, min: number, max: number): number {
  if (!DEC_INT.test(s)) {
    if (/^[+-]?[0-9]*\.?[0-9]+([eE][+-]?[0-9]+)?$/.test(s)) {
      throw new UsageError(`${what} must be a whole number from ${min} to ${max}, not '${s}'`);
    }
    throw new UsageError(`${what} '${s}' is not a number`);
  }
  const n = Number(s);
  if (n < min || n > max) {
    throw new UsageError(`${what} must be from ${min} to ${max}, not ${s}`);
  }
  return n;
}

/** A percentage: whole number 0..100. */
export function parsePercent(s: string, what = 'percentage'): number {
  return parseInteger(s, what, 0, 100);
}

/** Strict dotted-quad IPv4 address. */
export function parseIPv4(s: string, what = 'address'): string {
  const parts = s.split('.');
  if (parts.length !== 4 || !parts.every((p) => /^(0|[1-9][0-9]{0,2})$/.test(p) && Number(p) <= 255)) {
    throw new UsageError(`invalid ${what} '${s}' (expected a dotted-quad IPv4 address such as 10.0.0.2)`);
  }
  return parts.map(Number).join('.');
}

export function ipv4ToInt(a: string): number {
  return a.split('.').reduce((acc, p) => acc * 256 + Number(p), 0);
}

export function intToIPv4(n: number): string {
  return [24, 16, 8, 0].map((sh) => Math.floor(n / 2 ** sh) % 256).join('.');
}

export function prefixToNetmask(prefix: number): string {
  return intToIPv4(prefix === 0 ? 0 : 2 ** 32 - 2 ** (32 - prefix));
}

/** The prefix length of a contiguous netmask, or undefined if not contiguous. */
export function netmaskToPrefix(mask: string): number | undefined {
  const n = ipv4ToInt(mask);
  for (let p = 0; p <= 32; p++) {
    if (ipv4ToInt(prefixToNetmask(p)) === n) return p;
  }
  return undefined;
}

export function parseNetmask(s: string): string {
  const m = parseIPv4(s, 'netmask');
  if (netmaskToPrefix(m) === undefined) {
    throw new UsageError(`invalid netmask '${s}' (the one bits must be contiguous, e.g. 255.255.255.0)`);
  }
  return m;
}

export function parsePrefixLen(s: string): number {
  return parseInteger(s, 'prefix length', 0, 32);
}

/** ETH_MIN_MTU..ETH_MAX_MTU; the kernel may still refuse (EINVAL). */
export function parseMtu(s: string): number {
  return parseInteger(s, 'MTU', 68, 65535);
}

/**
 * An exact decimal ("12", "1.5", "0.25") times 10^shift, as a bigint, or
 * undefined when the result is not a whole number.
 */
function scaleDecimal(s: string, shift: number): bigint | undefined {
  const m = /^([0-9]+)(?:\.([0-9]*))?$/.exec(s) ?? /^()\.([0-9]+)$/.exec(s);
  if (!m) return undefined;
  const intPart = m[1] === '' ? '0' : m[1];
  let frac = (m[2] ?? '').replace(/0+$/, '');
  if (frac.length > shift) return undefined;
  frac = frac.padEnd(shift, '0');
  return BigInt(intPart + frac);
}

/** Largest value an __s32 argument can carry. */
export const S32_MAX = 2147483647;

/**
 * A time-mode duration in whole milliseconds >= 1.
 * Bare numbers are Rubini's 10 ms ticks ("50" = 500 ms); "500ms", "1.5s"
 * are also accepted.
 */
export function parseDuration(s: string, what: string): number {
  const m = /^([0-9]*\.?[0-9]*)(ms|s)?$/.exec(s);
  if (!m || m[1] === '' || m[1] === '.') {
    throw new UsageError(
      `${what} '${s}' is not a duration (a number of 10 ms ticks, or e.g. 500ms, 1.5s)`,
    );
  }
  const unit = m[2];
  // ms = value * 10 (ticks), * 1 (ms), * 1000 (s): scale by a power of ten
  const shift = unit === 's' ? 3 : unit === 'ms' ? 0 : 1;
  const ms = scaleDecimal(m[1], shift);
  if (ms === undefined) {
    throw new UsageError(`${what} '${s}' is not a whole number of milliseconds`);
  }
  if (ms < 1n) throw new UsageError(`${what} must be at least 1 ms, not '${s}'`);
  if (ms > BigInt(S32_MAX)) throw new UsageError(`${what} '${s}' is too long (at most ${S32_MAX} ms)`);
  return Number(ms);
}

/** Parts per million in 100%: gemodel's probabilities. */
export const PPM: number = VNET_PPM;

/**
 * A probability in per cent, netem's way ("1", "0.5", "20%"), exactly:
 * parts per million, 0..1000000, so at most four decimals.
 */
export function parsePpmPercent(s: string, what: string): number {
  const text = s.endsWith('%') ? s.slice(0, -1) : s;
  const ppm = /^[0-9]*\.?[0-9]*$/.test(text) ? scaleDecimal(text, 4) : undefined;
  if (ppm === undefined) {
    if (/^[0-9]*\.[0-9]{5,}$/.test(text)) {
      throw new UsageError(`${what} '${s}' has more than 4 decimals (the kernel counts in parts per million)`);
    }
    throw new UsageError(`${what} '${s}' is not a percentage (e.g. 1, 0.5, 20%)`);
  }
  if (ppm > BigInt(PPM)) throw new UsageError(`${what} must be from 0 to 100%, not ${s}`);
  return Number(ppm);
}

/** Longest auto-revert the kernel takes: 7 days. */
export const REVERT_MS_MAX: number = VNET_REVERT_MS_MAX;

/**
 * An auto-revert delay (--for) in whole milliseconds, 1 ms to 7 days:
 * "500ms", "30s", "1.5m", "2h", or a bare number of seconds (as
 * sleep(1) and timeout(1) read one).
 */
export function parseRevertDuration(s: string): number {
  const m = /^([0-9]*\.?[0-9]*)(ms|s|m|h)?$/.exec(s);
  if (!m || m[1] === '' || m[1] === '.') {
    throw new UsageError(`--for '${s}' is not a duration (e.g. 500ms, 30s, 10m, 2h; a bare number is seconds)`);
  }
  const scale: Record<string, bigint> = { ms: 1n, s: 1000n, m: 60_000n, h: 3_600_000n };
  const unit = scale[m[2] ?? 's'];
  // exact: the decimal scaled by 1000 (thousandths), times the unit in ms, over 1000
  const milli = scaleDecimal(m[1], 3);
  if (milli === undefined || (milli * unit) % 1000n !== 0n) {
    throw new UsageError(`--for '${s}' is not a whole number of milliseconds`);
  }
  const ms = (milli * unit) / 1000n;
  if (ms < 1n) throw new UsageError(`--for must be at least 1 ms, not '${s}'`);
  if (ms > BigInt(REVERT_MS_MAX)) throw new UsageError(`--for '${s}' is too long (at most 7 days)`);
  return Number(ms);
}

export const U64_MAX = (1n << 64n) - 1n;

/** A u64, decimal or 0x-hexadecimal. */
export function parseSeed(s: string): bigint {
  if (!/^(0x[0-9a-fA-F]+|[0-9]+)$/.test(s)) {
    throw new UsageError(`seed '${s}' is not a number (decimal or 0x hexadecimal, 0 to ${U64_MAX})`);
  }
  const v = BigInt(s);
  if (v > U64_MAX) throw new UsageError(`seed '${s}' does not fit in 64 bits`);
  return v;
}

/** Seconds, possibly fractional, >= 0 (ping's -i). Returns milliseconds. */
export function parseInterval(s: string): number {
  if (!/^([0-9]+\.?[0-9]*|\.[0-9]+)$/.test(s)) {
    throw new UsageError(`interval '${s}' is not a number of seconds`);
  }
  const v = Number(s);
  if (!Number.isFinite(v) || v > 3600) {
    throw new UsageError(`interval must be from 0 to 3600 seconds, not ${s}`);
  }
  return v * 1000;
}

/** Seconds, possibly fractional, at least `min` (ping's -W, -w). Returns milliseconds. */
export function parseSeconds(s: string, what: string, min: number): number {
  if (!/^([0-9]+\.?[0-9]*|\.[0-9]+)$/.test(s)) {
    throw new UsageError(`${what} '${s}' is not a number of seconds`);
  }
  const v = Number(s);
  if (!Number.isFinite(v) || v < min || v > 2147483) {
    throw new UsageError(`${what} must be from ${min} to 2147483 seconds, not ${s}`);
  }
  return Math.round(v * 1000);
}
