import { readFileSync, readdirSync } from 'fs';
import { join } from 'path';

const ROOT = join(__dirname, '..', '..');
const COMMANDS = ['vnet-up', 'vnet-down', 'vnetconfig', 'insanely', 'vnet-reset-stats', 'vnet-echo'];

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
