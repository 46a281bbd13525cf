/*
 * stdout and stderr as a shell user expects them: when the reader of a
 * pipe goes away (`vnetconfig -a | head -1`), the write fails with EPIPE
 * (Node ignores SIGPIPE) and Node would crash with an unhandled 'error'
 * event and a stack trace.  Here the stream is marked closed instead, and
 * every later write is dropped; commands that produce output in a loop
 * (vnet-echo, vnet-monitor) see `closed` and stop.  The exit status is
 * the command's own: 0 after success, like coreutils under SIGPIPE-ignore
 * (documented in the README and the man pages).
 *
 * The commands write with write(2) on the file descriptor (fdOutput), not
 * through process.stdout: creating Node's stream for a pipe or terminal
 * loads net, tty and the stream stack, which cost a command a sixth of
 * its start-up time in the lab guest (docs/performance.md).  Node's
 * stream is the fallback for a descriptor someone else made non-blocking
 * (EAGAIN), which it knows how to wait on.
 */
import { fstatSync, writeSync } from 'node:fs';

import type { OutStream } from './context';

/** What pipeSafe needs from a Node stream (process.stdout, process.stderr). */
export interface NodeWritable {
  write(chunk: string | Uint8Array): boolean;
  on(event: 'error', listener: (err: Error) => void): unknown;
  isTTY?: boolean;
  columns?: number;
  destroyed?: boolean;
}

export interface SafeStream extends OutStream {
  write(chunk: string | Uint8Array): boolean;
}

/** Wraps a Node stream: write errors (EPIPE and the like) close it quietly. */
export function pipeSafe(stream: NodeWritable): SafeStream {
  let closed = false;
  // Any write error: EPIPE when the reader has gone, EIO on a hung-up
  // terminal.  Nothing can be written there any more, and saying so on
  // the same stream is impossible.
  stream.on('error', () => {
    closed = true;
  });
  return {
    get isTTY() {
      return stream.isTTY === true;
    },
    get columns() {
      return stream.columns;
    },
    get closed() {
      return closed || stream.destroyed === true;
    },
    write(chunk: string | Uint8Array): boolean {
      if (closed || stream.destroyed) return false;
      try {
        return stream.write(chunk);
      } catch {
        closed = true; // a synchronous failure (destroyed meanwhile)
        return false;
      }
    },
  };
}

/** The system calls fdOutput makes (a fake in the unit tests). */
export interface FdOps {
  /** write(2): bytes written, or throws an error with `code` */
  write(fd: number, buf: Uint8Array, offset: number): number;
  isatty(fd: number): boolean;
}

/** Linux's major(3) of a dev_t. */
export function devMajor(rdev: number): number {
  return ((rdev >>> 8) & 0xfff) | (Math.floor(rdev / 2 ** 32) & ~0xfff);
}

export const realFdOps: FdOps = {
  write: (fd, buf, offset) => writeSync(fd, buf, offset, buf.length - offset),
  isatty(fd) {
    // Every terminal is a character device, and none is a memory device
    // (major 1: /dev/null, /dev/zero...): only then is node:tty (which
    // loads net) worth loading to ask.
    try {
      const st = fstatSync(fd);
      if (!st.isCharacterDevice() || devMajor(st.rdev) === 1) return false;
    } catch {
      return false;
    }
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    return (require('node:tty') as typeof import('node:tty')).isatty(fd);
  },
};

/**
 * An OutStream that writes to `fd` with write(2), whole chunks (a short
 * write is continued), synchronously as Node's own stdout is on Linux.
 * EPIPE, EIO or EBADF close it quietly, as pipeSafe does; EAGAIN (a
 * descriptor made non-blocking by another process) hands the rest of the
 * output to `stream()`, Node's stream for that descriptor, in order.
 */
export function fdOutput(fd: number, stream: () => NodeWritable, ops: FdOps = realFdOps): OutStream {
  let closed = false;
  let tty: boolean | undefined;
  let fallback: SafeStream | undefined;
  return {
    get isTTY() {
      if (fallback) return fallback.isTTY === true;
      tty ??= ops.isatty(fd);
      return tty;
    },
    // only a terminal has a width; Node's stream knows it (and on a
    // terminal, loading it is the price of asking)
    get columns() {
      return this.isTTY ? stream().columns : undefined;
    },
    get closed() {
      return closed || fallback?.closed === true;
    },
    write(chunk: string): boolean {
      if (closed) return false;
      if (fallback) return fallback.write(chunk);
      const buf = Buffer.from(chunk, 'utf8');
      let off = 0;
      while (off < buf.length) {
        try {
          off += ops.write(fd, buf, off);
        } catch (e) {
          const code = (e as NodeJS.ErrnoException).code;
          if (code === 'EINTR') continue;
          if (code === 'EAGAIN') {
            fallback = pipeSafe(stream());
            return fallback.write(buf.subarray(off));
          }
          closed = true;
          return false;
        }
      }
      return true;
    },
  };
}
