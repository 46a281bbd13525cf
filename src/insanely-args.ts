/*
 * insanely's words after the options, and the options that shape a
 * request (--tx/--rx/--both, --for, --seed), turned into a request.
 * Every value is checked here, before anything reaches the kernel: a bad
 * one is a UsageError (exit 2).  Modes are case-insensitive, as in the
 * original.
 */
import { UsageError } from './errors';
import { Direction, MODE_GEMODEL, MODE_PASS, MODE_PERCENT, MODE_TIME } from './modes';
import { parseDuration, parseIfname, parsePercent, parsePpmPercent, parseRevertDuration, parseSeed, PPM } from './parse';
import type { PolicyArgs, RelayRequest } from './relay';

export type InsanelyRequest = { kind: 'show'; dev?: string } | ({ kind: 'set'; dev?: string } & RelayRequest);

export interface InsanelyOptions {
  interface?: string;
  seed?: string;
  tx?: boolean;
  rx?: boolean;
  both?: boolean;
  for?: string;
}

export const MODE_HELP = 'pass, percent N, loss N, time ON OFF or gemodel P R [1-H [1-K]]';

const policy = (mode: number, arg1 = 0, arg2 = 0, arg3 = 0, arg4 = 0): PolicyArgs => ({ mode, arg1, arg2, arg3, arg4 });

/** The direction the options name (commander refuses two of them together); tx by default. */
function direction(o: InsanelyOptions): Direction {
  if (o.both) return 'both';
  if (o.rx) return 'rx';
  return 'tx';
}

/** MODE ARGS... (after the slave) as the kernel's mode and arguments. */
function parsePolicy(words: readonly string[]): PolicyArgs {
  const mode = words[0].toLowerCase();
  const rest = words.slice(1);
  const need = (min: number, max: number, what: string): void => {
    if (rest.length < min) throw new UsageError(`mode '${mode}' needs ${what}`);
    if (rest.length > max) throw new UsageError(`unexpected argument '${rest[max]}'`);
  };
  switch (mode) {
    case 'pass':
      need(0, 0, 'no arguments');
      return policy(MODE_PASS);
    case 'percent':
      need(1, 1, 'the percentage of packets to pass (0-100)');
      return policy(MODE_PERCENT, parsePercent(rest[0], 'percentage to pass'));
    case 'loss':
      need(1, 1, 'the percentage of packets to drop (0-100)');
      return policy(MODE_PERCENT, 100 - parsePercent(rest[0], 'loss percentage'));
    case 'time':
      need(2, 2, 'two durations: ON (pass) and OFF (drop), in 10 ms ticks or e.g. 500ms, 1.5s');
      return policy(MODE_TIME, parseDuration(rest[0], 'relay time'), parseDuration(rest[1], 'drop time'));
    case 'gemodel':
      need(2, 4, 'P and R, and optionally 1-H and 1-K: percentages (e.g. gemodel 1 20)');
      return policy(
        MODE_GEMODEL,
        parsePpmPercent(rest[0], 'P (good to bad)'),
        parsePpmPercent(rest[1], 'R (bad to good)'),
        rest[2] === undefined ? PPM : parsePpmPercent(rest[2], '1-H (loss in the bad state)'),
        rest[3] === undefined ? 0 : parsePpmPercent(rest[3], '1-K (loss in the good state)'),
      );
    default:
      throw new UsageError(`unknown mode '${words[0]}' (${MODE_HELP})`);
  }
}

/** Turns the words after the options into a request.  Throws UsageError. */
export function parseInsanelyArgs(args: readonly string[], o: InsanelyOptions = {}): InsanelyRequest {
  const dev = o.interface;
  if (dev !== undefined) parseIfname(dev, 'device name');
  const seed = o.seed === undefined ? undefined : parseSeed(o.seed);
  const revertMs = o.for === undefined ? undefined : parseRevertDuration(o.for);
  const dir = direction(o);
  const dirGiven = o.tx || o.rx || o.both;

  if (args.length === 0) {
    if (seed !== undefined) throw new UsageError(`--seed needs a mode (${MODE_HELP})`);
    if (revertMs !== undefined) throw new UsageError(`--for needs a mode (${MODE_HELP})`);
    if (dirGiven) throw new UsageError('--tx, --rx and --both need a mode: bare insanely shows both directions');
    return { kind: 'show', dev };
  }
  if (args.length === 1 && args[0].toLowerCase() === 'none') {
    if (seed !== undefined) throw new UsageError("--seed makes no sense with 'none' (nothing is dropped)");
    if (revertMs !== undefined || dirGiven) {
      throw new UsageError("'none' detaches the slave from the device: it takes no --tx, --rx, --both or --for");
    }
    return { kind: 'set', dev, slave: '', policy: policy(MODE_PASS), direction: 'tx' };
  }

  const slave = parseIfname(args[0], 'slave name');
  if (args.length < 2) throw new UsageError(`missing mode after '${slave}' (${MODE_HELP})`);
  const p = parsePolicy(args.slice(1));
  if (revertMs !== undefined && p.mode === MODE_PASS) {
    throw new UsageError('--for reverts to pass after a while: it makes no sense with pass itself');
  }
  return { kind: 'set', dev, slave, policy: p, direction: dir, seed, revertMs };
}
