/*
 * vnet-echo's round trips, ping's way, over an EchoSocket (requests in
 * flight, the wait is ours):
 *
 *  - normal: one request every interval, whether or not the previous one
 *    was answered (as ping), each waited for up to TIMEOUT;
 *  - flood (-f): up to FLOOD_WINDOW requests in flight, a new one as soon
 *    as one is answered or given up, no interval;
 *  - it ends when COUNT were sent and answered or timed out, at the
 *    DEADLINE (-w; then COUNT means replies), or on a stop (Ctrl-C,
 *    SIGTERM, stdout closed).
 *
 * Logic only: what happens is reported through EchoEvents; printing is
 * the command's.
 */
import type { EchoReply, EchoSocket } from './binding/types';
import type { Context } from './context';
import type { Stopper } from './stop';

/** Requests kept in flight by -f. */
export const FLOOD_WINDOW = 16;
/** Requests in flight at most otherwise (a short interval and a slow kernel). */
export const NORMAL_WINDOW = 256;
/** In flood mode, the event loop gets a turn (signals) after this many replies. */
const TICK_EVERY = 8;

export interface EchoPlan {
  /** requests to send; undefined: until the deadline or a stop */
  count?: number;
  intervalMs: number;
  message: string;
  /** how long a request is waited for */
  timeoutMs: number;
  /** -w: the whole run's limit */
  deadlineMs?: number;
  flood: boolean;
}

export interface EchoEvents {
  sent(seq: number): void;
  reply(seq: number, message: string, rttNs: bigint): void;
  mismatch(seq: number, message: string): void;
  error(seq: number, error: Error): void;
}

export interface EchoTotals {
  sent: number;
  received: number;
  /** round-trip times of the good replies, ns */
  rtts: bigint[];
}

const MS = 1_000_000n;

export async function echoLoop(
  ctx: Context,
  stop: Stopper,
  sock: EchoSocket,
  plan: EchoPlan,
  ev: EchoEvents,
): Promise<EchoTotals> {
  const totals: EchoTotals = { sent: 0, received: 0, rtts: [] };
  const window = plan.flood ? FLOOD_WINDOW : NORMAL_WINDOW;
  const start = ctx.now();
  const deadline = plan.deadlineMs === undefined ? undefined : start + BigInt(Math.ceil(plan.deadlineMs)) * MS;
  const timeout = BigInt(Math.ceil(plan.timeoutMs)) * MS;
  const interval = BigInt(Math.round(plan.intervalMs * 1e6));
  /** kernel sequence number → [our seq, send time] */
  const pending = new Map<number, [number, bigint]>();
  let nextSend = start;
  let sinceTick = 0;

  const enoughSent = (): boolean => {
    if (plan.count === undefined) return false;
    // with a deadline, COUNT is the replies wanted (ping -c N -w D)
    return deadline === undefined ? totals.sent >= plan.count : totals.received >= plan.count;
  };

  const handle = (r: EchoReply): void => {
    const p = pending.get(r.seq);
    if (!p) return; // a reply to a request given up already
    pending.delete(r.seq);
    const [seq, sentAt] = p;
    if (r.error) ev.error(seq, r.error);
    else if (r.message !== plan.message) ev.mismatch(seq, r.message ?? '');
    else {
      const rtt = ctx.now() - sentAt;
      totals.received++;
      totals.rtts.push(rtt);
      ev.reply(seq, r.message, rtt);
    }
  };

  for (;;) {
    if (stop.stopped) break;
    const now = ctx.now();
    if (deadline !== undefined && now >= deadline) break;
    for (const [k, [, sentAt]] of pending) if (now - sentAt >= timeout) pending.delete(k);
    const sending = !enoughSent();
    if (!sending && (pending.size === 0 || (deadline !== undefined && plan.count !== undefined))) break;

    const canSend = sending && pending.size < window && (plan.flood ? true : now >= nextSend);
    if (canSend) {
      const k = sock.send(plan.message);
      totals.sent++;
      pending.set(k, [totals.sent, now]);
      nextSend = (plan.flood ? now : nextSend) + interval;
      if (nextSend < now) nextSend = now; // behind (a slow wait): no burst to catch up
      ev.sent(totals.sent);
      continue;
    }

    // Wait for a reply until the next send is due, the oldest request
    // expires, or the deadline.
    let until: bigint | undefined = deadline;
    const earlier = (t: bigint): void => {
      if (until === undefined || t < until) until = t;
    };
    if (sending && pending.size < window) earlier(nextSend);
    for (const [, sentAt] of pending.values()) earlier(sentAt + timeout);
    const leftMs = until === undefined ? plan.timeoutMs : Math.max(0, Number((until - now) / MS));
    if (pending.size === 0) {
      await stop.sleep(leftMs);
      continue;
    }
    const r = await stop.wait(Math.max(1, leftMs), (ms) => sock.receive(ms));
    if (r) {
      handle(r);
      if (plan.flood && ++sinceTick >= TICK_EVERY) {
        sinceTick = 0;
        await ctx.tick(); // replies come back at once: let signal handlers run
      }
    }
  }
  return totals;
}
