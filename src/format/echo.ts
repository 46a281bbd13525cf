/*
 * vnet-echo's lines, ping-like.  Pure functions; times come in as
 * nanoseconds (bigint, from process.hrtime.bigint()).
 */
import { GENL_NAME } from '../modes';

/** The longest echoed text shown on a reply line, in characters. */
export const PREVIEW_MAX = 40;

/** The echoed text, quoted, cut to PREVIEW_MAX characters with the rest counted. */
export function preview(text: string): string {
  const chars = Array.from(text);
  if (chars.length <= PREVIEW_MAX) return JSON.stringify(text);
  const shown = chars.slice(0, PREVIEW_MAX).join('');
  const rest = Buffer.byteLength(text) - Buffer.byteLength(shown);
  return `${JSON.stringify(shown)}... (${rest} more bytes)`;
}

/** Nanoseconds as milliseconds with three decimals: 45123n → "0.045". */
export function ms3(ns: bigint): string {
  const us = (ns + 500n) / 1000n; // rounded to the microsecond
  return `${us / 1000n}.${String(us % 1000n).padStart(3, '0')}`;
}

export function echoReplyLine(seq: number, reply: string, rttNs: bigint): string {
  return `${Buffer.byteLength(reply)} bytes from ${GENL_NAME}: seq=${seq} time=${ms3(rttNs)} ms ${preview(reply)}`;
}

export interface RttSummary {
  /** milliseconds, as printed (three decimals) */
  min: string;
  avg: string;
  max: string;
  mdev: string;
}

/**
 * What the summary is made from, accumulated reply by reply (as ping
 * does): a flood of 100 000 keeps no list of times.  Nanoseconds.
 */
export interface RttStats {
  count: number;
  min: bigint;
  max: bigint;
  sum: bigint;
  /** sum of the squares, as a double (only mdev needs it) */
  sumSq: number;
}

export function emptyRttStats(): RttStats {
  return { count: 0, min: 0n, max: 0n, sum: 0n, sumSq: 0 };
}

/** ping's min/avg/max/mdev, mdev = sqrt(mean(t^2) - mean(t)^2). */
export function rttSummary(s: RttStats): RttSummary | undefined {
  if (s.count === 0) return undefined;
  const avg = s.sum / BigInt(s.count);
  const mean = Number(s.sum) / s.count;
  const meanSq = s.sumSq / s.count;
  const mdev = BigInt(Math.round(Math.sqrt(Math.max(0, meanSq - mean * mean))));
  return { min: ms3(s.min), avg: ms3(avg), max: ms3(s.max), mdev: ms3(mdev) };
}

/** printf's %g for a loss percentage: 0, 100, 33.3333. */
export function lossPercent(sent: number, received: number): string {
  if (sent === 0) return '0';
  return String(Number((((sent - received) * 100) / sent).toPrecision(6)));
}

export function echoSummary(sent: number, received: number, rtt?: RttSummary): string[] {
  const lines = [
    '',
    `--- ${GENL_NAME} echo statistics ---`,
    `${sent} sent, ${received} received, ${lossPercent(sent, received)}% loss`,
  ];
  if (rtt) lines.push(`rtt min/avg/max/mdev = ${rtt.min}/${rtt.avg}/${rtt.max}/${rtt.mdev} ms`);
  return lines;
}
