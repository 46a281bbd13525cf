/*
 * vnet-monitor [-j] [-c COUNT] [DEV...]: print the vnet_nl "events"
 * multicast group as it happens (configuration changes, slaves lost,
 * statistics reset), one line per event, until interrupted: Ctrl-C,
 * SIGTERM or a closed pipe end it cleanly with status 0.
 */
import type { VnetEvent } from '../binding/types';
import { mainOf, newProgram, runProgram } from '../cli';
import type { Context } from '../context';
import { diagnose, isSystemError, kernel } from '../errors';
import { EXIT_OK } from '../exit';
import { eventJson, eventLine } from '../format/event';
import { toJson } from '../format/json';
import { parseIfname, parseInteger } from '../parse';
import { Stopper } from '../stop';

const NAME = 'vnet-monitor';
/** How long one wait for an event may last (the Stopper slices it). */
const FOREVER_MS = 3_600_000;

export async function run(argv: readonly string[], ctx: Context): Promise<number> {
  const program = newProgram(
    NAME,
    ctx,
    `Print the vnet module's events (configuration changes, slaves lost, statistics reset) as they happen.`,
  )
    .usage('[options] [DEV...]')
    .option('-c, --count <n>', 'exit after this many events')
    .option('-j, --json', 'one compact JSON object per event and line (NDJSON)')
    .argument('[devs...]', "only these devices' events (default: every vnet device)")
    .addHelpText(
      'after',
      `
It runs until interrupted: Ctrl-C (SIGINT), SIGTERM or a closed output pipe
end it with status 0.`,
    );

  return runProgram(NAME, program, argv, ctx, async (io, p) => {
    const opts = p.opts<{ count?: string; json?: boolean }>();
    const count = opts.count === undefined ? undefined : parseInteger(opts.count, 'count', 1, 1_000_000_000);
    const only = new Set((p.args as string[]).map((d) => parseIfname(d, 'device name')));
    const g = kernel({}, () => ctx.binding.openGenl());
    const stop = new Stopper(ctx);
    try {
      kernel({}, () => g.subscribe());
      let seen = 0;
      while (count === undefined || seen < count) {
        let ev: VnetEvent | null;
        try {
          ev = await stop.wait(FOREVER_MS, (ms) => g.nextEvent(ms));
        } catch (e) {
          if (!(isSystemError(e) && e.code === 'ENOBUFS')) throw e;
          // the socket overran: say so and go on
          io.warn(io.err.yellow(`events were lost (${diagnose(e).message})`));
          continue;
        }
        if (stop.stopped) break;
        if (ev === null) continue;
        if (only.size > 0 && !only.has(ev.state.ifname)) continue;
        seen++;
        io.line(opts.json ? toJson(eventJson(ev)) : eventLine(ev));
      }
    } finally {
      stop.dispose();
      g.close();
    }
    return EXIT_OK;
  });
}

export const main = mainOf(run);
