import { existsSync, readdirSync, statSync } from 'node:fs';
import { join, posix } from 'node:path';

/*
 * Reads the Dockerfile and .dockerignore well enough to say which files the image ships: the build
 * context (minus .dockerignore), each stage's COPY lines, and what `npm ci` makes in the build stage
 * (its postinstall compiles the stage's src/ and flows/ into dist/ as scripts/build.mjs does here).
 */

export interface Instruction {
  op: string;
  args: string;
}

export interface Stage {
  base: string;
  name?: string;
  workdir: string;
  instructions: Instruction[];
}

export interface Copy {
  from?: string;
  sources: string[];
  dest: string;
}

/** The stages of a Dockerfile, with continuation lines joined and comments dropped. */
export function parseDockerfile(text: string): Stage[] {
  const logical: string[] = [];
  let acc = '';
  for (const raw of text.split('\n')) {
    const line = raw.trim();
    if (!acc && (line === '' || line.startsWith('#'))) continue;
    if (line.startsWith('#')) continue;
    if (line.endsWith('\\')) acc += line.slice(0, -1) + ' ';
    else {
      logical.push(acc + line);
      acc = '';
    }
  }
  const stages: Stage[] = [];
  for (const l of logical) {
    const m = /^(\S+)\s+(.*)$/.exec(l);
    if (!m) continue;
    const op = m[1]!.toUpperCase();
    const args = m[2]!.trim();
    if (op === 'FROM') {
      const f = /^(\S+)(?:\s+AS\s+(\S+))?$/i.exec(args)!;
      stages.push({ base: f[1]!, ...(f[2] ? { name: f[2] } : {}), workdir: '/', instructions: [] });
      continue;
    }
    const stage = stages.at(-1)!;
    if (op === 'WORKDIR') stage.workdir = posix.resolve(stage.workdir, args);
    stage.instructions.push({ op, args });
  }
  return stages;
}

/** A COPY line's `--from`, sources and destination (shell or JSON form). */
export function parseCopy(args: string): Copy {
  let rest = args;
  let from: string | undefined;
  for (;;) {
    const flag = /^--([a-z-]+)(?:=(\S+))?\s+/.exec(rest);
    if (!flag) break;
    if (flag[1] === 'from') from = flag[2];
    rest = rest.slice(flag[0].length);
  }
  const parts = rest.startsWith('[') ? (JSON.parse(rest) as string[]) : rest.split(/\s+/);
  return { ...(from ? { from } : {}), sources: parts.slice(0, -1), dest: parts.at(-1)! };
}

/** .dockerignore as a predicate on context-relative paths (last matching pattern wins, `!` re-includes). */
export function dockerignore(text: string): (path: string) => boolean {
  const rules = text
    .split('\n')
    .map((l) => l.trim())
    .filter((l) => l && !l.startsWith('#'))
    .map((l) => {
      const negate = l.startsWith('!');
      const pattern = posix.normalize((negate ? l.slice(1) : l).replace(/^\/+/, ''));
      const re = new RegExp(
        '^' +
          pattern
            .split(/(\*\*|\*|\?)/)
            .map((t) => (t === '**' ? '.*' : t === '*' ? '[^/]*' : t === '?' ? '[^/]' : t.replace(/[.+^${}()|[\]\\]/g, '\\$&')))
            .join('') +
          '(/.*)?$',
      );
      return { negate, re };
    });
  return (path) => {
    let ignored = false;
    for (const r of rules) if (r.re.test(path)) ignored = !r.negate;
    return ignored;
  };
}

/** Every file under `dir` of the context that .dockerignore lets through (context-relative). */
export function contextFiles(root: string, dir: string, ignored: (p: string) => boolean): string[] {
  const full = join(root, dir);
  if (!existsSync(full)) return [];
  if (statSync(full).isFile()) return ignored(dir) ? [] : [dir];
  return readdirSync(full, { withFileTypes: true }).flatMap((d) => {
    const rel = posix.join(dir, d.name);
    if (ignored(rel)) {
      // An exception below an ignored folder can bring files back (`scripts/*` then `!scripts/build.mjs`).
      return d.isDirectory() ? contextFiles(root, rel, ignored) : [];
    }
    return d.isDirectory() ? contextFiles(root, rel, ignored) : [rel];
  });
}

/** A stage's files as absolute paths in the image, each with where it comes from (for reading it here). */
export type FileMap = Map<string, { origin: 'context' | 'build'; path: string }>;

/** Applies a stage's COPY lines: from the context, or from an earlier stage's files. */
export function copyInto(stage: Stage, root: string, ignored: (p: string) => boolean, stages: Map<string, FileMap>): FileMap {
  const files: FileMap = new Map();
  for (const i of stage.instructions.filter((x) => x.op === 'COPY')) {
    const c = parseCopy(i.args);
    const dest = posix.resolve(stage.workdir, c.dest);
    for (const src of c.sources) {
      if (c.from) {
        const other = stages.get(c.from);
        if (!other) throw new Error(`COPY --from=${c.from}: no such stage`);
        const base = posix.resolve('/', src);
        for (const [p, f] of other) if (p === base || p.startsWith(base + '/')) files.set(posix.join(dest, posix.relative(base, p)) || dest, f);
      } else {
        const rel = posix.normalize(src).replace(/\/$/, '');
        for (const f of contextFiles(root, rel, ignored)) {
          const isDirSource = statSync(join(root, rel)).isDirectory();
          const target = isDirSource ? posix.join(dest, posix.relative(rel, f)) : c.dest.endsWith('/') ? posix.join(dest, posix.basename(f)) : dest;
          files.set(target, { origin: 'context', path: f });
        }
      }
    }
  }
  return files;
}
