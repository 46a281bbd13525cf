/*
 * stdout and stderr as a shell user expects them: when the reader of a
 * pipe goes away (`vnetconfig -a | head -1`), the write fails with EPIPE
 * (Node ignores SIGPIPE) and Node would crash with an unhandled 'error'
 * event and a stack trace.  Here the stream is marked closed instead, and
 * every later write is dropped; commands that produce output in a loop
 * (vnet-echo, vnet-monitor) see `closed` and stop.  The exit status is
 * the command's own: 0 after success, like coreutils under SIGPIPE-ignore
 * (documented in the README and the man pages).
 */
import type { OutStream } from './context';

/** What pipeSafe needs from a Node stream (process.stdout, process.stderr). */
export interface NodeWritable {
  write(chunk: string): boolean;
  on(event: 'error', listener: (err: Error) => void): unknown;
  isTTY?: boolean;
  destroyed?: boolean;
}

/** Wraps a Node stream: write errors (EPIPE and the like) close it quietly. */
export function pipeSafe(stream: NodeWritable): OutStream {
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
    get closed() {
      return closed || stream.destroyed === true;
    },
    write(chunk: string): boolean {
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
