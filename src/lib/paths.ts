import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

let root: string | undefined;

/**
 * The package root: the nearest folder above this file with a package.json. The same folder whether
 * this runs from src/ (tsx, vitest) or from the compiled dist/src/ (npm start, the CLI, the image),
 * so files read at run time — prisma/migrations, the .ftl catalogues, the PGlite image in
 * node_modules — are found from here, never from the running file's own folder.
 */
export function packageRoot(): string {
  if (root !== undefined) return root;
  let dir = dirname(fileURLToPath(import.meta.url));
  while (!existsSync(join(dir, 'package.json'))) {
    const up = dirname(dir);
    if (up === dir) throw new Error(`no package.json above ${fileURLToPath(import.meta.url)}`);
    dir = up;
  }
  return (root = dir);
}

/** A path inside the package root, e.g. `fromRoot('prisma', 'migrations')`. */
export function fromRoot(...parts: string[]): string {
  return join(packageRoot(), ...parts);
}
