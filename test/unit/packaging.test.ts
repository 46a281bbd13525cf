import { readFileSync, readdirSync } from 'fs';
import { join } from 'path';

const ROOT = join(__dirname, '..', '..');
const COMMANDS = ['vnet-up', 'vnet-down', 'vnetconfig', 'insanely', 'vnet-reset-stats', 'vnet-echo', 'vnet-monitor'];

describe('packaging', () => {
  const pkg = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8'));

  test.each(COMMANDS)('%s: bin shim, package.json bin and man entries, a man page with the exit codes', (cmd) => {
    expect(pkg.bin[cmd]).toBe(`bin/${cmd}`);
    expect(readFileSync(join(ROOT, 'bin', cmd), 'utf8')).toBe(
      `#!/usr/bin/env node\nrequire('../dist/commands/${cmd}').main();\n`,
    );
    expect(pkg.man).toContain(`docs/man/${cmd}.1`);
    const man = readFileSync(join(ROOT, 'docs', 'man', `${cmd}.1`), 'utf8');
    for (const section of ['NAME', 'SYNOPSIS', 'DESCRIPTION', 'OPTIONS', 'EXIT STATUS', 'EXAMPLES', 'SEE ALSO']) {
      expect(man).toContain(`.SH ${section}`);
    }
    expect(man).toMatch(/\.B 4\nPermission denied/);
  });

  test.each(COMMANDS)('%s: a man page that names every other command and the environment', (cmd) => {
    const man = readFileSync(join(ROOT, 'docs', 'man', `${cmd}.1`), 'utf8');
    const seeAlso = man.slice(man.indexOf('.SH SEE ALSO'));
    for (const other of COMMANDS.filter((c) => c !== cmd)) expect([cmd, seeAlso]).toEqual([cmd, expect.stringContaining(`.BR ${other} (1)`)]);
    const env = man.slice(man.indexOf('.SH ENVIRONMENT'), man.indexOf('.SH', man.indexOf('.SH ENVIRONMENT') + 1));
    expect(env).toContain('.B NO_COLOR');
    expect(env).toContain('.B TERM');
    expect(man).toMatch(/\\-n ", " \\-\\-netns/); // -n/--netns everywhere
  });

  test.each(COMMANDS)('%s: a bash completion file, shipped with the package', (cmd) => {
    const f = readFileSync(join(ROOT, 'share', 'bash-completion', 'completions', cmd), 'utf8');
    expect(f).toContain('vnet-tools.bash');
    const tools = readFileSync(join(ROOT, 'share', 'bash-completion', 'completions', 'vnet-tools.bash'), 'utf8');
    expect(tools).toMatch(new RegExp(`^complete -F \\w+ ${cmd}$`, 'm'));
    expect(pkg.files).toContain('share/bash-completion/');
  });

  test('one source file per command, each exporting run and main', () => {
    const files = readdirSync(join(ROOT, 'src', 'commands')).filter((f) => f.endsWith('.ts')).sort();
    expect(files).toEqual(COMMANDS.map((c) => `${c}.ts`).sort());
    for (const c of COMMANDS) {
      // eslint-disable-next-line @typescript-eslint/no-require-imports
      const m = require(join(ROOT, 'src', 'commands', c));
      expect(typeof m.run).toBe('function');
      expect(typeof m.main).toBe('function');
    }
  });
});
