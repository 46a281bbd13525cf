/*
 * vnet-echo's round trips, ping's way, over an EchoSocket (requests in
 * flight, the wait is ours):
 *
 *  - normal: one request every interval, whether or not the previous one
 *    was answered (as ping), each waited for up to TIMEOUT;
 *  - flood (-f): up to FLOOD_WINDOW requests in flight, a new one as soon
 *    as one is answered or given up, no interval; it works in batches:
 *    fill the window (its free places in one datagram), take every reply
 *    already there (the kernel answers in the sender's context, so they
 *    mostly are), one clock reading per batch for their round-trip times,
 *    and wait only when none came;
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
import { emptyRttStats, type RttStats } from './format/echo';

/** Requests kept in flight by -f. */
export const FLOOD_WINDOW = 16;
/** Requests in flight at most otherwise (a short interval and a slow kernel). */
export const NORMAL_WINDOW = 256;
/**
 * In flood mode, the event loop gets a turn (signal handlers run in it)
 * after this many replies or this long, whichever comes first: a turn
 * costs as much as several round trips, and 2 ms at the lab guest's rate.
 */
export const FLOOD_TICK_REPLIES = 128;
const FLOOD_TICK_NS = 20n * 1_000_000n;

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
  /** round-trip times of the good replies */
  rtt: RttStats;
}

/** Counts RTT (ns) in S. */
export function addRtt(s: RttStats, rtt: bigint): void {
  if (s.count === 0 || rtt < s.min) s.min = rtt;
  if (s.count === 0 || rtt > s.max) s.max = rtt;
  s.count++;
  s.sum += rtt;
  const t = Number(rtt);
  s.sumSq += t * t;
}

const MS = 1_000_000n;

export async function echoLoop(
  ctx: Context,
  stop: Stopper,
  sock: EchoSocket,
  plan: EchoPlan,
  ev: EchoEvents,
): Promise<EchoTotals> {
  return plan.flood ? floodLoop(ctx, stop, sock, plan, ev) : normalLoop(ctx, stop, sock, plan, ev);
}

/** COUNT reached?  With a deadline, COUNT is the replies wanted (ping -c N -w D). */
function enough(plan: EchoPlan, totals: EchoTotals): boolean {
  if (plan.count === undefined) return false;
  return plan.deadlineMs === undefined ? totals.sent >= plan.count : totals.received >= plan.count;
}

/** Takes a reply to a request in `pending`: counted, timed, reported. */
function take(
  r: EchoReply,
  pending: Map<number, [number, bigint]>,
  plan: EchoPlan,
  totals: EchoTotals,
  ev: EchoEvents,
  now: bigint,
): void {
  const p = pending.get(r.seq);
  if (!p) return; // a reply to a request given up already
  pending.delete(r.seq);
  const [seq, sentAt] = p;
  if (r.error) ev.error(seq, r.error);
  else if (r.message !== plan.message) ev.mismatch(seq, r.message ?? '');
  else {
    const rtt = now - sentAt;
    totals.received++;
    addRtt(totals.rtt, rtt);
    ev.reply(seq, r.message, rtt);
  }
}

/** Gives up on requests older than the timeout; the Map is in send order. */
function expire(pending: Map<number, [number, bigint]>, now: bigint, timeout: bigint): void {
  for (const [k, [, sentAt]] of pending) {
    if (now - sentAt < timeout) return;
    pending.delete(k);
  }
}

/** A loop's start, its -w deadline (if any) and its per-request -W timeout, in ns. */
function loopTimes(ctx: Context, plan: EchoPlan): { start: bigint; deadline?: bigint; timeout: bigint } {
  const start = ctx.now();
  const deadline = plan.deadlineMs === undefined ? undefined : start + BigInt(Math.ceil(plan.deadlineMs)) * MS;
  return { start, deadline, timeout: BigInt(Math.ceil(plan.timeoutMs)) * MS };
}

async function floodLoop(
  ctx: Context,
  stop: Stopper,
  sock: EchoSocket,
  plan: EchoPlan,
  ev: EchoEvents,
): Promise<EchoTotals> {
  const totals: EchoTotals = { sent: 0, received: 0, rtt: emptyRttStats() };
  const { start, deadline, timeout } = loopTimes(ctx, plan);
  /** kernel sequence number → [our seq, send time], oldest first */
  const pending = new Map<number, [number, bigint]>();
  const batch: EchoReply[] = [];
  let lastTick = start;
  let sinceTick = 0;

  for (;;) {
    if (stop.stopped) break;
    const now = ctx.now();
    if (deadline !== undefined && now >= deadline) break;
    expire(pending, now, timeout);
    if (enough(plan, totals) && (pending.size === 0 || (deadline !== undefined && plan.count !== undefined))) break;

    // the free places of the window, in one datagram (-c: no more than asked)
    let free = FLOOD_WINDOW - pending.size;
    if (plan.count !== undefined && plan.deadlineMs === undefined) free = Math.min(free, plan.count - totals.sent);
    if (free > 0 && !enough(plan, totals)) {
      for (const k of sock.sendMany(plan.message, free)) {
        totals.sent++;
        pending.set(k, [totals.sent, now]);
        ev.sent(totals.sent);
      }
    }
    for (let r = sock.receive(0); r; r = sock.receive(0)) batch.push(r);
    if (batch.length === 0) {
      // none yet: wait until the oldest request expires, or the deadline
      let until = (pending.values().next().value as [number, bigint])[1] + timeout;
      if (deadline !== undefined && deadline < until) until = deadline;
      const leftMs = Math.max(1, Number((until - now) / MS));
      const r = await stop.wait(leftMs, (ms) => sock.receive(ms));
      if (r) batch.push(r);
    }
    if (batch.length === 0) continue;
    const got = ctx.now();
    for (const r of batch) take(r, pending, plan, totals, ev, got);
    sinceTick += batch.length;
    batch.length = 0;
    if (sinceTick >= FLOOD_TICK_REPLIES || got - lastTick >= FLOOD_TICK_NS) {
      sinceTick = 0;
      lastTick = got;
      await ctx.tick(); // replies come back at once: let signal handlers run
    }
  }
  return totals;
}

async function normalLoop(
  ctx: Context,
  stop: Stopper,
  sock: EchoSocket,
  plan: EchoPlan,
  ev: EchoEvents,
): Promise<EchoTotals> {
  const totals: EchoTotals = { sent: 0, received: 0, rtt: emptyRttStats() };
  const window = NORMAL_WINDOW;
  const { start, deadline, timeout } = loopTimes(ctx, plan);
  const interval = BigInt(Math.round(plan.intervalMs * 1e6));
  /** kernel sequence number → [our seq, send time] */
  const pending = new Map<number, [number, bigint]>();
  let nextSend = start;

  for (;;) {
    if (stop.stopped) break;
    const now = ctx.now();
    if (deadline !== undefined && now >= deadline) break;
    expire(pending, now, timeout);
    const sending = !enough(plan, totals);
    if (!sending && (pending.size === 0 || (deadline !== undefined && plan.count !== undefined))) break;

    const canSend = sending && pending.size < window && now >= nextSend;
    if (canSend) {
      const k = sock.send(plan.message);
      totals.sent++;
      pending.set(k, [totals.sent, now]);
      nextSend += interval;
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
    const oldest = pending.values().next().value;
    if (oldest) earlier(oldest[1] + timeout);
    const leftMs = until === undefined ? plan.timeoutMs : Math.max(0, Number((until - now) / MS));
    if (pending.size === 0) {
      await stop.sleep(leftMs);
      continue;
    }
    const r = await stop.wait(Math.max(1, leftMs), (ms) => sock.receive(ms));
    if (r) take(r, pending, plan, totals, ev, ctx.now());
  }
  return totals;
}
