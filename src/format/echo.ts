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

/** ping's min/avg/max/mdev, mdev = sqrt(mean(t^2) - mean(t)^2). */
export function rttSummary(rtts: readonly bigint[]): RttSummary | undefined {
  if (rtts.length === 0) return undefined;
  const n = BigInt(rtts.length);
  let min = rtts[0];
  let max = rtts[0];
  let sum = 0n;
  for (const t of rtts) {
    if (t < min) min = t;
    if (t > max) max = t;
    sum += t;
  }
  const avg = sum / n;
  const mean = Number(sum) / rtts.length;
  const meanSq = rtts.reduce((a, t) => a + Number(t) * Number(t), 0) / rtts.length;
  const mdev = BigInt(Math.round(Math.sqrt(Math.max(0, meanSq - mean * mean))));
  return { min: ms3(min), avg: ms3(avg), max: ms3(max), mdev: ms3(mdev) };
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
