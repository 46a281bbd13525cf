/*
 * Crafting netlink datagrams byte by byte (little-endian, as on the
 * machines vnet runs on) for the parser tests: the addon's test hooks
 * feed them to its real netlink code.  Lengths are computed unless a test
 * overrides them to make a message malformed.
 */

export const NLMSG_NOOP = 1;
export const NLMSG_ERROR = 2;
export const NLMSG_DONE = 3;
export const NLMSG_OVERRUN = 4;

export const NLM_F_MULTI = 0x2;
export const NLM_F_DUMP_INTR = 0x10;
export const NLM_F_CAPPED = 0x100;
export const NLM_F_ACK_TLVS = 0x200;

export const NLMSGERR_ATTR_MSG = 1;
export const NLMSGERR_ATTR_OFFS = 2;
export const NLMSGERR_ATTR_MISS_TYPE = 5;
export const NLMSGERR_ATTR_MISS_NEST = 6;

const pad4 = (n: number): number => (n + 3) & ~3;

function u16(v: number): Buffer {
  const b = Buffer.alloc(2);
  b.writeUInt16LE(v);
  return b;
}
function u32(v: number): Buffer {
  const b = Buffer.alloc(4);
  b.writeUInt32LE(v >>> 0);
  return b;
}
function s32(v: number): Buffer {
  const b = Buffer.alloc(4);
  b.writeInt32LE(v);
  return b;
}

/** An attribute: header, payload, padding (pad: false leaves it off). */
export function attr(type: number, payload: Buffer, opts: { len?: number; pad?: boolean } = {}): Buffer {
  const len = opts.len ?? 4 + payload.length;
  const body = Buffer.concat([u16(len), u16(type), payload]);
  if (opts.pad === false) return body;
  return Buffer.concat([body, Buffer.alloc(pad4(body.length) - body.length)]);
}
export const attrU32 = (type: number, v: number): Buffer => attr(type, u32(v));
export const attrS32 = (type: number, v: number): Buffer => attr(type, s32(v));
export const attrU16 = (type: number, v: number): Buffer => attr(type, u16(v));
export function attrU64(type: number, v: bigint): Buffer {
  const b = Buffer.alloc(8);
  b.writeBigUInt64LE(v);
  return attr(type, b);
}
export const attrStr = (type: number, s: string, opts: { pad?: boolean } = {}): Buffer =>
  attr(type, Buffer.from(`${s}\0`), opts);
export const nested = (type: number, ...attrs: Buffer[]): Buffer => attr(type | 0x8000, Buffer.concat(attrs));

/** struct genlmsghdr {cmd, version 1, reserved 0} + attributes. */
export const genl = (cmd: number, ...attrs: Buffer[]): Buffer =>
  Buffer.concat([Buffer.from([cmd, 1, 0, 0]), ...attrs]);

export interface Hdr {
  type: number;
  flags?: number;
  seq: number;
  pid: number;
  /** nlmsg_len as sent, when a test wants it wrong */
  len?: number;
}

/** One message: nlmsghdr + payload, padded to 4 bytes unless pad: false. */
export function msg(h: Hdr, payload: Buffer = Buffer.alloc(0), opts: { pad?: boolean } = {}): Buffer {
  const hdr = Buffer.concat([u32(h.len ?? 16 + payload.length), u16(h.type), u16(h.flags ?? 0), u32(h.seq), u32(h.pid)]);
  const body = Buffer.concat([hdr, payload]);
  if (opts.pad === false) return body;
  return Buffer.concat([body, Buffer.alloc(pad4(body.length) - body.length)]);
}

export interface AckOpts {
  seq: number;
  pid: number;
  /** the kernel's text (NLMSGERR_ATTR_MSG) */
  text?: string;
  missType?: number;
  missNest?: number;
  offset?: number;
  /** not capped: the whole request is echoed back */
  request?: Buffer;
  /** extra TLV bytes, e.g. a malformed attribute */
  rawTlvs?: Buffer;
  flags?: number;
  len?: number;
}

function tlvs(o: AckOpts): Buffer {
  const parts: Buffer[] = [];
  if (o.text !== undefined) parts.push(attrStr(NLMSGERR_ATTR_MSG, o.text));
  if (o.offset !== undefined) parts.push(attrU32(NLMSGERR_ATTR_OFFS, o.offset));
  if (o.missType !== undefined) parts.push(attrU32(NLMSGERR_ATTR_MISS_TYPE, o.missType));
  if (o.missNest !== undefined) parts.push(attrU32(NLMSGERR_ATTR_MISS_NEST, o.missNest));
  if (o.rawTlvs) parts.push(o.rawTlvs);
  return Buffer.concat(parts);
}

/** NLMSG_ERROR: error (0 or -errno), the request's header (capped) or the whole request, TLVs. */
export function ack(error: number, o: AckOpts): Buffer {
  const t = tlvs(o);
  const echoed = o.request ?? msg({ type: 0x10, flags: 5, seq: o.seq, pid: o.pid }).subarray(0, 16);
  let flags = o.flags ?? 0;
  if (!o.request) flags |= NLM_F_CAPPED;
  if (t.length) flags |= NLM_F_ACK_TLVS;
  return msg({ type: NLMSG_ERROR, flags, seq: o.seq, pid: o.pid, len: o.len }, Buffer.concat([s32(error), echoed, t]));
}

/** NLMSG_DONE: the dump's status, then TLVs. */
export function done(error: number, o: AckOpts): Buffer {
  const t = tlvs(o);
  let flags = (o.flags ?? 0) | NLM_F_MULTI;
  if (t.length) flags |= NLM_F_ACK_TLVS;
  return msg({ type: NLMSG_DONE, flags, seq: o.seq, pid: o.pid, len: o.len }, Buffer.concat([s32(error), t]));
}

/** The attributes of a sent generic-netlink request (after nlmsghdr and genlmsghdr), by type: their payloads. */
export function requestAttrs(sent: Buffer): Map<number, Buffer> {
  const out = new Map<number, Buffer>();
  const end = sent.readUInt32LE(0);
  for (let off = 16 + 4; off + 4 <= end; ) {
    const len = sent.readUInt16LE(off);
    if (len < 4) throw new Error(`bad nla_len ${len} at ${off}`);
    out.set(sent.readUInt16LE(off + 2) & 0x3fff, sent.subarray(off + 4, off + len));
    off += pad4(len);
  }
  return out;
}
