import { readFileSync } from 'fs';
import { join } from 'path';

/** The package version, from package.json (src/ and dist/ are both one level below it). */
export function packageVersion(): string {
  try {
    const pkg = JSON.parse(readFileSync(join(__dirname, '..', 'package.json'), 'utf8')) as {
      version?: string;
    };
    return pkg.version ?? 'unknown';
  } catch {
    return 'unknown';
  }
}
