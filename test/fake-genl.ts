/*
 * The fake kernel's generic-netlink socket (GenlSocket): vnet_nl requests
 * on the fake (test/fake-binding.ts), events queued for nextEvent() or
 * delivered to watch() subscriptions, overruns, and the asynchronous forms,
 * as addon/src/genl_vnet.cc behaves.
 */
import { ABI } from '../src/abi';
import type { EventSubscription, GenlSocket, RelaySetRequest, VnetEvent, VnetState } from '../src/binding/types';
import { devArg, INT32_MAX, intArg, setRequestArg, str, typeError, wrongType } from './fake-args';
import { FakeSubscription, later } from './fake-async';
import type { FakeBinding } from './fake-binding';
import { sysErr, zeroVnetStats } from './fake-types';

/** One fake vnet_nl socket. */
export class FakeGenlSocket implements GenlSocket {
  readonly familyId: number;
  closed = false;
  subscribed = false;
  eventsLost = 0;
  /** events received and not yet read */
  readonly queue: VnetEvent[] = [];
  /** its watch() subscriptions */
  readonly watches: FakeSubscription[] = [];
  private unreported = 0;

  constructor(private readonly k: FakeBinding) {
    this.familyId = k.familyId;
  }

  deliver(ev: VnetEvent): void {
    if (this.closed) return;
    if (this.subscribed) this.queue.push(structuredClone(ev));
    for (const w of this.watches) w.deliver(ev);
  }

  /** See FakeBinding.overrunEvents(). */
  overrun(): void {
    if (this.closed) return;
    if (this.subscribed) {
      this.queue.length = 0;
      this.eventsLost++;
      this.unreported++;
    }
    for (const w of this.watches) w.overrun();
  }

  private open(syscall: string): void {
    if (this.closed) throw sysErr('EBADF', syscall, { detail: 'GenlSocket is closed' });
  }

  echo(message: string): string {
    const m = this.k.enter('genl.echo', [message], () => str(message, 'message'));
    this.open('genl VNET_CMD_ECHO');
    if (Buffer.byteLength(m) > ABI.VNET_ECHO_MSG_MAX) {
      throw sysErr('EINVAL', 'genl VNET_CMD_ECHO', { extack: 'Attribute failed policy validation' });
    }
    return this.k.echoImpl(m);
  }

  get(dev: string | number): VnetState {
    const d = this.k.enter('genl.get', [dev], () => devArg(dev));
    this.open('genl VNET_CMD_GET');
    return this.k.state(this.k.genlDev(d, 'genl VNET_CMD_GET'));
  }

  dump(): VnetState[] {
    this.k.enter('genl.dump', [], () => undefined);
    this.open('genl VNET_CMD_GET');
    return [...this.k.devices.values()]
      .filter((d) => d.vnet)
      .sort((a, b) => a.ifindex - b.ifindex)
      .map((d) => this.k.state(d));
  }

  set(req: RelaySetRequest): VnetState {
    const r = this.k.enter('genl.set', [req], () => setRequestArg(req));
    const syscall = 'genl VNET_CMD_SET';
    const ifname = typeof r.dev === 'string' ? r.dev : undefined;
    this.open(syscall);
    this.k.needAdmin(syscall, ifname);
    const d = this.k.genlDev(r.dev, syscall);
    this.k.relaySet(d, r, r.seed, syscall, ifname, true);
    const s = this.k.state(d);
    if (this.k.setWarning) s.warning = this.k.setWarning;
    return s;
  }

  resetStats(dev: string | number): VnetState {
    const d0 = this.k.enter('genl.resetStats', [dev], () => devArg(dev));
    const syscall = 'genl VNET_CMD_RESET_STATS';
    const ifname = typeof d0 === 'string' ? d0 : undefined;
    this.open(syscall);
    this.k.needAdmin(syscall, ifname);
    const d = this.k.genlDev(d0, syscall);
    d.vnet!.stats = zeroVnetStats();
    this.k.emitEvent(d.name, ABI.VNET_EVENT_STATS_RESET);
    return this.k.state(d);
  }

  subscribe(): void {
    this.k.enter('genl.subscribe', [], () => undefined);
    this.open('setsockopt(NETLINK_ADD_MEMBERSHIP)');
    this.subscribed = true;
  }

  /** Never blocks: the queued event, or null with timeoutMs gone by on the fake clock. */
  nextEvent(timeoutMs: number): VnetEvent | null {
    this.k.enter('genl.nextEvent', [timeoutMs], () => {
      intArg(timeoutMs, 'timeoutMs', 0, INT32_MAX);
      if (!this.subscribed) throw typeError('ERR_INVALID_STATE', 'nextEvent(): call subscribe() first');
    });
    this.open('genl VNET_CMD_EVENT');
    if (this.queue.length === 0) {
      // the wait lasts until an auto-revert falls due, or its whole timeout
      const due = this.k.nextRevert();
      if (due !== undefined && due.at <= this.k.clockMs + timeoutMs) {
        this.k.clockMs = Math.max(this.k.clockMs, due.at);
        this.k.fireReverts();
      } else {
        this.k.clockMs += timeoutMs;
      }
    }
    const ev = this.queue.shift();
    if (!ev) return null;
    if (this.unreported) ev.lostBefore = this.unreported;
    this.unreported = 0;
    return ev;
  }

  echoAsync(message: string): Promise<string> {
    return later(this.k.calls, () => this.echo(message));
  }

  getAsync(dev: string | number): Promise<VnetState> {
    return later(this.k.calls, () => this.get(dev));
  }

  dumpAsync(): Promise<VnetState[]> {
    return later(this.k.calls, () => this.dump());
  }

  setAsync(req: RelaySetRequest): Promise<VnetState> {
    return later(this.k.calls, () => this.set(req));
  }

  resetStatsAsync(dev: string | number): Promise<VnetState> {
    return later(this.k.calls, () => this.resetStats(dev));
  }

  watch(listener: (ev: VnetEvent) => void, onError?: (err: Error) => void): EventSubscription {
    this.k.enter('genl.watch', [], () => {
      if (typeof listener !== 'function') throw wrongType('listener', 'function', listener);
      if (onError !== undefined && typeof onError !== 'function') throw wrongType('onError', 'function', onError);
    });
    this.open('setsockopt(NETLINK_ADD_MEMBERSHIP)');
    const w = new FakeSubscription(listener, onError);
    this.watches.push(w);
    return w;
  }

  close(): void {
    this.k.enter('genl.close', [], () => undefined);
    this.closed = true;
    for (const w of this.watches) w.stop();
    this.k.forget(this);
  }
}
