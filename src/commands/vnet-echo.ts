/*
 * vnet-echo [-c COUNT] [-i INTERVAL] [-s SIZE] [-q] [-W TIMEOUT]
 * [-w DEADLINE] [-f] [MESSAGE...]: ping the vnet_nl generic-netlink
 * family with VNET_CMD_ECHO round trips (the loop: src/echo-loop.ts).
 * Ctrl-C and SIGTERM end it with the summary, as they end ping.
 */
import { mainOf, newProgram, runProgram } from '../cli';
import type { Context } from '../context';
import { diagnose, kernel, UsageError } from '../errors';
import { EXIT_FAILURE, EXIT_OK } from '../exit';
import { EchoPlan, echoLoop } from '../echo-loop';
import { Json, toJson } from '../format/json';
import { echoReplyLine, echoSummary, RttSummary, rttSummary } from '../format/echo';
import { ECHO_MSG_MAX, GENL_NAME } from '../modes';
import { parseInteger, parseInterval, parseSeconds } from '../parse';
import { Stopper } from '../stop';

const NAME = 'vnet-echo';
export const DEFAULT_MESSAGE = 'hello, vnet';

/** Printable ASCII '!'..'~', repeated: the padding pattern for -s. */
export function padPattern(size: number): string {
  let s = '';
  for (let i = 0; i < size; i++) s += String.fromCharCode(0x21 + (i % 94));
  return s;
}

/** MESSAGE repeated to exactly `size` bytes, cut on a character boundary, '.'-padded. */
export function fillTo(message: string, size: number): string {
  if (message === '') return padPattern(size);
  let out = '';
  let bytes = 0;
  const chars = Array.from(message);
  for (let i = 0; ; i = (i + 1) % chars.length) {
    const n = Buffer.byteLength(chars[i]);
    if (bytes + n > size) break;
    out += chars[i];
    bytes += n;
  }
  return out + '.'.repeat(size - bytes);
}

export interface EchoOptions {
  count?: string;
  interval?: string;
  size?: string;
  timeout?: string;
  deadline?: string;
  flood?: boolean;
}

/** The default -W: how long a request is waited for. */
export const DEFAULT_TIMEOUT_MS = 10_000;

export function parseEchoArgs(words: readonly string[], opts: EchoOptions): EchoPlan {
  const count = opts.count === undefined ? undefined : parseInteger(opts.count, 'count', 1, 1_000_000);
  const intervalMs = opts.interval === undefined ? (opts.flood ? 0 : 1000) : parseInterval(opts.interval);
  const timeoutMs = opts.timeout === undefined ? DEFAULT_TIMEOUT_MS : parseSeconds(opts.timeout, 'timeout', 0.001);
  const deadlineMs = opts.deadline === undefined ? undefined : parseSeconds(opts.deadline, 'deadline', 0.001);
  let message = words.length > 0 ? words.join(' ') : opts.size === undefined ? DEFAULT_MESSAGE : '';
  if (message.includes('\0')) throw new UsageError('the message cannot contain a NUL character');
  if (opts.size !== undefined) {
    message = fillTo(message, parseInteger(opts.size, 'size', 1, ECHO_MSG_MAX));
  }
  const bytes = Buffer.byteLength(message);
  if (bytes === 0) throw new UsageError('the message is empty');
  if (bytes > ECHO_MSG_MAX) {
    throw new UsageError(`the message is ${bytes} bytes long; at most ${ECHO_MSG_MAX}`);
  }
  // Without -c: one echo, unless -w or -f says to go on (until the
  // deadline or Ctrl-C), as ping goes on.
  const n = count ?? (deadlineMs !== undefined || opts.flood ? undefined : 1);
  return { count: n, intervalMs, message, timeoutMs, deadlineMs, flood: !!opts.flood };
}

/** ping's exit rule: 1 only if no reply came back, or with -w if fewer than COUNT. */
export function echoExitCode(plan: EchoPlan, received: number): number {
  if (received === 0) return EXIT_FAILURE;
  if (plan.deadlineMs !== undefined && plan.count !== undefined && received < plan.count) return EXIT_FAILURE;
  return EXIT_OK;
}

export async function run(argv: readonly string[], ctx: Context): Promise<number> {
  const program = newProgram(
    NAME,
    ctx,
    `Round-trip messages through the kernel's ${GENL_NAME} generic-netlink family, like ping.`,
  )
    .usage('[options] [MESSAGE...]')
    .option('-c, --count <n>', 'how many echoes to send (default 1; with -w or -f: no limit)')
    .option('-i, --interval <seconds>', 'wait between echoes, may be fractional (default 1; -f: 0)')
    .option('-s, --size <bytes>', `send exactly this many bytes (1-${ECHO_MSG_MAX}): MESSAGE repeated, or a pattern`)
    .option('-W, --timeout <seconds>', `how long to wait for each reply (default ${DEFAULT_TIMEOUT_MS / 1000})`)
    .option('-w, --deadline <seconds>', 'stop after this long, however many were sent; -c then counts replies')
    .option('-f, --flood', `flood: up to 16 echoes in flight, '.' per request, a backspace per reply`)
    .option('-q, --quiet', 'print only the summary')
    .option('-j, --json', 'print the results as compact JSON at the end')
    .argument('[message...]', `the text to echo (default '${DEFAULT_MESSAGE}')`)
    .addHelpText(
      'after',
      `
As ping: Ctrl-C (SIGINT) or SIGTERM stops it and prints the summary; the exit
status is 1 only when no reply came back (or, with -w, fewer than COUNT).`,
    );

  return runProgram(NAME, program, argv, ctx, async (io, p) => {
    const opts = p.opts<EchoOptions & { quiet?: boolean; json?: boolean }>();
    const plan = parseEchoArgs(p.args, opts);
    const bytes = Buffer.byteLength(plan.message);
    // one object per reply for -j only: a flood of 100 000 would otherwise
    // keep as many for nothing (a third of -f's time went to the GC)
    const replies: Json[] = [];
    const keep = !!opts.json;
    const text = !opts.json && !opts.quiet;
    const sock = kernel({}, () => ctx.binding.openEcho());
    const stop = new Stopper(ctx);
    let totals;
    try {
      totals = await echoLoop(ctx, stop, sock, plan, {
        sent: () => undefined,
        // ping -f: a dot per request, a backspace per reply (a step's at once)
        flood: (sent, received) => {
          if (text) io.print('.'.repeat(sent) + '\b'.repeat(received));
        },
        wantsReplies: keep,
        reply: (seq, message, rtt) => {
          if (keep) replies.push({ seq, bytes, time_ms: Number(rtt) / 1e6 });
          if (text && !plan.flood) io.line(echoReplyLine(seq, message, rtt));
        },
        mismatch: (seq, got) => {
          io.warn(
            `seq=${seq}: ${io.err.red('mismatched echo')}: sent ${bytes} bytes, got ${Buffer.byteLength(got)} bytes ${JSON.stringify(got.length > 40 ? got.slice(0, 37) + '...' : got)}`,
          );
          if (keep) replies.push({ seq, bytes: Buffer.byteLength(got), mismatch: true });
        },
        error: (seq, e) => {
          const d = diagnose(e);
          io.warn(`seq=${seq}: ${io.err.red(d.message)}`);
          for (const l of d.details) ctx.stderr.write(`${l}\n`);
          if (keep) replies.push({ seq, error: d.message });
        },
      });
    } finally {
      stop.dispose();
      sock.close();
    }

    const { sent, received } = totals;
    const summary: RttSummary | undefined = rttSummary(totals.rtt);
    if (opts.json) {
      io.line(
        toJson({
          family: GENL_NAME,
          sent,
          received,
          loss_percent: sent === 0 ? 0 : ((sent - received) * 100) / sent,
          rtt: summary
            ? { min: Number(summary.min), avg: Number(summary.avg), max: Number(summary.max), mdev: Number(summary.mdev) }
            : undefined,
          interrupted: stop.reason === 'SIGINT' || stop.reason === 'SIGTERM' ? stop.reason : undefined,
          replies,
        }),
      );
    } else {
      for (const l of echoSummary(sent, received, summary)) io.line(l);
    }
    return echoExitCode(plan, received);
  });
}

export const main = mainOf(run);
