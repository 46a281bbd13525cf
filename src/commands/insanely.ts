/*
 * insanely [-i DEV] [--seed N] [none | SLAVE MODE ARGS...]: Rubini's
 * insanely, for vnet.  One kernel request per invocation: the
 * SIOCDEVPRIVATE GET/SET when it carries everything asked, otherwise (a
 * seed was given) a single VNET_CMD_SET.
 */
import type { RelayInfo } from '../binding/types';
import { mainOf, newProgram, runProgram } from '../cli';
import type { Context } from '../context';
import { DEFAULT_DEV, requireVnet } from '../device';
import { kernel, UsageError } from '../errors';
import { EXIT_OK } from '../exit';
import { relayJson, toJson } from '../format/json';
import { describeApplied, describeRelay, insanelyLines, stateToRelay } from '../format/relay';
import { MODE_PASS, MODE_PERCENT, MODE_TIME } from '../modes';
import { parseDuration, parseIfname, parsePercent, parseSeed } from '../parse';
import { withGenl } from '../show';

const NAME = 'insanely';

export type InsanelyRequest =
  | { kind: 'show'; dev: string }
  | { kind: 'set'; dev: string; relay: RelayInfo; seed?: bigint };

const MODE_HELP = 'pass, percent N, loss N or time ON OFF';

/** Turns the words after the options into a request.  Throws UsageError. */
export function parseInsanelyArgs(
  args: readonly string[],
  dev: string,
  seedText?: string,
): InsanelyRequest {
  parseIfname(dev, 'device name');
  const seed = seedText === undefined ? undefined : parseSeed(seedText);

  if (args.length === 0) {
    if (seed !== undefined) throw new UsageError(`--seed needs a mode (${MODE_HELP})`);
    return { kind: 'show', dev };
  }
  if (args.length === 1 && args[0] === 'none') {
    if (seed !== undefined) throw new UsageError("--seed makes no sense with 'none' (nothing is dropped)");
    return { kind: 'set', dev, relay: { slave: '', mode: MODE_PASS, arg1: 0, arg2: 0 } };
  }

  const slave = parseIfname(args[0], 'slave name');
  const mode = args[1];
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
      throw new UsageError(`unknown mode '${mode}' (${MODE_HELP})`);
  }
  return { kind: 'set', dev, relay, seed };
}

export async function run(argv: readonly string[], ctx: Context): Promise<number> {
  const program = newProgram(
    NAME,
    ctx,
    'Show or set how a vnet device relays packets to its slave (Rubini\'s insanely).',
  )
    .usage(`[options] [none | SLAVE pass | SLAVE percent N | SLAVE loss N | SLAVE time ON OFF]`)
    .option('-i, --interface <dev>', 'the vnet device', DEFAULT_DEV)
    .option('--seed <n>', 'seed the drop generator (u64) for reproducible drops; needs a mode')
    .option('-j, --json', 'print compact JSON on stdout')
    .argument('[words...]', 'none | SLAVE MODE [ARGS]')
    .addHelpText(
      'after',
      `
Modes:
  pass           relay every packet to SLAVE
  percent N      relay N% of the packets (0-100), drop the rest
  loss N         drop N% of the packets (netem's meaning; = percent 100-N)
  time ON OFF    relay for ON, then drop for OFF, repeating; bare numbers are
                 10 ms ticks (time 50 100 = relay 0.5 s, drop 1 s); 500ms and
                 1.5s are accepted too
  none           detach the slave: loop packets back (loopback mode)`,
    );

  return runProgram(NAME, program, argv, ctx, (io, p) => {
    const opts = p.opts<{ interface: string; seed?: string; json?: boolean }>();
    const req = parseInsanelyArgs(p.args, opts.interface, opts.seed);
    const b = ctx.binding;
    const dev = requireVnet(b, req.dev);

    if (req.kind === 'show') {
      const info = kernel({ dev }, () => b.getRelay(dev));
      if (opts.json) io.line(toJson({ ifname: dev, ...(relayJson(info) as object) }));
      else {
        for (const l of insanelyLines(info)) io.line(l);
        io.line(describeRelay(dev, info));
      }
      return EXIT_OK;
    }

    const ectx = { dev, slave: req.relay.slave === '' ? undefined : req.relay.slave };
    let applied: RelayInfo = req.relay;
    let seed: bigint | undefined;
    if (req.seed === undefined) {
      kernel(ectx, () => b.setRelay(dev, req.relay));
    } else {
      const state = withGenl(b, (g) =>
        kernel(ectx, () =>
          g.set({
            dev,
            mode: req.relay.mode,
            arg1: req.relay.arg1,
            arg2: req.relay.arg2,
            seed: req.seed,
            slave: req.relay.slave,
          }),
        ),
      );
      applied = stateToRelay(state);
      seed = state.seed;
    }
    if (opts.json) io.line(toJson({ ifname: dev, ...(relayJson(applied) as object), seed }));
    else io.line(describeApplied(dev, applied, seed));
    return EXIT_OK;
  });
}

export const main = mainOf(run);
