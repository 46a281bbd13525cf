/*
 * Issue 11's attributes through the addon's real vnet_nl code, fed
 * crafted datagrams by its test hooks: the receive policy nested in a
 * device state, gemodel's arg3/arg4, the time left of an auto-revert,
 * the new drop counters, the direction of a REVERTED event, and the SET
 * attributes (sent only when asked for, so that kernels without them,
 * whose policies refuse unknown attributes, still take a plain SET).
 */
import { ABI } from '../../src/abi';
import type { VnetState } from '../../src/binding/types';
import { setRequestArg } from '../fake-args';
import { hooks, native, thrown } from './helpers';
import { ack, attrS32, attrStr, attrU32, attrU64, genl, msg, nested, requestAttrs } from './nlcraft';

const t = hooks(native());
const PID = 4242;
const SEQ = 100;
const FAM = 0x1c;

const COUNTERS: [string, number][] = [
  ['rx_packets', ABI.VNET_STATS_RX_PACKETS],
  ['rx_bytes', ABI.VNET_STATS_RX_BYTES],
  ['tx_packets', ABI.VNET_STATS_TX_PACKETS],
  ['tx_bytes', ABI.VNET_STATS_TX_BYTES],
  ['rx_dropped', ABI.VNET_STATS_RX_DROPPED],
  ['tx_dropped', ABI.VNET_STATS_TX_DROPPED],
  ['tx_drop_percent', ABI.VNET_STATS_TX_DROP_PERCENT],
  ['tx_drop_time', ABI.VNET_STATS_TX_DROP_TIME],
  ['tx_drop_no_slave', ABI.VNET_STATS_TX_DROP_NO_SLAVE],
  ['tx_drop_slave', ABI.VNET_STATS_TX_DROP_SLAVE],
  ['slave_lost', ABI.VNET_STATS_SLAVE_LOST],
  ['tx_drop_gemodel', ABI.VNET_STATS_TX_DROP_GEMODEL],
  ['rx_drop_delivery', ABI.VNET_STATS_RX_DROP_DELIVERY],
  ['rx_drop_percent', ABI.VNET_STATS_RX_DROP_PERCENT],
  ['rx_drop_time', ABI.VNET_STATS_RX_DROP_TIME],
  ['rx_drop_gemodel', ABI.VNET_STATS_RX_DROP_GEMODEL],
];

const policy = (mode: number, a1: number, a2: number, a3: number, a4: number, seed: bigint, revertMs?: number): Buffer[] => [
  attrU32(ABI.VNET_ATTR_MODE, mode),
  attrS32(ABI.VNET_ATTR_ARG1, a1),
  attrS32(ABI.VNET_ATTR_ARG2, a2),
  attrS32(ABI.VNET_ATTR_ARG3, a3),
  attrS32(ABI.VNET_ATTR_ARG4, a4),
  attrU64(ABI.VNET_ATTR_SEED, seed),
  ...(revertMs === undefined ? [] : [attrU32(ABI.VNET_ATTR_REVERT_MS, revertMs)]),
];

const device = [attrU32(ABI.VNET_ATTR_IFINDEX, 9), attrStr(ABI.VNET_ATTR_IFNAME, 'vnet0')];
// every counter a distinct value: the name-to-attribute mapping is checked
const stats = nested(ABI.VNET_ATTR_STATS, ...COUNTERS.map(([, a], i) => attrU64(a, 1000n + BigInt(i))));
const fullState = [
  ...device,
  ...policy(ABI.VNET_MODE_GEMODEL, 10000, 200000, 1000000, 0, 42n, 29500),
  nested(ABI.VNET_ATTR_RX_POLICY, ...policy(ABI.VNET_MODE_PERCENT, 0, 0, 0, 0, 7n, 1)),
  attrU32(ABI.VNET_ATTR_SLAVE_IFINDEX, 3),
  attrStr(ABI.VNET_ATTR_SLAVE_NAME, 'veth0'),
  stats,
];

const event = (ev: number, ...attrs: Buffer[]): Buffer =>
  msg({ type: FAM, seq: 0, pid: 0 }, genl(ABI.VNET_CMD_EVENT, attrU32(ABI.VNET_ATTR_EVENT, ev), ...attrs));

describe('device state: both policies, arg3/arg4, time left, every counter', () => {
  test('the transmit policy at the top, the receive policy in rx, revertMs only while pending', () => {
    const ev = t.parseEvent(event(ABI.VNET_EVENT_CONFIG, ...fullState), FAM)!;
    const s = ev.state;
    expect(s).toMatchObject({ mode: ABI.VNET_MODE_GEMODEL, arg1: 10000, arg2: 200000, arg3: 1000000, arg4: 0, seed: 42n, revertMs: 29500 });
    expect(s.rx).toEqual({ mode: ABI.VNET_MODE_PERCENT, arg1: 0, arg2: 0, arg3: 0, arg4: 0, seed: 7n, revertMs: 1 });
    expect(ev.direction).toBeUndefined();
  });

  test('every counter under its ethtool name, in the header order', () => {
    const s = t.parseEvent(event(ABI.VNET_EVENT_CONFIG, ...fullState), FAM)!.state;
    expect(Object.keys(s.stats)).toEqual(COUNTERS.map(([n]) => n));
    COUNTERS.forEach(([n], i) => expect([n, s.stats[n as keyof VnetState['stats']]]).toEqual([n, 1000n + BigInt(i)]));
  });

  test('a kernel without the new attributes: arg3/arg4 read 0, no revertMs, no rx', () => {
    const s = t.parseEvent(event(ABI.VNET_EVENT_CONFIG, ...device, attrU32(ABI.VNET_ATTR_MODE, 1), attrS32(ABI.VNET_ATTR_ARG1, 80)), FAM)!.state;
    expect(s).toMatchObject({ mode: 1, arg1: 80, arg2: 0, arg3: 0, arg4: 0 });
    expect(s).not.toHaveProperty('revertMs');
    expect(s).not.toHaveProperty('rx');
    expect(s.stats.rx_drop_gemodel).toBe(0n);
  });

  test('an empty receive-policy nest is pass with seed 0', () => {
    const s = t.parseEvent(event(ABI.VNET_EVENT_CONFIG, ...device, nested(ABI.VNET_ATTR_RX_POLICY)), FAM)!.state;
    expect(s.rx).toEqual({ mode: 0, arg1: 0, arg2: 0, arg3: 0, arg4: 0, seed: 0n });
  });

  test.each([
    ['a receive policy nest running past the message', [...device, Buffer.from([40, 0, ABI.VNET_ATTR_RX_POLICY | 0x80, 0x80])], /runs past the end/],
    ['a short ARG3 in the receive policy', [...device, nested(ABI.VNET_ATTR_RX_POLICY, attrU64(ABI.VNET_ATTR_SEED, 1n), Buffer.from([6, 0, ABI.VNET_ATTR_ARG3, 0, 1, 0, 0, 0]))], /attribute 14 has 2 bytes, needs 4/],
    ['a REVERT_MS of 2 bytes', [...device, Buffer.from([6, 0, ABI.VNET_ATTR_REVERT_MS, 0, 1, 0, 0, 0])], /attribute 17 has 2 bytes, needs 4/],
  ])('%s: EPROTO', (_what, attrs, detail) => {
    const e = thrown(() => t.parseEvent(event(ABI.VNET_EVENT_CONFIG, ...(attrs as Buffer[])), FAM));
    expect(e.code).toBe('EPROTO');
    expect(e.detail).toMatch(detail);
  });
});

describe('events', () => {
  test('REVERTED carries the direction that went back to pass', () => {
    const ev = t.parseEvent(
      event(ABI.VNET_EVENT_REVERTED, attrU32(ABI.VNET_ATTR_DIRECTION, ABI.VNET_DIR_RX), ...device, nested(ABI.VNET_ATTR_RX_POLICY, ...policy(0, 0, 0, 0, 0, 5n))),
      FAM,
    )!;
    expect(ev.event).toBe(ABI.VNET_EVENT_REVERTED);
    expect(ev.direction).toBe(ABI.VNET_DIR_RX);
    expect(ev.state.rx).toMatchObject({ mode: 0, seed: 5n });
    expect(ev.state.rx).not.toHaveProperty('revertMs');
  });
});

describe('SET: the new attributes, sent only when given', () => {
  const answer = (): Buffer[] => [
    msg({ type: FAM, seq: SEQ + 1, pid: PID }, genl(ABI.VNET_CMD_SET, ...fullState)),
    ack(0, { seq: SEQ + 1, pid: PID }),
  ];
  const set = (arg: unknown) => t.vnetCall({ op: 'set', family: FAM, pid: PID, seq: SEQ, steps: [answer()], arg });

  test('arg3, arg4, direction and revertMs go out as VNET_ATTR_ARG3/ARG4/DIRECTION/REVERT_MS; the reply decoded', () => {
    const r = set({ dev: 'vnet0', mode: ABI.VNET_MODE_GEMODEL, arg1: 10000, arg2: 200000, arg3: 500000, arg4: 1, direction: ABI.VNET_DIR_BOTH, revertMs: 30000, seed: 3n, slave: 'veth0' });
    const a = requestAttrs(r.sent[0]);
    expect(a.get(ABI.VNET_ATTR_MODE)!.readUInt32LE()).toBe(ABI.VNET_MODE_GEMODEL);
    expect(a.get(ABI.VNET_ATTR_ARG1)!.readInt32LE()).toBe(10000);
    expect(a.get(ABI.VNET_ATTR_ARG2)!.readInt32LE()).toBe(200000);
    expect(a.get(ABI.VNET_ATTR_ARG3)!.readInt32LE()).toBe(500000);
    expect(a.get(ABI.VNET_ATTR_ARG4)!.readInt32LE()).toBe(1);
    expect(a.get(ABI.VNET_ATTR_DIRECTION)!.readUInt32LE()).toBe(ABI.VNET_DIR_BOTH);
    expect(a.get(ABI.VNET_ATTR_REVERT_MS)!.readUInt32LE()).toBe(30000);
    expect(a.get(ABI.VNET_ATTR_SEED)!.readBigUInt64LE()).toBe(3n);
    expect((r.value as VnetState).rx).toMatchObject({ mode: ABI.VNET_MODE_PERCENT, revertMs: 1 });
    expect(r.value).toMatchObject({ arg3: 1000000, revertMs: 29500 });
  });

  test('a plain SET carries none of them (a kernel before issue 11 takes it)', () => {
    const a = requestAttrs(set({ dev: 'vnet0', mode: 1, arg1: 80, arg2: 0 }).sent[0]);
    expect([...a.keys()].sort((x, y) => x - y)).toEqual([ABI.VNET_ATTR_IFNAME, ABI.VNET_ATTR_MODE, ABI.VNET_ATTR_ARG1, ABI.VNET_ATTR_ARG2]);
  });

  test.each([
    [{ arg3: 'x' }, 'TypeError', 'The "req.arg3" argument must be of type number. Received type string (\'x\')'],
    [{ arg4: 2 ** 31 }, 'RangeError', 'The value of "req.arg4" is out of range. It must be an integer >= -2147483648 and <= 2147483647. Received 2147483648'],
    [{ direction: -1 }, 'RangeError', 'The value of "req.direction" is out of range. It must be an integer >= 0 and <= 4294967295. Received -1'],
    [{ revertMs: 1.5 }, 'RangeError', 'The value of "req.revertMs" is out of range. It must be an integer >= 0 and <= 4294967295. Received 1.5'],
  ])('%p is refused before anything is sent, by the addon and the fake alike', (extra, cls, message) => {
    const req = { dev: 'vnet0', mode: 0, arg1: 0, arg2: 0, ...extra };
    const e = thrown(() => set(req));
    expect(e.constructor.name).toBe(cls);
    expect(e.message).toBe(message);
    const f = thrown(() => setRequestArg(req));
    expect([f.constructor.name, f.message, f.code]).toEqual([cls, message, e.code]);
  });
});
