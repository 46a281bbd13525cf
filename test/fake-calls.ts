/*
 * The fake kernel's record of calls and its injected failures, the base
 * of FakeBinding: every call is recorded (with `sent` false when argument
 * validation rejected it, i.e. nothing reached the kernel), injected
 * errors fail matching calls after validation, and mutating calls fail
 * with EPERM when the caller is not privileged.
 */
import { copyArg, defaultSyscall, FakeCall, Injection, InjectOptions, MUTATING, sysErr } from './fake-types';

export class FakeCalls {
  readonly calls: FakeCall[] = [];
  /** false: mutating calls fail with EPERM (no CAP_NET_ADMIN) */
  privileged = true;
  /** compat: per method, an error for its next call */
  readonly failNext = new Map<string, Error>();

  private readonly injections = new Map<string, Injection[]>();

  /** Runs before every call is recorded (the fake kernel's own work). */
  protected beforeCall(): void {}

  /** Records a call; validates; applies injected errors.  Returns validate()'s result. */
  enter<T>(method: string, args: unknown[], validate: () => T): T {
    this.beforeCall();
    const call: FakeCall = { method, args: args.map(copyArg), sent: false };
    this.calls.push(call);
    const v = validate(); // throws before anything is "sent"
    call.sent = true;
    const once = this.failNext.get(method);
    if (once) {
      this.failNext.delete(method);
      throw once;
    }
    const list = this.injections.get(method);
    const inj = list?.find((i) => i.times > 0 && (!i.match || i.match(call.args)));
    if (inj) {
      inj.times--;
      throw typeof inj.error === 'function' ? inj.error(call) : inj.error;
    }
    return v;
  }

  needAdmin(syscall: string, ifname?: string): void {
    if (!this.privileged) throw sysErr('EPERM', syscall, ifname ? { ifname } : {});
  }

  /** Makes the next matching call(s) of `method` fail (after validation). */
  injectError(method: string, error: string | Error, opts: InjectOptions = {}): void {
    const list = this.injections.get(method) ?? [];
    list.push({
      error:
        typeof error === 'string'
          ? (call) =>
              sysErr(error, opts.syscall ?? defaultSyscall(call), {
                ifname: opts.ifname ?? (typeof call.args[0] === 'string' ? call.args[0] : undefined),
                extack: opts.extack,
              })
          : error,
      times: opts.times ?? 1,
      match: opts.match,
    });
    this.injections.set(method, list);
  }

  clearInjections(): void {
    this.injections.clear();
    this.failNext.clear();
  }

  /** The calls that reached the "kernel" (passed validation), optionally of one method. */
  kernelCalls(method?: string): FakeCall[] {
    return this.calls.filter((c) => c.sent && (method === undefined || c.method === method));
  }

  /** The calls that reached the kernel and may have changed something. */
  mutations(): FakeCall[] {
    return this.kernelCalls().filter((c) => MUTATING.has(c.method));
  }

  clearCalls(): void {
    this.calls.length = 0;
  }
}
