/*
 * What vnet-module needs from the machine, behind an interface so that
 * unit tests run it against a fake (test/unit/vnet-module.test.ts), and the
 * real thing (test/package/dkms.test.ts runs it for real in a private mount
 * namespace).
 */
import {
  accessSync,
  closeSync,
  constants,
  copyFileSync,
  existsSync,
  fstatSync,
  mkdirSync,
  openSync,
  readFileSync,
  readSync,
  readdirSync,
  rmSync,
  statSync,
} from 'node:fs';
import { release as osRelease } from 'node:os';
import { dirname, join } from 'node:path';

import type { ReadAt } from './modinfo';

/** node:child_process, required on first use: --help and usage errors
 * need no child process, and loading it costs start-up time
 * (docs/performance.md). */
// eslint-disable-next-line @typescript-eslint/no-require-imports
const childProcess = (): typeof import('node:child_process') => require('node:child_process');

export interface ModuleSystem {
  /** the running kernel's release, as `uname -r` prints it */
  release(): string;
  isRoot(): boolean;
  /** an executable's path on PATH, or undefined */
  which(cmd: string): string | undefined;
  exists(p: string): boolean;
  /** a file's text, or undefined when it cannot be read */
  readFile(p: string): string | undefined;
  /**
   * Opens a file once for `use` to read parts of it (a read past its end,
   * or one that fails, gives undefined); undefined when it cannot be opened.
   */
  withFile<T>(p: string, use: (read: ReadAt) => T): T | undefined;
  /** the names in a directory; [] when it does not exist */
  readdir(p: string): string[];
  isDirectory(p: string): boolean;
  /** runs argv with its output on our stderr (progress); its exit status */
  exec(argv: readonly string[]): number;
  /** runs argv and returns its exit status and stdout */
  capture(argv: readonly string[]): { status: number; stdout: string };
  /** copies a file, creating the directories it needs */
  copyFile(from: string, to: string): void;
  removeTree(p: string): void;
}

/**
 * An executable on PATH, then in the sbin directories (dkms and modinfo
 * live there, and a user's PATH on Debian does not have them).
 */
function which(cmd: string): string | undefined {
  const dirs = [...(process.env.PATH ?? '').split(':').filter(Boolean), '/usr/local/sbin', '/usr/sbin', '/sbin'];
  for (const dir of dirs) {
    const p = join(dir, cmd);
    // most directories do not have it: stat without an exception for those
    // (an Error and its stack per miss cost milliseconds in the lab guest)
    try {
      if (!statSync(p, { throwIfNoEntry: false })?.isFile()) continue;
      accessSync(p, constants.X_OK);
      return p;
    } catch {
      /* not a directory we can search, or not executable by us */
    }
  }
  return undefined;
}

/** The machine this process runs on. */
export function realSystem(): ModuleSystem {
  return {
    release: () => osRelease(),
    isRoot: () => process.geteuid?.() === 0,
    which,
    exists: (p) => existsSync(p),
    readFile(p) {
      try {
        return readFileSync(p, 'utf8');
      } catch {
        return undefined;
      }
    },
    withFile(p, use) {
      let fd: number;
      try {
        fd = openSync(p, 'r');
      } catch {
        return undefined;
      }
      try {
        // bounded by the file's size: a corrupt header cannot make us allocate more
        const size = fstatSync(fd).size;
        return use((offset, length) => {
          if (offset + length > size) return undefined;
          const buf = Buffer.alloc(length);
          try {
            return buf.subarray(0, readSync(fd, buf, 0, length, offset));
          } catch {
            return undefined;
          }
        });
      } finally {
        closeSync(fd);
      }
    },
    readdir(p) {
      try {
        return readdirSync(p).sort();
      } catch {
        return [];
      }
    },
    isDirectory(p) {
      try {
        return statSync(p).isDirectory();
      } catch {
        return false;
      }
    },
    exec(argv) {
      // dkms's progress goes to our stderr, live: stdout carries the result only
      const r = childProcess().spawnSync(which(argv[0]) ?? argv[0], argv.slice(1), { stdio: ['ignore', 2, 2] });
      if (r.error) {
        process.stderr.write(`${argv[0]}: ${r.error.message}\n`);
        return 127;
      }
      return r.status ?? 129;
    },
    capture(argv) {
      const r = childProcess().spawnSync(which(argv[0]) ?? argv[0], argv.slice(1), {
        stdio: ['ignore', 'pipe', 'pipe'],
        encoding: 'utf8',
      });
      return { status: r.error ? 127 : (r.status ?? 129), stdout: r.stdout ?? '' };
    },
    copyFile(from, to) {
      mkdirSync(dirname(to), { recursive: true });
      copyFileSync(from, to);
    },
    removeTree: (p) => rmSync(p, { recursive: true, force: true }),
  };
}
