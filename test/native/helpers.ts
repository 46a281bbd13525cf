/* Shared by the native tests: the loaded addon and its test hooks. */
import * as fs from 'node:fs';

import { loadNativeBinding } from '../../src/binding/native';
import type { VnetBinding, VnetEvent } from '../../src/binding/types';

export interface FamilyInfo {
  name: string;
  id: number;
  version: number;
  hdrsize: number;
  maxattr: number;
  groups: Record<string, number>;
}

/** One datagram of a script: as received from the kernel unless said otherwise. */
export type ScriptDatagram = Buffer | { data: Buffer; groups?: number; sender?: number; fullLength?: number };
/** What one receive returns: a datagram, a batch (one recvmmsg), or an errno. */
export type ScriptStep = ScriptDatagram | ScriptDatagram[] | { errno: number };

export interface ScriptReport {
  /** the requests sent, in order */
  sent: Buffer[];
  /** for each request sent, how many receives came before it */
  sentAfter: number[];
  /** each receive's wait: -1 the socket's timeout (blocking), 0 non-blocking, > 0 poll ms */
  waits: number[];
  eventsLost: number;
  stepsLeft: number;
}

export interface ScriptMessage {
  type: number;
  flags: number;
  seq: number;
  pid: number;
  payload: Buffer;
}

/** addon/src/test_hooks.cc and test_script_io.cc */
export interface TestHooks {
  resolveFamily(name: string): FamilyInfo;
  resolveFamilyAsync(name: string): Promise<FamilyInfo>;
  /** syscalls per request over n requests on one socket */
  resolveRepeat(name: string, n: number): number;
  dumpFamilies(): FamilyInfo[];
  badRequest(): void;
  blockOnReply(): void;
  blockOnMulticast(timeoutMs: number): number | null;
  echoAcrossOverrun(spec: { message: string; rcvbuf: number; between: () => void }): {
    reply: string;
    eventsLost: number;
  };
  syscalls(): number;
  /** One request over a scripted transport; it goes out with seq + 1. */
  transact(spec: {
    pid: number;
    seq: number;
    dump?: boolean;
    /** false: no NLM_F_ACK, the reply ends the request */
    ack?: boolean;
    type?: number;
    cmd?: number;
    retryEintr?: boolean;
    steps: ScriptStep[];
  }): ScriptReport & { replies: ScriptMessage[]; warning: string; queued: number };
  multicast(spec: { steps: ScriptStep[]; retryEintr?: boolean }): ScriptReport & { messages: ScriptMessage[] };
  /** Several requests (or nextEvent-style reads) in turn on one scripted socket. */
  transactMany(spec: {
    pid: number;
    seq: number;
    steps: ScriptStep[];
    requests: ({ dump?: boolean; ack?: boolean; type?: number; cmd?: number } | { nextMulticast: true })[];
  }): ScriptReport & {
    results: { replies?: number[]; warning?: string; multicast?: number | null; error?: { code: string; detail: string } }[];
  };
  /** A GenlSocket request over a scripted transport: the vnet_nl code end to end. */
  vnetCall(spec: {
    op: 'echo' | 'get' | 'dump' | 'set' | 'resetStats';
    family: number;
    pid: number;
    seq: number;
    steps: ScriptStep[];
    arg?: unknown;
  }): ScriptReport & { value: unknown };
  splitDatagram(d: Buffer): { type: number; len: number; offset: number }[];
  parseAck(d: Buffer): { error: number; message: string; text: string; offset?: number; missType?: number; missNest?: number };
  parseEvent(d: Buffer, familyId: number): VnetEvent | null;
  parseFamily(d: Buffer): FamilyInfo;
}

export function hooks(b: VnetBinding): TestHooks {
  return (b as unknown as { _test: TestHooks })._test;
}

export function native(): VnetBinding {
  return loadNativeBinding();
}

/** Calls fn and returns what it threw (fails the test if nothing). */
export function thrown(fn: () => unknown): Error & Record<string, unknown> {
  try {
    fn();
  } catch (e) {
    return e as Error & Record<string, unknown>;
  }
  throw new Error('expected an exception');
}

export function openFds(): number {
  return fs.readdirSync('/proc/self/fd').length;
}

/** What a promise rejected with (fails the test if it resolved). */
export async function rejected(p: Promise<unknown>): Promise<Error & Record<string, unknown>> {
  try {
    await p;
  } catch (e) {
    return e as Error & Record<string, unknown>;
  }
  throw new Error('expected a rejection');
}
