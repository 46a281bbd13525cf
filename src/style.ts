/*
 * The one module that decides colour.
 *
 * --color=never: never.  --color=always: always, even into a pipe and
 * even with NO_COLOR set (an explicit flag wins, as no-color.org asks).
 * --color=auto (the default): only when the stream is a terminal, NO_COLOR
 * is unset or empty, and TERM is not "dumb".  chalk 4 ignores NO_COLOR, so
 * the level is decided here and given to a chalk instance.
 */
import { UsageError } from './errors';

export type ColorMode = 'auto' | 'always' | 'never';
export const COLOR_MODES: readonly ColorMode[] = ['auto', 'always', 'never'];

export interface TtyLike {
  isTTY?: boolean;
}

export function parseColorMode(s: string): ColorMode {
  if ((COLOR_MODES as readonly string[]).includes(s)) return s as ColorMode;
  throw new UsageError(`invalid --color '${s}': use auto, always or never`);
}

/** true when output to `stream` should be coloured. */
export function useColor(
  mode: ColorMode,
  stream: TtyLike,
  env: Record<string, string | undefined>,
): boolean {
  if (mode === 'never') return false;
  if (mode === 'always') return true;
  if (env.NO_COLOR !== undefined && env.NO_COLOR !== '') return false;
  if (env.TERM === 'dumb') return false;
  return stream.isTTY === true;
}

export interface Style {
  readonly enabled: boolean;
  bold(s: string): string;
  red(s: string): string;
  green(s: string): string;
  yellow(s: string): string;
  cyan(s: string): string;
  dim(s: string): string;
}

const same = (s: string): string => s;

/**
 * Plain output needs no chalk: it is loaded only for colour (chalk and
 * supports-color cost a command ~50 ms of start-up in the lab guest).
 */
export function makeStyle(enabled: boolean): Style {
  if (!enabled) {
    return { enabled, bold: same, red: same, green: same, yellow: same, cyan: same, dim: same };
  }
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const chalk = require('chalk') as typeof import('chalk');
  const c = new chalk.Instance({ level: 1 });
  return {
    enabled,
    bold: (s) => c.bold(s),
    red: (s) => c.red(s),
    green: (s) => c.green(s),
    yellow: (s) => c.yellow(s),
    cyan: (s) => c.cyan(s),
    dim: (s) => c.dim(s),
  };
}

export const PLAIN: Style = makeStyle(false);
