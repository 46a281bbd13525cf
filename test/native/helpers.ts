/* Shared by the native tests: the loaded addon and its test hooks. */
import * as fs from 'node:fs';

import { loadNativeBinding } from '../../src/binding/native';
import type { VnetBinding } from '../../src/binding/types';

export interface FamilyInfo {
  name: string;
  id: number;
  version: number;
  hdrsize: number;
  maxattr: number;
  groups: Record<string, number>;
}

/** addon/src/test_hooks.cc */
export interface TestHooks {
  resolveFamily(name: string): FamilyInfo;
  dumpFamilies(): FamilyInfo[];
  badRequest(): void;
  syscalls(): number;
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
