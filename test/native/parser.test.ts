/*
 * The addon's netlink parser and request loop, fed crafted datagrams
 * through its test hooks (addon/src/test_script_io.cc): a scripted
 * transport replaces the socket, everything above it is the real code the
 * commands run (NlSocket::Request, SplitDatagram, the reply matching, the
 * ack/extack parser, the vnet_nl and nlctrl decoders).
 */
import { constants } from 'node:os';

import { ABI } from '../../src/abi';
import { VnetSystemError } from '../../src/binding/errors';
import { hooks, native, thrown, type ScriptReport } from './helpers';
import {
  ack,
  attr,
  attrS32,
  attrStr,
  attrU16,
  attrU32,
  attrU64,
  done,
  genl,
  msg,
  nested,
  NLM_F_DUMP_INTR,
  NLM_F_MULTI,
  NLMSG_NOOP,
  NLMSG_OVERRUN,
} from './nlcraft';

const t = hooks(native());
const E = constants.errno;

const PID = 4242;
const SEQ = 100; // the request goes out as 101
const FAM = 0x1c; // a vnet_nl family id
const CMD = ABI.VNET_CMD_GET;

/** A reply to the request: the family's message with the expected command. */
const reply = (payload = genl(CMD, attrU32(ABI.VNET_ATTR_IFINDEX, 7)), seq = SEQ + 1, flags = 0): Buffer =>
  msg({ type: FAM, flags, seq, pid: PID }, payload);
const okAck = (seq = SEQ + 1, text?: string): Buffer => ack(0, { seq, pid: PID, text });

function request(steps: Parameters<typeof t.transact>[0]['steps'], extra: Partial<Parameters<typeof t.transact>[0]> = {}) {
  return t.transact({ pid: PID, seq: SEQ, type: FAM, cmd: CMD, steps, ...extra });
}

/** The error a scripted request failed with, and the transport's report. */
function failure(fn: () => unknown): Error & Record<string, unknown> & { script: ScriptReport } {
  const e = thrown(fn) as Error & Record<string, unknown> & { script: ScriptReport };
  expect(e).toBeInstanceOf(VnetSystemError);
  expect(typeof e.code).toBe('string');
  return e;
}

describe('SplitDatagram: every nlmsg_len is checked', () => {
  test('several messages in one datagram, each at its aligned offset', () => {
    const a = msg({ type: 0x20, seq: 1, pid: 1 }, Buffer.alloc(5)); // 21 bytes, padded to 24
    const b = msg({ type: 0x21, seq: 1, pid: 1 }, Buffer.alloc(8));
    const c = msg({ type: 0x22, seq: 1, pid: 1 });
    expect(t.splitDatagram(Buffer.concat([a, b, c]))).toEqual([
      { type: 0x20, len: 21, offset: 0 },
      { type: 0x21, len: 24, offset: 24 },
      { type: 0x22, len: 16, offset: 48 },
    ]);
  });

  test('an unaligned last message without its padding is read, not walked past', () => {
    // 16 + 13 = 29 bytes and the datagram ends there: NLMSG_NEXT on a
    // size_t remainder would wrap to 2^64 - 3 and read on.
    const last = msg({ type: 0x20, seq: 1, pid: 1 }, Buffer.alloc(13), { pad: false });
    expect(last.length).toBe(29);
    const d = Buffer.concat([msg({ type: 0x21, seq: 1, pid: 1 }), last]);
    expect(t.splitDatagram(d)).toEqual([
      { type: 0x21, len: 16, offset: 0 },
      { type: 0x20, len: 29, offset: 16 },
    ]);
  });

  test.each([
    ['nlmsg_len past the end (a truncated message)', msg({ type: 0x20, seq: 1, pid: 1, len: 64 }, Buffer.alloc(8)), /nlmsg_len 64 runs past the datagram's end \(24 bytes left\)/],
    ['nlmsg_len 0xffffffff', msg({ type: 0x20, seq: 1, pid: 1, len: 0xffffffff }), /nlmsg_len 4294967295 runs past/],
    ['nlmsg_len below the header', msg({ type: 0x20, seq: 1, pid: 1, len: 8 }), /nlmsg_len 8 is shorter than its header \(16\)/],
    ['a datagram shorter than a header', Buffer.alloc(10), /10 trailing bytes after message 0/],
    ['trailing bytes after a good message', Buffer.concat([msg({ type: 0x20, seq: 1, pid: 1 }), Buffer.alloc(12)]), /12 trailing bytes after message 1/],
    ['a second message cut short', Buffer.concat([msg({ type: 0x20, seq: 1, pid: 1 }), msg({ type: 0x20, seq: 1, pid: 1, len: 40 })]), /message 1: nlmsg_len 40 runs past/],
  ])('%s: EPROTO', (_what, d, detail) => {
    const e = thrown(() => t.splitDatagram(d));
    expect(e).toBeInstanceOf(VnetSystemError);
    expect(e.code).toBe('EPROTO');
    expect(e.detail).toMatch(detail);
  });
});

describe('a request and its answer', () => {
  test('reply + ACK in one recvmmsg batch: one send, one receive', () => {
    const r = request([[reply(), okAck()]]);
    expect(r.replies).toHaveLength(1);
    expect(r.replies[0]).toMatchObject({ type: FAM, seq: SEQ + 1, pid: PID });
    expect(r.warning).toBe('');
    expect(r.sent).toHaveLength(1);
    expect(r.waits).toEqual([-1]); // blocking on SO_RCVTIMEO: no poll
    // the request itself: seq + 1, our port id, REQUEST | ACK
    const sent = r.sent[0];
    expect(sent.readUInt32LE(0)).toBe(sent.length);
    expect(sent.readUInt16LE(4)).toBe(FAM);
    expect(sent.readUInt16LE(6)).toBe(0x1 | 0x4);
    expect(sent.readUInt32LE(8)).toBe(SEQ + 1);
    expect(sent.readUInt32LE(12)).toBe(PID);
  });

  test('reply and ACK as two messages of one datagram; reply then ACK in two receives', () => {
    expect(request([Buffer.concat([reply(), okAck()])]).replies).toHaveLength(1);
    const r = request([reply(), okAck()]);
    expect(r.replies).toHaveLength(1);
    expect(r.waits).toEqual([-1, -1]);
  });

  test('without NLM_F_ACK (a read with one reply) the reply ends the request', () => {
    const r = request([reply(), okAck()], { ack: false });
    expect(r.sent[0].readUInt16LE(6)).toBe(0x1); // REQUEST only
    expect(r.replies).toHaveLength(1);
    expect(r.stepsLeft).toBe(1); // the request did not wait for an ACK
    const e = failure(() => request([ack(-E.ENODEV, { seq: SEQ + 1, pid: PID, text: 'no such device' })], { ack: false }));
    expect(e.code).toBe('ENODEV'); // errors come all the same
    expect(e.extack).toBe('no such device');
  });

  test('a dump asks for no ACK: NLMSG_DONE ends it', () => {
    const r = request([done(0, { seq: SEQ + 1, pid: PID })], { dump: true });
    expect(r.sent[0].readUInt16LE(6)).toBe(0x1 | 0x300);
  });

  test('stale answers (an earlier sequence number, another port id) are skipped', () => {
    const stale = Buffer.concat([reply(undefined, SEQ), ack(-E.ENODEV, { seq: SEQ, pid: PID, text: 'old' })]);
    const otherPid = msg({ type: FAM, seq: SEQ + 1, pid: PID + 1 }, genl(CMD));
    const r = request([stale, otherPid, [reply(), okAck()]]);
    expect(r.replies).toHaveLength(1);
    expect(r.replies[0].seq).toBe(SEQ + 1);
  });

  test('a datagram from another socket (sender port id != 0) is ignored', () => {
    const r = request([{ data: ack(-E.EPERM, { seq: SEQ + 1, pid: PID }), sender: 777 }, [reply(), okAck()]]);
    expect(r.replies).toHaveLength(1);
  });

  test('NLMSG_NOOP is skipped', () => {
    expect(request([[msg({ type: NLMSG_NOOP, seq: SEQ + 1, pid: PID }), reply(), okAck()]]).replies).toHaveLength(1);
  });

  test('an extended-ack warning on success is kept', () => {
    const r = request([[reply(), okAck(SEQ + 1, 'vnet: slave has rp_filter=1')]]);
    expect(r.replies).toHaveLength(1);
    expect(r.warning).toBe('vnet: slave has rp_filter=1');
  });
});

describe('errors from the kernel', () => {
  test('NLMSG_ERROR without extack: the errno, no text', () => {
    const e = failure(() => request([ack(-E.ENODEV, { seq: SEQ + 1, pid: PID })]));
    expect(e.code).toBe('ENODEV');
    expect(e.errno).toBe(-E.ENODEV);
    expect(e.syscall).toBe('genl test');
    expect(e.ifname).toBe('tst0');
    expect(e.extack).toBeUndefined();
    expect(e.message).toBe("ENODEV: no such device, genl test 'tst0'");
  });

  test('NLMSG_ERROR with extack text', () => {
    const e = failure(() => request([ack(-E.EINVAL, { seq: SEQ + 1, pid: PID, text: 'vnet: unknown mode', offset: 28 })]));
    expect(e.code).toBe('EINVAL');
    expect(e.extack).toBe('vnet: unknown mode');
    expect(e.message).toBe("EINVAL: invalid argument, genl test 'tst0': vnet: unknown mode");
  });

  test('not capped: the whole request echoed back, then the TLVs', () => {
    const req = msg({ type: FAM, flags: 5, seq: SEQ + 1, pid: PID }, genl(CMD, attrStr(ABI.VNET_ATTR_IFNAME, 'vnet0')));
    const e = failure(() => request([ack(-E.ENODEV, { seq: SEQ + 1, pid: PID, request: req, text: 'no such device' })]));
    expect(e.code).toBe('ENODEV');
    expect(e.extack).toBe('no such device');
  });

  test('a missing attribute reported by type only (NLMSGERR_ATTR_MISS_TYPE)', () => {
    const e = failure(() => request([ack(-E.EINVAL, { seq: SEQ + 1, pid: PID, missType: 4 })]));
    expect(e.extack).toBe('missing required attribute 4');
    const a = t.parseAck(ack(-E.EINVAL, { seq: 1, pid: 1, missType: 4, missNest: 20, offset: 24 }));
    expect(a).toMatchObject({ error: -E.EINVAL, message: '', missType: 4, missNest: 20, offset: 24 });
    expect(a.text).toBe('missing required attribute 4 (in the attribute at offset 20)');
  });

  test.each([
    ['an nlmsgerr cut short', () => msg({ type: 2, seq: SEQ + 1, pid: PID }, Buffer.alloc(8)), /shorter than an nlmsgerr/],
    ['no room for the error code', () => msg({ type: 2, seq: SEQ + 1, pid: PID }), /leaves no room for the error code/],
    ['an echoed request longer than the message', () => {
      const m = ack(-E.EINVAL, { seq: SEQ + 1, pid: PID, request: msg({ type: FAM, seq: 1, pid: 1 }, Buffer.alloc(8)) });
      m.writeUInt32LE(200, 20); // the echoed request's nlmsg_len
      return m;
    }, /echoed request \(200 bytes\) runs past/],
    ['an extack TLV running past the end', () => ack(-E.EINVAL, { seq: SEQ + 1, pid: PID, rawTlvs: attr(1, Buffer.from('abc\0'), { len: 60 }) }), /nla_len 60 runs past the end/],
    ['an extack TLV shorter than its header', () => ack(-E.EINVAL, { seq: SEQ + 1, pid: PID, rawTlvs: attr(1, Buffer.alloc(4), { len: 2 }) }), /nla_len 2 is shorter than its header/],
    ['an extack offset of 2 bytes', () => ack(-E.EINVAL, { seq: SEQ + 1, pid: PID, rawTlvs: attrU16(2, 5) }), /attribute 2 has 2 bytes, needs 4/],
    ['a positive error code', () => ack(5, { seq: SEQ + 1, pid: PID }), /positive error code 5/],
  ])('malformed NLMSG_ERROR, %s: EPROTO', (_what, make, detail) => {
    const e = failure(() => request([make()]));
    expect(e.code).toBe('EPROTO');
    expect(e.detail).toMatch(detail);
  });

  test('NLMSG_OVERRUN: EOVERFLOW', () => {
    expect(failure(() => request([msg({ type: NLMSG_OVERRUN, seq: SEQ + 1, pid: PID })])).code).toBe('EOVERFLOW');
  });
});

describe('reply type and command checks', () => {
  test('a message of another type: EPROTO', () => {
    const e = failure(() => request([[msg({ type: FAM + 1, seq: SEQ + 1, pid: PID }, genl(CMD)), okAck()]]));
    expect(e.code).toBe('EPROTO');
    expect(e.detail).toBe(`unexpected reply: message type ${FAM + 1}, expected ${FAM}`);
  });

  test('another generic netlink command: EPROTO', () => {
    const e = failure(() => request([[reply(genl(ABI.VNET_CMD_SET)), okAck()]]));
    expect(e.detail).toBe(`unexpected reply: command ${ABI.VNET_CMD_SET}, expected ${CMD}`);
  });

  test('a generic netlink reply too short for its genlmsghdr: EPROTO', () => {
    const e = failure(() => request([[reply(Buffer.from([CMD, 1])), okAck()]]));
    expect(e.detail).toMatch(/has no genlmsghdr/);
  });

  test('a reserved message type (5): EPROTO', () => {
    expect(failure(() => request([msg({ type: 5, seq: SEQ + 1, pid: PID })])).detail).toMatch(/reserved message type 5/);
  });

  test('NLMSG_DONE in answer to a request that is not a dump: EPROTO', () => {
    expect(failure(() => request([done(0, { seq: SEQ + 1, pid: PID })])).detail).toMatch(/NLMSG_DONE to a request that is not a dump/);
  });
});

describe('dumps', () => {
  const part = (n: number, seq = SEQ + 1, flags = NLM_F_MULTI): Buffer =>
    reply(genl(CMD, attrU32(ABI.VNET_ATTR_IFINDEX, n)), seq, flags);

  test('multi-part: several datagrams of several messages, until NLMSG_DONE', () => {
    const r = request([Buffer.concat([part(1), part(2)]), Buffer.concat([part(3), done(0, { seq: SEQ + 1, pid: PID })])], { dump: true });
    expect(r.replies.map((m) => m.payload.readUInt32LE(8))).toEqual([1, 2, 3]);
    expect(r.sent[0].readUInt16LE(6) & 0x300).toBe(0x300); // NLM_F_DUMP
  });

  test('NLMSG_DONE carrying an error and its extack', () => {
    const e = failure(() => request([Buffer.concat([part(1), done(-E.EMSGSIZE, { seq: SEQ + 1, pid: PID, text: 'too big' })])], { dump: true }));
    expect(e.code).toBe('EMSGSIZE');
    expect(e.extack).toBe('too big');
  });

  test('NLMSG_DONE too short for its status: EPROTO', () => {
    const e = failure(() => request([msg({ type: 3, flags: NLM_F_MULTI, seq: SEQ + 1, pid: PID })], { dump: true }));
    expect(e.code).toBe('EPROTO');
  });

  test('an interrupted dump (NLM_F_DUMP_INTR) is repeated with a new sequence number', () => {
    const intr = NLM_F_MULTI | NLM_F_DUMP_INTR;
    const r = request(
      [
        Buffer.concat([part(1, SEQ + 1, intr), done(0, { seq: SEQ + 1, pid: PID, flags: NLM_F_DUMP_INTR })]),
        Buffer.concat([part(1, SEQ + 2), part(2, SEQ + 2), done(0, { seq: SEQ + 2, pid: PID })]),
      ],
      { dump: true },
    );
    expect(r.sent.map((s) => s.readUInt32LE(8))).toEqual([SEQ + 1, SEQ + 2]);
    expect(r.replies.map((m) => m.payload.readUInt32LE(8))).toEqual([1, 2]);
    expect(r.replies.every((m) => m.seq === SEQ + 2)).toBe(true);
  });

  test('interrupted three times in a row: EAGAIN, saying why', () => {
    const intr = (seq: number): Buffer => Buffer.concat([part(1, seq, NLM_F_MULTI | NLM_F_DUMP_INTR), done(0, { seq, pid: PID })]);
    const e = failure(() => request([intr(SEQ + 1), intr(SEQ + 2), intr(SEQ + 3), intr(SEQ + 4)], { dump: true }));
    expect(e.code).toBe('EAGAIN');
    expect(e.detail).toMatch(/dump was interrupted by concurrent changes 3 times in a row \(NLM_F_DUMP_INTR\)/);
    expect(e.script.sent).toHaveLength(3);
  });
});

describe('a dump interrupted by a signal', () => {
  const part = (n: number, seq: number): Buffer => reply(genl(CMD, attrU32(ABI.VNET_ATTR_IFINDEX, n)), seq, NLM_F_MULTI);
  const dump = { dump: true, type: FAM, cmd: CMD };

  test('the next request first reads the rest of it (else the kernel would say EBUSY)', () => {
    const r = t.transactMany({
      pid: PID,
      seq: SEQ,
      steps: [
        part(1, SEQ + 1),
        { errno: E.EINTR },
        // what the kernel still sends for the abandoned dump, then its end
        Buffer.concat([part(2, SEQ + 1), part(3, SEQ + 1)]),
        done(0, { seq: SEQ + 1, pid: PID }),
        // the new dump's answer
        Buffer.concat([part(7, SEQ + 2), done(0, { seq: SEQ + 2, pid: PID })]),
      ],
      requests: [dump, dump],
    });
    expect(r.results[0].error).toEqual({ code: 'EINTR', detail: 'interrupted by a signal while waiting for the kernel' });
    expect(r.results[1]).toEqual({ replies: [SEQ + 2], warning: '' });
    // the second dump went out only after the first one's NLMSG_DONE (the
    // 4th receive), not while the kernel was still running it
    expect(r.sentAfter).toEqual([0, 4]);
    expect(r.stepsLeft).toBe(0);
  });

  test('if nextEvent() read the abandoned dump\'s end, the next request does not wait for it', () => {
    const mcast = { data: msg({ type: FAM, seq: 0, pid: 0 }, genl(ABI.VNET_CMD_EVENT)), groups: 1 };
    const r = t.transactMany({
      pid: PID,
      seq: SEQ,
      steps: [part(1, SEQ + 1), { errno: E.EINTR }, [done(0, { seq: SEQ + 1, pid: PID }), mcast], [reply(undefined, SEQ + 2), okAck(SEQ + 2)]],
      requests: [dump, { nextMulticast: true }, { type: FAM, cmd: CMD }],
    });
    expect(r.results.map((x) => Object.keys(x)[0])).toEqual(['error', 'multicast', 'replies']);
    expect(r.results[1].multicast).toBe(FAM);
    expect(r.results[2].replies).toEqual([SEQ + 2]);
  });
});

describe('receive-queue overruns (ENOBUFS) on a socket that also gets events', () => {
  const event = (): { data: Buffer; groups: number } => ({
    data: msg({ type: FAM, seq: 0, pid: 0 }, genl(ABI.VNET_CMD_EVENT, attrU32(ABI.VNET_ATTR_EVENT, 1))),
    groups: 1,
  });

  test('ENOBUFS before the reply: counted, and the queued reply is still read', () => {
    const r = request([{ errno: E.ENOBUFS }, [event(), event()], [reply(), okAck()]]);
    expect(r.replies).toHaveLength(1);
    expect(r.eventsLost).toBe(1);
    expect(r.queued).toBe(2); // the events that did arrive, for nextEvent()
    // after the overrun the socket reads without blocking
    expect(r.waits).toEqual([-1, 0, 0]);
  });

  test('ENOBUFS and the queue runs dry without the reply: ENOBUFS at once, not a 10 s timeout', () => {
    const e = failure(() => request([{ errno: E.ENOBUFS }, [event()]]));
    expect(e.code).toBe('ENOBUFS');
    expect(e.detail).toMatch(/the reply was lost: the socket's receive queue overflowed/);
    expect(e.script.eventsLost).toBe(1);
    expect(e.script.waits).toEqual([-1, 0, 0]);
  });

  test('ENOBUFS after the reply came but before its ACK: the request succeeded', () => {
    const r = request([reply(), { errno: E.ENOBUFS }]);
    expect(r.replies).toHaveLength(1);
    expect(r.eventsLost).toBe(1);
  });

  test('a multicast datagram too large for the buffer counts as lost', () => {
    const r = request([{ ...event(), fullLength: 70000 }, [reply(), okAck()]]);
    expect(r.eventsLost).toBe(1);
    expect(r.queued).toBe(0);
  });

  test('multicast: overruns between events are counted, the events read', () => {
    const r = t.multicast({ steps: [event(), { errno: E.ENOBUFS }, [event(), event()], { errno: E.ENOBUFS }] });
    expect(r.messages).toHaveLength(3);
    expect(r.eventsLost).toBe(2);
  });

  test('multicast: a malformed datagram is EPROTO', () => {
    const e = thrown(() => t.multicast({ steps: [{ data: msg({ type: FAM, seq: 0, pid: 0, len: 99 }), groups: 1 }] }));
    expect(e.code).toBe('EPROTO');
  });
});

describe('waits', () => {
  test('a reply larger than the receive buffer: EMSGSIZE, never cut silently', () => {
    const e = failure(() => request([{ data: reply(), fullLength: 40000 }]));
    expect(e.code).toBe('EMSGSIZE');
    expect(e.detail).toBe('a reply of 40000 bytes does not fit the receive buffer (32768 bytes)');
  });

  test('a truncated answer to an earlier request is skipped as stale', () => {
    const r = request([{ data: reply(undefined, SEQ), fullLength: 40000 }, [reply(), okAck()]]);
    expect(r.replies).toHaveLength(1);
  });

  test('a signal (EINTR) ends the wait with EINTR, the reply left for later', () => {
    const e = failure(() => request([{ errno: E.EINTR }, [reply(), okAck()]]));
    expect(e.code).toBe('EINTR');
    expect(e.detail).toBe('interrupted by a signal while waiting for the kernel');
    expect(e.script.stepsLeft).toBe(1);
  });

  test('on a worker thread (retryEintr) EINTR is retried', () => {
    expect(request([{ errno: E.EINTR }, [reply(), okAck()]], { retryEintr: true }).replies).toHaveLength(1);
  });

  test('no answer: ETIMEDOUT', () => {
    const e = failure(() => request([]));
    expect(e.code).toBe('ETIMEDOUT');
    expect(e.detail).toBe('no reply from the kernel');
  });

  test('another socket error is reported with its errno', () => {
    expect(failure(() => request([{ errno: E.EBADF }])).code).toBe('EBADF');
  });
});

describe('decoders: vnet_nl events and states, nlctrl families', () => {
  const stats = nested(
    ABI.VNET_ATTR_STATS,
    attrU64(ABI.VNET_STATS_RX_PACKETS, 5n),
    attrU64(ABI.VNET_STATS_SLAVE_LOST, (1n << 64n) - 1n),
  );
  const state = [
    attrU32(ABI.VNET_ATTR_IFINDEX, 9),
    attrStr(ABI.VNET_ATTR_IFNAME, 'vnet0'),
    attrU32(ABI.VNET_ATTR_MODE, 1),
    attrS32(ABI.VNET_ATTR_ARG1, 80),
    attrS32(ABI.VNET_ATTR_ARG2, -1),
    attrU64(ABI.VNET_ATTR_SEED, 42n),
  ];
  const event = (...attrs: Buffer[]): Buffer =>
    msg({ type: FAM, seq: 0, pid: 0 }, genl(ABI.VNET_CMD_EVENT, attrU32(ABI.VNET_ATTR_EVENT, ABI.VNET_EVENT_CONFIG), ...attrs));

  test('an event, with nested stats; absent attributes read as 0 / ""', () => {
    const ev = t.parseEvent(event(...state, stats), FAM)!;
    expect(ev.event).toBe(ABI.VNET_EVENT_CONFIG);
    expect(ev.state).toMatchObject({ ifindex: 9, ifname: 'vnet0', mode: 1, arg1: 80, arg2: -1, seed: 42n, slaveName: '', slaveIfindex: 0 });
    expect(ev.state.slaveRpFilter).toBeUndefined();
    expect(ev.state.stats.rx_packets).toBe(5n);
    expect(ev.state.stats.slave_lost).toBe((1n << 64n) - 1n);
    expect(ev.state.stats.tx_packets).toBe(0n);
  });

  test('the last attribute without its padding is read', () => {
    const ev = t.parseEvent(
      msg({ type: FAM, seq: 0, pid: 0 }, genl(ABI.VNET_CMD_EVENT, attrU32(ABI.VNET_ATTR_IFINDEX, 3), attrStr(ABI.VNET_ATTR_IFNAME, 'ab', { pad: false })), { pad: false }),
      FAM,
    );
    expect(ev!.state.ifname).toBe('ab');
  });

  test('another family or command is not an event', () => {
    expect(t.parseEvent(event(...state), FAM + 1)).toBeNull();
    expect(t.parseEvent(msg({ type: FAM, seq: 0, pid: 0 }, genl(ABI.VNET_CMD_GET, ...state)), FAM)).toBeNull();
  });

  test.each([
    ['a nested stat running past its nest', [...state, attr(ABI.VNET_ATTR_STATS | 0x8000, attr(ABI.VNET_STATS_RX_PACKETS, Buffer.alloc(8), { len: 40 }))], /nla_len 40 runs past the end/],
    ['a u64 of 4 bytes', [...state.slice(0, 5), attrU32(ABI.VNET_ATTR_SEED, 1)], /attribute 7 has 4 bytes, needs 8/],
    ['an attribute running past the message', [attr(ABI.VNET_ATTR_IFINDEX, Buffer.alloc(4), { len: 200 })], /nla_len 200 runs past the end/],
    ['trailing bytes after the attributes', [...state, Buffer.alloc(2)], /2 trailing bytes after attribute/],
    ['no ifindex', state.slice(1), /without VNET_ATTR_IFINDEX and VNET_ATTR_IFNAME/],
  ])('%s: EPROTO', (_what, attrs, detail) => {
    const e = thrown(() => t.parseEvent(event(...(attrs as Buffer[])), FAM));
    expect(e).toBeInstanceOf(VnetSystemError);
    expect(e.code).toBe('EPROTO');
    expect(e.detail).toMatch(detail);
  });

  test('an event too short for its genlmsghdr: EPROTO', () => {
    expect(thrown(() => t.parseEvent(msg({ type: FAM, seq: 0, pid: 0 }, Buffer.from([1])), FAM)).code).toBe('EPROTO');
  });

  const family = (...groups: Buffer[]): Buffer =>
    msg(
      { type: 0x10, seq: 0, pid: 0 },
      genl(1, attrU16(1, 0x1c), attrStr(2, 'vnet_nl'), attrU32(3, 1), attrU32(4, 0), attrU32(5, 13), nested(7, ...groups)),
    );

  test('an nlctrl family with its multicast groups', () => {
    const f = t.parseFamily(family(nested(1, attrStr(1, 'events'), attrU32(2, 9))));
    expect(f).toEqual({ name: 'vnet_nl', id: 0x1c, version: 1, hdrsize: 0, maxattr: 13, groups: { events: 9 } });
  });

  test('a malformed multicast group nest: EPROTO', () => {
    const e = thrown(() => t.parseFamily(family(nested(1, attr(1, Buffer.from('events\0'), { len: 30 })))));
    expect(e.code).toBe('EPROTO');
  });
});

describe('vnet_nl requests end to end over crafted answers', () => {
  const state = (cmd: number, seq: number, ...extra: Buffer[]): Buffer =>
    msg({ type: FAM, seq, pid: PID }, genl(cmd, attrU32(ABI.VNET_ATTR_IFINDEX, 9), attrStr(ABI.VNET_ATTR_IFNAME, 'vnet0'), ...extra));
  const call = (op: 'echo' | 'get' | 'dump' | 'set' | 'resetStats', steps: Parameters<typeof t.vnetCall>[0]['steps'], arg?: unknown) =>
    t.vnetCall({ op, family: FAM, pid: PID, seq: SEQ, steps, arg });
  const flags = (r: { sent: Buffer[] }): number => r.sent[0].readUInt16LE(6);

  test('SET asks for the ACK, and its warning reaches JS on the returned state', () => {
    const r = call('set', [[state(ABI.VNET_CMD_SET, SEQ + 1, attrU32(ABI.VNET_ATTR_MODE, 1)), okAck(SEQ + 1, 'vnet: slave has strict rp_filter')]], {
      dev: 'vnet0',
      mode: 1,
      arg1: 50,
      arg2: 0,
    });
    expect(flags(r)).toBe(0x1 | 0x4);
    expect(r.value).toMatchObject({ ifname: 'vnet0', mode: 1, warning: 'vnet: slave has strict rp_filter' });
    const quiet = call('resetStats', [[state(ABI.VNET_CMD_RESET_STATS, SEQ + 1), okAck()]], 'vnet0');
    expect(quiet.value).not.toHaveProperty('warning');
  });

  test('ECHO and GET ask for no ACK: their reply is the answer', () => {
    const e = call('echo', [msg({ type: FAM, seq: SEQ + 1, pid: PID }, genl(ABI.VNET_CMD_ECHO, attrStr(ABI.VNET_ATTR_MSG, 'hi')))], 'hi');
    expect(flags(e)).toBe(0x1);
    expect(e.value).toBe('hi');
    expect(call('get', [state(ABI.VNET_CMD_GET, SEQ + 1)], 9).value).toMatchObject({ ifindex: 9, ifname: 'vnet0' });
  });

  test('a GET answered with another command, or an echo without its message: EPROTO', () => {
    expect(thrown(() => call('get', [state(ABI.VNET_CMD_SET, SEQ + 1)], 9)).code).toBe('EPROTO');
    const e = thrown(() => call('echo', [msg({ type: FAM, seq: SEQ + 1, pid: PID }, genl(ABI.VNET_CMD_ECHO))], 'hi'));
    expect(e.code).toBe('EPROTO');
    expect(e.detail).toBe('echo reply without VNET_ATTR_MSG');
  });

  test('a dump of two devices in two datagrams', () => {
    const r = call('dump', [state(ABI.VNET_CMD_GET, SEQ + 1), Buffer.concat([state(ABI.VNET_CMD_GET, SEQ + 1), done(0, { seq: SEQ + 1, pid: PID })])]);
    expect((r.value as unknown[]).length).toBe(2);
  });
});
