/*
 * When a long-running command (vnet-echo, vnet-monitor) should stop:
 * SIGINT (Ctrl-C), SIGTERM, or its stdout reader gone (EPIPE).  The first
 * signal asks for a clean stop (summary, exit status); the handler is then
 * removed, so a second Ctrl-C kills the process as usual.
 *
 * Node runs signal handlers only from its event loop, so a command that
 * waits in the addon must come back to the loop often: `wait()` calls a
 * blocking wait in slices, takes an EINTR from the addon (a signal that
 * reached the waiting thread) as "give the loop a turn now", and gives it
 * a turn after every slice anyway (for a signal that another thread took).
 */
import type { Context, StopSignal } from './context';
import { isSystemError } from './errors';

export type StopReason = StopSignal | 'EPIPE';

/** The longest a blocking wait lasts before the event loop gets a turn. */
export const WAIT_SLICE_MS = 500;

export class Stopper {
  private why: StopReason | undefined;
  private readonly abort = new AbortController();
  private off: (() => void) | undefined;

  constructor(private readonly ctx: Context) {
    this.off = ctx.onSignal((sig) => {
      this.stop(sig);
      this.dispose(); // a second signal takes the default action
    });
  }

  /** Why the command should stop, or undefined while it should go on. */
  get reason(): StopReason | undefined {
    if (this.why === undefined && this.ctx.stdout.closed) this.stop('EPIPE');
    return this.why;
  }

  get stopped(): boolean {
    return this.reason !== undefined;
  }

  stop(reason: StopReason): void {
    if (this.why !== undefined) return;
    this.why = reason;
    this.abort.abort();
  }

  /** Sleeps ms milliseconds, less when a stop comes meanwhile. */
  async sleep(ms: number): Promise<void> {
    if (this.stopped) return;
    await this.ctx.sleep(ms, this.abort.signal);
  }

  /**
   * Calls `once(sliceMs)`, a blocking wait that returns null when nothing
   * came within sliceMs, until it returns something, `timeoutMs` has
   * passed, or a stop came.  Returns null in the last two cases.
   */
  async wait<T>(timeoutMs: number, once: (sliceMs: number) => T | null): Promise<T | null> {
    const deadline = this.ctx.now() + BigInt(Math.ceil(timeoutMs)) * 1_000_000n;
    for (;;) {
      if (this.stopped) return null;
      const left = Number((deadline - this.ctx.now()) / 1_000_000n);
      if (left <= 0) return null;
      let got: T | null;
      try {
        got = once(Math.min(left, WAIT_SLICE_MS));
      } catch (e) {
        if (!(isSystemError(e) && e.code === 'EINTR')) throw e;
        got = null;
      }
      if (got !== null) return got;
      await this.ctx.tick();
    }
  }

  /** Stops listening for signals (idempotent). */
  dispose(): void {
    this.off?.();
    this.off = undefined;
  }
}
