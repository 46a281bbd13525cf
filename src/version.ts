/**
 * The package version.  package.json is required, not read from a path
 * computed at run time, so that a command bundled into one file
 * (scripts/bundle.js, dist/bundle/) carries it; src/ and dist/ are both
 * one level below the package root.
 */
export function packageVersion(): string {
  try {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const pkg = require('../package.json') as { version?: string };
    return pkg.version ?? 'unknown';
  } catch {
    return 'unknown';
  }
}
