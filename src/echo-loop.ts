/*
 * vnet-echo's round trips, ping's way, over an EchoSocket (requests in
 * flight, the wait is ours):
 *
 *  - normal: one request every interval, whether or not the previous one
 *    was answered (as ping), each waited for up to TIMEOUT;
 *  - flood (-f): up to FLOOD_WINDOW requests in flight, a new one as soon
 *    as one is answered or given up, no interval; the round trips happen
 *    in the addon (EchoSocket.flood: the window refilled in one datagram,
 *    every queued reply taken, checked and timed there), in steps of up
 *    to FLOOD_TICK_REPLIES requests or FLOOD_TICK_MS, and JS gets counts
 *    and sums back, the event loop a turn after each step;
 *  - it ends when COUNT were sent and answered or timed out, at the
 *    DEADLINE (-w; then COUNT means replies), or on a stop (Ctrl-C,
 *    SIGTERM, stdout closed).
 *
 * Logic only: what happens is reported through EchoEvents; printing is
 * the command's.
 */
import type { EchoReply, EchoSocket, FloodStep } from './binding/types';
import type { Context } from './context';
import type { Stopper } from './stop';
import { emptyRttStats, type RttStats } from './format/echo';

/** Requests kept in flight by -f. */
export const FLOOD_WINDOW = 16;
/** Requests in flight at most otherwise (a short interval and a slow kernel). */
export const NORMAL_WINDOW = 256;
/**
 * In flood mode, the event loop gets a turn (signal handlers run in it)
 * after this many requests ended or this long, whichever comes first: a
 * turn costs as much as several round trips.  Measured in the 6.1 lab
 * guest (2026-12-06, 4 rounds in rotating order, 300 000 requests each):
 * 1024 ran about 15 % faster than 128 (88k against 76k round trips/s),
 * 512 in between; at that rate 1024 take ~12 ms, inside FLOOD_TICK_MS,
 * which keeps bounding how long a Ctrl-C waits.
 */
export const FLOOD_TICK_REPLIES = 1024;
export const FLOOD_TICK_MS = 20;
/** A flood step's budget when COUNT does not limit it. */
const FLOOD_UNLIMITED = 2 ** 52;

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
  /** normal mode: a request went out */
  sent(seq: number): void;
  /** flood mode, after each step: requests sent and good replies in it */
  flood?(sent: number, received: number): void;
  /** flood mode: report each good reply through reply() (else counts only) */
  wantsReplies?: boolean;
  /** a good reply (flood mode: only with wantsReplies) */
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

/** Adds a flood step's round-trip sums (ns, as doubles) to S. */
function addRttSums(s: RttStats, r: FloodStep['rtt']): void {
  if (r.count === 0) return;
  const min = BigInt(Math.round(r.min));
  const max = BigInt(Math.round(r.max));
  if (s.count === 0 || min < s.min) s.min = min;
  if (s.count === 0 || max > s.max) s.max = max;
  s.count += r.count;
  s.sum += BigInt(Math.round(r.sum));
  s.sumSq += r.sumSq;
}

async function floodLoop(
  ctx: Context,
  stop: Stopper,
  sock: EchoSocket,
  plan: EchoPlan,
  ev: EchoEvents,
): Promise<EchoTotals> {
  const totals: EchoTotals = { sent: 0, received: 0, rtt: emptyRttStats() };
  const { deadline } = loopTimes(ctx, plan);
  const timeoutMs = Math.max(1, Math.ceil(plan.timeoutMs));
  const details = ev.wantsReplies === true;
  let inflight = 0;

  for (;;) {
    if (stop.stopped) break;
    const now = ctx.now();
    if (deadline !== undefined && now >= deadline) break;
    const done = enough(plan, totals);
    if (done && (inflight === 0 || (deadline !== undefined && plan.count !== undefined))) break;

    // -c without -w: no more than asked; -w: until the deadline
    let budget = FLOOD_UNLIMITED;
    if (done) budget = 0;
    else if (plan.count !== undefined && plan.deadlineMs === undefined) budget = plan.count - totals.sent;
    let maxMs = FLOOD_TICK_MS;
    if (deadline !== undefined) maxMs = Math.min(maxMs, Math.max(1, Number((deadline - now + MS - 1n) / MS)));

    const st = sock.flood(plan.message, { window: FLOOD_WINDOW, budget, maxReplies: FLOOD_TICK_REPLIES, maxMs, timeoutMs, details });
    inflight = st.inflight;
    totals.sent += st.sent;
    totals.received += st.received;
    addRttSums(totals.rtt, st.rtt);
    ev.flood?.(st.sent, st.received);
    if (st.replies) {
      for (let i = 0; i + 1 < st.replies.length; i += 2) ev.reply(st.replies[i], plan.message, BigInt(Math.round(st.replies[i + 1])));
    }
    for (const f of st.failures) {
      if (f.error) ev.error(f.seq, f.error);
      else ev.mismatch(f.seq, f.message ?? '');
    }
    await ctx.tick(); // signal handlers run in the event loop
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
