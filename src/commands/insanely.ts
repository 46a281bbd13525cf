/*
 * insanely [-i DEV] [--tx | --rx | --both] [--for DURATION] [--seed N]
 * [--force] [none | SLAVE MODE ARGS...]: Rubini's insanely, for vnet.  It
 * shows the relay configuration (the slave, the transmit and the receive
 * policy) or sets a direction's policy through generic netlink, whose
 * replies say what the kernel applied (seed included); setting the policy
 * a device already has changes nothing (src/relay.ts).  The words are
 * parsed in src/insanely-args.ts.
 */
import { Option } from 'commander';

import type { VnetState } from '../binding/types';
import { Io, mainOf, newProgram, runProgram } from '../cli';
import type { Context } from '../context';
import { deviceOrDefault } from '../device';
import { ErrorContext, kernel } from '../errors';
import { EXIT_OK } from '../exit';
import { relayStateJson, toJson } from '../format/json';
import { appliedLines, describeState, insanelyLines, rpFilterWarning } from '../format/relay';
import { InsanelyOptions, MODE_HELP, parseInsanelyArgs } from '../insanely-args';
import { applyRelay } from '../relay';
import { withGenl } from '../show';

const NAME = 'insanely';

function warnRpFilter(io: Io, s: VnetState): void {
  const w = rpFilterWarning(s);
  if (w) for (const l of w) io.warn(io.err.yellow(l));
}

const HELP_AFTER = `
Modes (any case, as in the original):
  pass           pass every packet
  percent N      pass N% of the packets (0-100), drop the rest at random
  loss N         drop N% of the packets (netem's meaning; = percent 100-N)
  time ON OFF    pass for ON, then drop for OFF, repeating; bare numbers are
                 10 ms ticks (time 50 100 = pass 0.5 s, drop 1 s); 500ms and
                 1.5s are accepted too
  gemodel P R [1-H [1-K]]
                 burst loss, netem's Gilbert-Elliott model, in percentages
                 (fractions allowed): P = good to bad, R = bad to good, 1-H =
                 loss in the bad state (default 100), 1-K = loss in the good
                 state (default 0).  Expected loss (1-K)*R/(P+R) + (1-H)*P/(P+R);
                 with 1-H = 100 and 1-K = 0, mean burst 1/R frames
  none           detach the slave: loop packets back (loopback mode)

Directions: --tx (the default) sets what vnet relays to SLAVE, --rx what it
accepts from SLAVE (frames for its own addresses), --both both (each with its
own draws).  Bare insanely shows both.

--for DURATION (500ms, 30s, 10m, 2h; a bare number is seconds) makes the
kernel set the direction back to pass after DURATION, even if insanely is
killed or the session drops: impair the link you are logged in through
without locking yourself out.  Bare insanely shows the time left.

Setting the policy a device already has changes nothing and says
"unchanged" (exit 0); --force sets it again.  --for always sets it.

Examples:
  insanely                                  show both directions
  insanely eth0 percent 80                  relay 80% to eth0, drop 20%
  insanely --rx eth0 loss 10                drop 10% of what comes from eth0
  insanely --both eth0 time 50 100          both ways: 0.5 s on, 1 s off
  insanely eth0 gemodel 1 20                bursts: loss 4.76%, mean burst 5
  insanely --seed 42 eth0 gemodel 0.5 10 80 0.1
  insanely --for 30s eth0 percent 0         a 30 s outage, then pass again
  insanely -i vnet1 eth0 pass               a second vnet device on eth0
  insanely none                             back to loopback mode`;

export async function run(argv: readonly string[], ctx: Context): Promise<number> {
  const program = newProgram(
    NAME,
    ctx,
    "Show or set how a vnet device relays packets to its slave and accepts them from it (Rubini's insanely).",
  )
    .usage('[options] [none | SLAVE MODE [ARGS...]]')
    .option('-i, --interface <dev>', 'the vnet device (default: the only vnet device there is)')
    .addOption(new Option('--tx', 'set the transmit policy: what the device relays to SLAVE (the default)').conflicts(['rx', 'both']))
    .addOption(new Option('--rx', 'set the receive policy: what the device accepts from SLAVE').conflicts(['tx', 'both']))
    .addOption(new Option('--both', 'set both policies to the same mode and arguments').conflicts(['tx', 'rx']))
    .option('--for <duration>', 'the kernel sets the direction back to pass after DURATION (e.g. 30s, 500ms)')
    .option('--seed <n>', 'seed the drop generator (u64) for reproducible drops; needs a mode')
    .option('-f, --force', 'set the policy even when the device already has it (reseeds, restarts the time phase)')
    .option('-j, --json', 'print compact JSON on stdout')
    .argument('[words...]', `none | SLAVE MODE [ARGS] (${MODE_HELP})`)
    .addHelpText('after', HELP_AFTER);

  return runProgram(NAME, program, argv, ctx, (io, p) => {
    const opts = p.opts<InsanelyOptions & { force?: boolean; json?: boolean }>();
    const req = parseInsanelyArgs(p.args, opts);
    const b = ctx.binding;
    const dev = deviceOrDefault(b, req.dev);

    if (req.kind === 'show') {
      const s = withGenl(b, (g) => kernel({ dev }, () => g.get(dev)));
      if (opts.json) {
        io.line(toJson({ ifname: dev, ...relayStateJson(s), slave_rp_filter: s.slaveRpFilter }));
      } else {
        for (const l of [...insanelyLines(s), ...describeState(s)]) io.line(l);
      }
      warnRpFilter(io, s);
      return EXIT_OK;
    }

    const ectx: ErrorContext = {
      dev,
      slave: req.slave === '' ? undefined : req.slave,
      slaveType: (name) => {
        try {
          return b.dumpLinks().find((l) => l.name === name)?.type;
        } catch {
          return undefined;
        }
      },
    };
    const { state, changed } = withGenl(b, (g) => applyRelay(g, dev, req, !!opts.force, ectx));
    if (opts.json) {
      io.line(toJson({ ifname: dev, ...relayStateJson(state), direction: req.direction, changed }));
    } else {
      for (const l of appliedLines(state, req.direction, changed, req.seed !== undefined)) io.line(l);
    }
    warnRpFilter(io, state);
    return EXIT_OK;
  });
}

export const main = mainOf(run);
