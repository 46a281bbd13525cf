/*
 * What every command shares: commander set up to never exit the process
 * (usage errors → exit 2 and "Try 'CMD --help'"), -h/-V/--color, the
 * error reporting through src/errors.ts, and output helpers.
 */
import { Command, CommanderError, Option } from 'commander';
import { Context, processContext } from './context';
import { diagnose, ErrorContext } from './errors';
import { EXIT_OK, EXIT_USAGE } from './exit';
import { enterNetns } from './netns';
import { ColorMode, COLOR_MODES, makeStyle, Style, useColor } from './style';
import { packageVersion } from './version';

export const EXIT_STATUS_HELP = `
Exit status:
  0  success
  1  the kernel refused or the operation failed
  2  usage: bad syntax or value, or several vnet devices and none
     named (nothing was sent to the kernel)
  3  not found: no such device, not a vnet device, no such slave,
     module not loaded
  4  permission denied (CAP_NET_ADMIN is needed)`;

/** Output and error reporting for one run of one command. */
export class Io {
  readonly out: Style;
  readonly err: Style;

  constructor(
    readonly name: string,
    readonly ctx: Context,
    color: ColorMode,
  ) {
    this.out = makeStyle(useColor(color, ctx.stdout, ctx.env));
    this.err = makeStyle(useColor(color, ctx.stderr, ctx.env));
  }

  /** Writes text to stdout as is. */
  print(text: string): void {
    this.ctx.stdout.write(text);
  }

  line(text = ''): void {
    this.ctx.stdout.write(`${text}\n`);
  }

  /** One diagnostic line on stderr, prefixed with the command's name. */
  warn(text: string): void {
    this.ctx.stderr.write(`${this.name}: ${text}\n`);
  }

  /** Reports any failure; returns its exit code. */
  fail(e: unknown, ectx: ErrorContext = {}): number {
    const d = diagnose(e, ectx);
    this.ctx.stderr.write(`${this.name}: ${this.err.red(d.message)}\n`);
    for (const l of d.details) this.ctx.stderr.write(`${l}\n`);
    if (d.exitCode === EXIT_USAGE) this.tryHelp();
    return d.exitCode;
  }

  tryHelp(): void {
    this.ctx.stderr.write(`Try '${this.name} --help' for more information.\n`);
  }
}

export interface ProgramOptions {
  /** -n/--netns NAME (default true); false for a command that does not
   * talk to vnet devices and uses -n otherwise (vnet-module: --dry-run) */
  netns?: boolean;
}

/** A commander program with the options and behaviour every command shares. */
export function newProgram(
  name: string,
  ctx: Context,
  description: string,
  popts: ProgramOptions = {},
): Command {
  const p = new Command(name);
  p.description(description)
    .version(packageVersion(), '-V, --version', 'print the version and exit')
    .helpOption('-h, --help', 'print this help and exit')
    .addOption(
      new Option('--color <when>', 'colour the output: auto, always or never')
        .choices(COLOR_MODES as string[])
        .default('auto'),
    )
    .exitOverride()
    .configureOutput({
      writeOut: (s) => ctx.stdout.write(s),
      writeErr: (s) => ctx.stderr.write(s),
      outputError: (s, write) => write(`${name}: ${s.replace(/^error: /, '')}`),
      // commander's defaults ask process.stdout, whose creation costs
      // start-up time (src/stdio.ts); help and usage text have no colour
      getOutHelpWidth: () => ctx.stdout.columns ?? 80, // 80: commander's own default
      getErrHelpWidth: () => ctx.stderr.columns ?? 80,
      getOutHasColors: () => false,
      getErrHasColors: () => false,
    })
    .showSuggestionAfterError(true)
    .allowExcessArguments(false);
  if (popts.netns !== false) {
    p.option('-n, --netns <name>', 'run in network namespace NAME (ip -n): /run/netns/NAME, or an absolute path');
  }
  return p;
}

/**
 * Parses argv (the user's arguments only) with `program`, then runs
 * `body`.  Returns the exit code; never exits the process.
 */
export async function runProgram(
  name: string,
  program: Command,
  argv: readonly string[],
  ctx: Context,
  body: (io: Io, program: Command) => Promise<number> | number,
): Promise<number> {
  program.addHelpText('after', EXIT_STATUS_HELP); // last, after any command-specific text
  try {
    program.parse([...argv], { from: 'user' });
  } catch (e) {
    if (e instanceof CommanderError) {
      if (e.exitCode === 0) return EXIT_OK; // --help, --version
      ctx.stderr.write(`Try '${name} --help' for more information.\n`);
      return EXIT_USAGE;
    }
    throw e;
  }
  const opts = program.opts<{ color: ColorMode; netns?: string }>();
  const io = new Io(name, ctx, opts.color);
  try {
    // First of all: every socket opened from here on is in that namespace.
    if (opts.netns !== undefined) enterNetns(ctx.binding, opts.netns);
    return await body(io, program);
  } catch (e) {
    return io.fail(e);
  }
}

/** Entry point used by bin/: runs a command on the real process. */
export function mainOf(
  run: (argv: readonly string[], ctx: Context) => Promise<number>,
): () => Promise<void> {
  return async () => {
    process.exitCode = await run(process.argv.slice(2), processContext());
  };
}
