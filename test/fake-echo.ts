/*
 * The fake kernel's EchoSocket (addon/src/genl_echo.cc): requests queue up
 * in flight; receive() answers the oldest one with FakeBinding.echoImpl
 * after echoLatency(seq) ms of fake time, skips those that echoLose() says are
 * lost, and on an empty queue lets its whole timeout pass on the fake
 * clock (FakeBinding.clockMs) and returns null.
 */
import { ABI } from '../src/abi';
import { VnetSystemError } from '../src/binding/errors';
import type { EchoReply, EchoSocket } from '../src/binding/types';
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

  receive(timeoutMs: number): EchoReply | null {
    this.k.enter('echo.receive', [timeoutMs], () => {
      if (typeof timeoutMs !== 'number' || !Number.isInteger(timeoutMs) || timeoutMs < 0) {
        throw Object.assign(new RangeError(`The value of "timeoutMs" is out of range. Received ${String(timeoutMs)}`), {
          code: 'ERR_OUT_OF_RANGE',
        });
      }
    });
    this.open();
    for (;;) {
      const r = this.inflight.shift();
      if (!r) {
        this.k.clockMs += timeoutMs;
        return null;
      }
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

  close(): void {
    this.k.enter('echo.close', [], () => undefined);
    this.closed = true;
  }
}
