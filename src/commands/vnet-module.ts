/*
 * vnet-module install|uninstall|status: the kernel module that ships in
 * the npm package (kernel/), built and installed with DKMS for a kernel,
 * removed, or looked at.  See src/module/dkms.ts for what is done.
 */
import { Argument } from 'commander';
import { join, resolve } from 'node:path';

import { mainOf, newProgram, runProgram } from '../cli';
import type { Context } from '../context';
import { CliError, UsageError } from '../errors';
import { EXIT_FAILURE, EXIT_NOT_FOUND, EXIT_OK, EXIT_PERMISSION } from '../exit';
import { formatStatus, formatStep, statusJson } from '../format/module';
import { toJson } from '../format/json';
import { moduleStatus, packageSources, planInstall, planUninstall, Step } from '../module/dkms';
import { ModuleSystem, realSystem } from '../module/system';

const NAME = 'vnet-module';
const ACTIONS = ['install', 'uninstall', 'status'];

/** kernel/ of this package: src/commands/ and dist/commands/ are two levels below the root. */
export const KERNEL_DIR = resolve(__dirname, '..', '..', 'kernel');

interface Opts {
  kernel?: string;
  dryRun?: boolean;
  force?: boolean;
  json?: boolean;
}

const EXAMPLES = `
Examples:
  sudo vnet-module install          build and install vnet.ko for the running kernel
  sudo modprobe vnet                then load it
  vnet-module install -n            print the commands instead of running them
  sudo vnet-module install -k 6.12.30-amd64
  vnet-module status                sources, DKMS state, installed and loaded module
  sudo vnet-module uninstall`;

export async function run(
  argv: readonly string[],
  ctx: Context,
  sys: ModuleSystem = realSystem(),
  kernelDir: string = KERNEL_DIR,
): Promise<number> {
  const program = newProgram(
    NAME,
    ctx,
    'Build and install the vnet kernel module with DKMS from the sources in this package, remove it, or show its state.',
    { netns: false }, // its -n is --dry-run; DKMS has no network namespace
  )
    .addArgument(new Argument('<action>', 'install, uninstall or status').choices(ACTIONS))
    .option('-k, --kernel <release>', 'the kernel to build for or look at (default: the running one, uname -r)')
    .option('-n, --dry-run', 'install, uninstall: print the commands instead of running them')
    .option('-f, --force', 'install: rebuild and reinstall even if these sources are installed already')
    .option('-j, --json', 'status: print it as compact JSON')
    .addHelpText('after', EXAMPLES);

  return runProgram(NAME, program, argv, ctx, (io, p) => {
    const action = p.args[0] as string;
    const opts = p.opts<Opts>();
    if (opts.json && action !== 'status') throw new UsageError('-j/--json is for status only');
    if (opts.force && action !== 'install') throw new UsageError('-f/--force is for install only');
    if (opts.dryRun && action === 'status') throw new UsageError('-n/--dry-run is for install and uninstall');
    const kernel = opts.kernel ?? sys.release();
    if (!/^[A-Za-z0-9][A-Za-z0-9._+~-]*$/.test(kernel)) {
      throw new UsageError(`'${kernel}' is not a kernel release (as uname -r prints it)`);
    }
    const src = packageSources(sys, kernelDir);

    if (action === 'status') {
      const st = moduleStatus(sys, src, kernel);
      if (opts.json) io.line(toJson(statusJson(st)));
      else for (const l of formatStatus(st, io.out)) io.line(l);
      const dkmsInstalled = st.dkms?.some((e) => e.kernel === kernel && e.state === 'installed');
      return st.module || dkmsInstalled ? EXIT_OK : EXIT_NOT_FOUND;
    }

    let steps: Step[];
    if (action === 'install') {
      const plan = planInstall(sys, src, kernel, opts.force ?? false);
      if (plan.unchanged) {
        io.line(`vnet ${src.version} is installed for Linux ${kernel} already: unchanged (--force rebuilds it)`);
        return EXIT_OK;
      }
      steps = plan.steps;
    } else {
      steps = planUninstall(sys);
      if (steps.length === 0) {
        io.line('vnet is not installed with DKMS: nothing to do');
        return EXIT_OK;
      }
    }

    if (opts.dryRun) {
      for (const s of steps) io.line(formatStep(s));
      return EXIT_OK;
    }
    if (!sys.isRoot()) {
      throw new CliError(EXIT_PERMISSION, `${action} needs root: DKMS writes /usr/src, /var/lib/dkms and /lib/modules`, [
        `(sudo ${NAME} ${action}; ${NAME} ${action} -n shows what it would run)`,
      ]);
    }
    for (const s of steps) {
      ctx.stderr.write(`+ ${formatStep(s)}\n`);
      if (s.kind === 'run') {
        const status = sys.exec(s.argv);
        if (status !== 0) throw new CliError(EXIT_FAILURE, `'${s.argv.join(' ')}' failed (exit ${status})`);
      } else if (s.kind === 'copy') {
        for (const f of s.files) sys.copyFile(join(s.from, f), join(s.to, f));
      } else {
        sys.removeTree(s.path);
      }
    }

    if (action === 'install') {
      io.line(`vnet ${src.version} is installed for Linux ${kernel} (DKMS); load it with 'modprobe vnet'`);
      const loaded = kernel === sys.release() ? moduleStatus(sys, src, kernel).loaded : undefined;
      if (loaded && loaded.version !== src.version) {
        io.warn(`the loaded module is version ${loaded.version ?? 'unknown'}: 'rmmod vnet; modprobe vnet' replaces it`);
      }
    } else {
      io.line('vnet is removed from DKMS and /usr/src');
      if (sys.exists('/sys/module/vnet')) io.warn("vnet is still loaded: 'rmmod vnet' unloads it");
    }
    return EXIT_OK;
  });
}

export const main = mainOf(run);
