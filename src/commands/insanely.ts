/*
 * insanely [-i DEV] [--seed N] [--force] [none | SLAVE MODE ARGS...]:
 * Rubini's insanely, for vnet.  It shows or sets the relay policy through
 * generic netlink, whose replies say what the kernel applied (seed
 * included); setting the policy a device already has changes nothing
 * (src/relay.ts).  Modes are case-insensitive, as in the original.
 */
import type { RelayInfo, VnetState } from '../binding/types';
import { Io, mainOf, newProgram, runProgram } from '../cli';
import type { Context } from '../context';
import { deviceOrDefault } from '../device';
import { ErrorContext, kernel, UsageError } from '../errors';
import { EXIT_OK } from '../exit';
import { relayJson, toJson } from '../format/json';
import { describeApplied, describeRelay, insanelyLines, rpFilterWarning, stateToRelay } from '../format/relay';
import { MODE_PASS, MODE_PERCENT, MODE_TIME } from '../modes';
import { parseDuration, parseIfname, parsePercent, parseSeed } from '../parse';
import { applyRelay } from '../relay';
import { withGenl } from '../show';

const NAME = 'insanely';

export type InsanelyRequest =
  | { kind: 'show'; dev?: string }
  | { kind: 'set'; dev?: string; relay: RelayInfo; seed?: bigint };

const MODE_HELP = 'pass, percent N, loss N or time ON OFF';

/** Turns the words after the options into a request.  Throws UsageError. */
export function parseInsanelyArgs(
  args: readonly string[],
  dev: string | undefined,
  seedText?: string,
): InsanelyRequest {
  if (dev !== undefined) parseIfname(dev, 'device name');
  const seed = seedText === undefined ? undefined : parseSeed(seedText);

  if (args.length === 0) {
    if (seed !== undefined) throw new UsageError(`--seed needs a mode (${MODE_HELP})`);
    return { kind: 'show', dev };
  }
  if (args.length === 1 && args[0].toLowerCase() === 'none') {
    if (seed !== undefined) throw new UsageError("--seed makes no sense with 'none' (nothing is dropped)");
    return { kind: 'set', dev, relay: { slave: '', mode: MODE_PASS, arg1: 0, arg2: 0 } };
  }

  const slave = parseIfname(args[0], 'slave name');
  const mode = args[1]?.toLowerCase();
  if (mode === undefined) throw new UsageError(`missing mode after '${slave}' (${MODE_HELP})`);
  const rest = args.slice(2);
  const need = (n: number, what: string): void => {
    if (rest.length < n) throw new UsageError(`mode '${mode}' needs ${what}`);
    if (rest.length > n) throw new UsageError(`unexpected argument '${rest[n]}'`);
  };

  let relay: RelayInfo;
  switch (mode) {
    case 'pass':
      need(0, 'no arguments');
      relay = { slave, mode: MODE_PASS, arg1: 0, arg2: 0 };
      break;
    case 'percent':
      need(1, 'the percentage of packets to pass (0-100)');
      relay = { slave, mode: MODE_PERCENT, arg1: parsePercent(rest[0], 'percentage to pass'), arg2: 0 };
      break;
    case 'loss':
      need(1, 'the percentage of packets to drop (0-100)');
      relay = { slave, mode: MODE_PERCENT, arg1: 100 - parsePercent(rest[0], 'loss percentage'), arg2: 0 };
      break;
    case 'time':
      need(2, 'two durations: ON (relay) and OFF (drop), in 10 ms ticks or e.g. 500ms, 1.5s');
      relay = {
        slave,
        mode: MODE_TIME,
        arg1: parseDuration(rest[0], 'relay time'),
        arg2: parseDuration(rest[1], 'drop time'),
      };
      break;
    default:
      throw new UsageError(`unknown mode '${args[1]}' (${MODE_HELP})`);
  }
  return { kind: 'set', dev, relay, seed };
}

/** The seed where it matters: percent mode, or when the user gave one. */
function shownSeed(s: VnetState, given: boolean): bigint | undefined {
  return given || (s.slaveName !== '' && s.mode === MODE_PERCENT) ? s.seed : undefined;
}

function warnRpFilter(io: Io, s: VnetState): void {
  const w = rpFilterWarning(s);
  if (w) for (const l of w) io.warn(io.err.yellow(l));
}

export async function run(argv: readonly string[], ctx: Context): Promise<number> {
  const program = newProgram(
    NAME,
    ctx,
    'Show or set how a vnet device relays packets to its slave (Rubini\'s insanely).',
  )
    .usage(`[options] [none | SLAVE pass | SLAVE percent N | SLAVE loss N | SLAVE time ON OFF]`)
    .option('-i, --interface <dev>', 'the vnet device (default: the only vnet device there is)')
    .option('--seed <n>', 'seed the drop generator (u64) for reproducible drops; needs a mode')
    .option('-f, --force', 'set the policy even when the device already has it (reseeds, restarts the time phase)')
    .option('-j, --json', 'print compact JSON on stdout')
    .argument('[words...]', 'none | SLAVE MODE [ARGS]')
    .addHelpText(
      'after',
      `
Modes (any case, as in the original):
  pass           relay every packet to SLAVE
  percent N      relay N% of the packets (0-100), drop the rest
  loss N         drop N% of the packets (netem's meaning; = percent 100-N)
  time ON OFF    relay for ON, then drop for OFF, repeating; bare numbers are
                 10 ms ticks (time 50 100 = relay 0.5 s, drop 1 s); 500ms and
                 1.5s are accepted too
  none           detach the slave: loop packets back (loopback mode)

Setting the policy a device already has changes nothing and says
"unchanged" (exit 0); --force sets it again.`,
    );

  return runProgram(NAME, program, argv, ctx, (io, p) => {
    const opts = p.opts<{ interface?: string; seed?: string; force?: boolean; json?: boolean }>();
    const req = parseInsanelyArgs(p.args, opts.interface, opts.seed);
    const b = ctx.binding;
    const dev = deviceOrDefault(b, req.dev);

    if (req.kind === 'show') {
      const s = withGenl(b, (g) => kernel({ dev }, () => g.get(dev)));
      const info = stateToRelay(s);
      if (opts.json) {
        io.line(toJson({ ifname: dev, ...(relayJson(info) as object), seed: s.seed, slave_rp_filter: s.slaveRpFilter }));
      } else {
        for (const l of insanelyLines(info, s.seed)) io.line(l);
        io.line(describeRelay(dev, info));
      }
      warnRpFilter(io, s);
      return EXIT_OK;
    }

    const ectx: ErrorContext = {
      dev,
      slave: req.relay.slave === '' ? undefined : req.relay.slave,
      slaveType: (name) => {
        try {
          return b.dumpLinks().find((l) => l.name === name)?.type;
        } catch {
          return undefined;
        }
      },
    };
    const { state, changed } = withGenl(b, (g) =>
      applyRelay(g, dev, { relay: req.relay, seed: req.seed }, !!opts.force, ectx),
    );
    const applied = stateToRelay(state);
    if (opts.json) {
      io.line(toJson({ ifname: dev, ...(relayJson(applied) as object), seed: state.seed, changed }));
    } else {
      io.line(describeApplied(dev, applied, shownSeed(state, req.seed !== undefined), changed));
    }
    warnRpFilter(io, state);
    return EXIT_OK;
  });
}

export const main = mainOf(run);
