/*
 * The asynchronous side of the fake binding (test/fake-binding.ts): how a
 * fake call becomes a Promise, and the fake watch() subscription.  Both
 * behave as the addon's do: they settle or deliver after the current
 * macrotask, never synchronously, and never throw.
 */
import type { EventSubscription, VnetEvent } from '../src/binding/types';
import type { FakeCall } from './fake-binding';

/**
 * Runs a synchronous fake call as its asynchronous form: settles after
 * the current macrotask (as a worker's completion does), rejects instead
 * of throwing, and marks the recorded call `async`.
 */
export function later<T>(calls: FakeCall[], fn: () => T): Promise<T> {
  const first = calls.length;
  let result: { ok: true; value: T } | { ok: false; error: unknown };
  try {
    result = { ok: true, value: fn() };
  } catch (error) {
    result = { ok: false, error };
  }
  if (calls.length > first) calls[first].async = true;
  return new Promise<T>((resolve, reject) =>
    setImmediate(() => (result.ok ? resolve(result.value) : reject(result.error))),
  );
}

/** A fake watch(): events reach the listener after the current macrotask. */
export class FakeSubscription implements EventSubscription {
  active = true;
  eventsLost = 0;
  /** overruns not yet reported with an event */
  private unreported = 0;
  /** ref()'d (the real one keeps the process alive; the fake records it) */
  refed = true;

  constructor(
    private readonly listener: (ev: VnetEvent) => void,
    private readonly onError?: (err: Error) => void,
  ) {}

  deliver(ev: VnetEvent): void {
    if (!this.active) return;
    const e: VnetEvent = structuredClone(ev);
    if (this.unreported) e.lostBefore = this.unreported;
    this.unreported = 0;
    setImmediate(() => {
      if (this.active) this.listener(e);
    });
  }

  /** A socket failure: reported to onError (or thrown), and the end. */
  fail(err: Error): void {
    if (!this.active) return;
    setImmediate(() => {
      if (!this.active) return;
      this.active = false;
      if (!this.onError) throw err;
      this.onError(err);
    });
  }

  overrun(): void {
    if (!this.active) return;
    this.eventsLost++;
    this.unreported++;
  }

  stop(): void {
    this.active = false;
  }

  ref(): this {
    this.refed = true;
    return this;
  }

  unref(): this {
    this.refed = false;
    return this;
  }
}

