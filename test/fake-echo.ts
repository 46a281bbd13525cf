/*
 * The fake kernel's EchoSocket (addon/src/genl_echo.cc): requests queue up
 * in flight; receive() answers the oldest one with FakeBinding.echoImpl
 * after echoLatency(seq) ms of fake time, skips those that echoLose() says are
 * lost, and on an empty queue lets its whole timeout pass on the fake
 * clock (FakeBinding.clockMs) and returns null.  flood() does the addon's
 * flood step (addon/src/echo_conn.cc) over send() and the same answers, a
 * wait being a jump of the fake clock to the step's end or the oldest
 * request's timeout.
 */
import { ABI } from '../src/abi';
import { VnetSystemError } from '../src/binding/errors';
import type { EchoReply, EchoSocket, FloodOptions, FloodStep } from '../src/binding/types';
import type { FakeBinding } from './fake-binding';

const SYSCALL = 'genl VNET_CMD_ECHO';
const RUNAWAY = 20_000;

export class FakeEchoSocket implements EchoSocket {
  closed = false;
  private seq = 0;
  /** sent and not yet answered */
  readonly inflight: { seq: number; message: string }[] = [];
  /** the most requests that were in flight at once */
  maxInflight = 0;
  /** flood(): requests in flight, oldest first */
  private readonly pending: { seq: number; n: number; sentAt: number }[] = [];
  private floodSeq = 0;

  constructor(private readonly k: FakeBinding) {}

  private open(): void {
    if (this.closed) throw VnetSystemError.fromCode('EBADF', SYSCALL, { detail: 'EchoSocket is closed' });
  }

  send(message: string): number {
    this.k.enter('echo.send', [message], () => {
      if (typeof message !== 'string') {
        throw Object.assign(new TypeError(`The "message" argument must be of type string. Received ${String(message)}`), {
          code: 'ERR_INVALID_ARG_TYPE',
        });
      }
    });
    this.open();
    // a loop that never stops would otherwise hang the test run
    if (this.seq >= RUNAWAY) throw new Error(`fake: more than ${RUNAWAY} echo requests: a runaway loop`);
    this.seq += 1;
    this.inflight.push({ seq: this.seq, message });
    this.maxInflight = Math.max(this.maxInflight, this.inflight.length);
    this.k.onEchoSend?.(this.seq);
    return this.seq;
  }

  sendMany(message: string, count: number): number[] {
    this.k.enter('echo.sendMany', [message, count], () => {
      if (!Number.isInteger(count) || count < 1 || count > 16) {
        throw Object.assign(new RangeError(`The value of "count" is out of range. Received ${String(count)}`), {
          code: 'ERR_OUT_OF_RANGE',
        });
      }
    });
    const seqs: number[] = [];
    for (let i = 0; i < count; i++) seqs.push(this.send(message));
    return seqs;
  }

  flood(message: string, o: FloodOptions): FloodStep {
    this.k.enter('echo.flood', [message, { ...o }], () => {
      const int = (v: unknown, name: string, min: number, max: number): void => {
        if (typeof v !== 'number' || !Number.isInteger(v) || v < min || v > max) {
          throw Object.assign(new RangeError(`The value of "${name}" is out of range. Received ${String(v)}`), {
            code: 'ERR_OUT_OF_RANGE',
          });
        }
      };
      int(o.window, 'window', 1, 16);
      int(o.budget, 'budget', 0, 2 ** 53);
      int(o.maxReplies, 'maxReplies', 1, 2 ** 31 - 1);
      int(o.maxMs, 'maxMs', 0, 2 ** 31 - 1);
      int(o.timeoutMs, 'timeoutMs', 1, 2 ** 31 - 1);
    });
    this.open();
    const st: FloodStep = {
      sent: 0,
      firstSeq: 0,
      received: 0,
      expired: 0,
      inflight: 0,
      rtt: { count: 0, sum: 0, sumSq: 0, min: 0, max: 0 },
      failures: [],
      interrupted: false,
    };
    const replies: number[] = [];
    const start = this.k.clockMs;
    const end = start + o.maxMs;
    for (;;) {
      while (this.pending.length && this.k.clockMs - this.pending[0].sentAt >= o.timeoutMs) {
        this.pending.shift();
        st.expired++;
      }
      const n = Math.min(o.window - this.pending.length, o.budget - st.sent, 16);
      if (n > 0) {
        if (st.sent === 0) st.firstSeq = this.floodSeq + 1;
        for (let i = 0; i < n; i++) this.pending.push({ seq: this.send(message), n: ++this.floodSeq, sentAt: this.k.clockMs });
        st.sent += n;
      }
      const got: EchoReply[] = [];
      while (this.inflight.length) {
        const r = this.answer();
        if (r) got.push(r);
      }
      if (!got.length) {
        if (!this.pending.length || this.k.clockMs >= end) break;
        this.k.clockMs = Math.max(this.k.clockMs, Math.min(end, this.pending[0].sentAt + o.timeoutMs)); // poll's timeout
        continue;
      }
      for (const r of got) {
        const i = this.pending.findIndex((p) => p.seq === r.seq);
        if (i < 0) continue;
        const [p] = this.pending.splice(i, 1);
        const rtt = (this.k.clockMs - p.sentAt) * 1e6;
        if (r.error || r.message !== message) {
          st.failures.push(r.error ? { seq: p.n, error: r.error } : { seq: p.n, message: r.message ?? '' });
          continue;
        }
        if (st.rtt.count === 0 || rtt < st.rtt.min) st.rtt.min = rtt;
        if (st.rtt.count === 0 || rtt > st.rtt.max) st.rtt.max = rtt;
        st.rtt.count++;
        st.rtt.sum += rtt;
        st.rtt.sumSq += rtt * rtt;
        st.received++;
        replies.push(p.n, rtt);
      }
      if (st.received + st.expired + st.failures.length >= o.maxReplies || this.k.clockMs >= end) break;
    }
    st.inflight = this.pending.length;
    if (o.details) st.replies = Float64Array.from(replies);
    return st;
  }

  /** The oldest request's answer (lost ones skipped); null when none is in flight. */
  private answer(): EchoReply | null {
    for (;;) {
      const r = this.inflight.shift();
      if (!r) return null;
      if (this.k.echoLose(r.seq, r.message)) continue;
      this.k.clockMs += this.k.echoLatency(r.seq);
      const err = this.k.echoError(r.seq);
      if (err) return { seq: r.seq, error: err };
      if (Buffer.byteLength(r.message) > ABI.VNET_ECHO_MSG_MAX) {
        return {
          seq: r.seq,
          error: VnetSystemError.fromCode('EINVAL', SYSCALL, { extack: 'Attribute failed policy validation' }),
        };
      }
      return { seq: r.seq, message: this.k.echoImpl(r.message) };
    }
  }

  receive(timeoutMs: number): EchoReply | null {
    this.k.enter('echo.receive', [timeoutMs], () => {
      if (typeof timeoutMs !== 'number' || !Number.isInteger(timeoutMs) || timeoutMs < 0) {
        throw Object.assign(new RangeError(`The value of "timeoutMs" is out of range. Received ${String(timeoutMs)}`), {
          code: 'ERR_OUT_OF_RANGE',
        });
      }
    });
    this.open();
    const r = this.answer();
    if (!r) this.k.clockMs += timeoutMs;
    return r;
  }

  close(): void {
    this.k.enter('echo.close', [], () => undefined);
    this.closed = true;
  }
}
