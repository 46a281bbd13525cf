/*
 * vnet-echo [-c COUNT] [-i INTERVAL] [-s SIZE] [MESSAGE...]: ping the
 * vnet_nl generic-netlink family with VNET_CMD_ECHO round trips.
 */
import { mainOf, newProgram, runProgram } from '../cli';
import type { Context } from '../context';
import { diagnose, kernel, UsageError } from '../errors';
import { EXIT_FAILURE, EXIT_OK } from '../exit';
import { Json, toJson } from '../format/json';
import { echoReplyLine, echoSummary, RttSummary, rttSummary } from '../format/echo';
import { ECHO_MSG_MAX, GENL_NAME } from '../modes';
import { parseInteger, parseInterval } from '../parse';

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

export interface EchoPlan {
  count: number;
  intervalMs: number;
  message: string;
}

export function parseEchoArgs(
  words: readonly string[],
  opts: { count?: string; interval?: string; size?: string },
): EchoPlan {
  const count = opts.count === undefined ? 1 : parseInteger(opts.count, 'count', 1, 1_000_000);
  const intervalMs = opts.interval === undefined ? 1000 : parseInterval(opts.interval);
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
  return { count, intervalMs, message };
}

export async function run(argv: readonly string[], ctx: Context): Promise<number> {
  const program = newProgram(
    NAME,
    ctx,
    `Round-trip messages through the kernel's ${GENL_NAME} generic-netlink family, like ping.`,
  )
    .usage('[options] [MESSAGE...]')
    .option('-c, --count <n>', 'how many echoes to send (default 1)')
    .option('-i, --interval <seconds>', 'wait between echoes, may be fractional (default 1)')
    .option('-s, --size <bytes>', `send exactly this many bytes (1-${ECHO_MSG_MAX}): MESSAGE repeated, or a pattern`)
    .option('-j, --json', 'print the results as compact JSON at the end')
    .argument('[message...]', `the text to echo (default '${DEFAULT_MESSAGE}')`);

  return runProgram(NAME, program, argv, ctx, async (io, p) => {
    const opts = p.opts<{ count?: string; interval?: string; size?: string; json?: boolean }>();
    const plan = parseEchoArgs(p.args, opts);
    const bytes = Buffer.byteLength(plan.message);
    const g = kernel({}, () => ctx.binding.openGenl());
    const rtts: bigint[] = [];
    const replies: Json[] = [];
    let sent = 0;
    try {
      for (let seq = 1; seq <= plan.count; seq++) {
        if (seq > 1 && plan.intervalMs > 0) await ctx.sleep(plan.intervalMs);
        sent++;
        const t0 = ctx.now();
        let reply: string;
        try {
          reply = g.echo(plan.message);
        } catch (e) {
          const d = diagnose(e);
          io.warn(`seq=${seq}: ${io.err.red(d.message)}`);
          for (const l of d.details) ctx.stderr.write(`${l}\n`);
          replies.push({ seq, error: d.message });
          continue;
        }
        const rtt = ctx.now() - t0;
        if (reply !== plan.message) {
          io.warn(
            `seq=${seq}: ${io.err.red('mismatched echo')}: sent ${bytes} bytes, got ${Buffer.byteLength(reply)} bytes ${JSON.stringify(reply.length > 40 ? reply.slice(0, 37) + '...' : reply)}`,
          );
          replies.push({ seq, bytes: Buffer.byteLength(reply), mismatch: true });
          continue;
        }
        rtts.push(rtt);
        replies.push({ seq, bytes, time_ms: Number(rtt) / 1e6 });
        if (!opts.json) io.line(echoReplyLine(seq, reply, rtt));
      }
    } finally {
      g.close();
    }

    const summary: RttSummary | undefined = rttSummary(rtts);
    const received = rtts.length;
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
          replies,
        }),
      );
    } else {
      for (const l of echoSummary(sent, received, summary)) io.line(l);
    }
    return received === sent ? EXIT_OK : EXIT_FAILURE;
  });
}

export const main = mainOf(run);
