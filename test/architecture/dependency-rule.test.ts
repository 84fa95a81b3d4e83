import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';

const ROOT = resolve(new URL('../../', import.meta.url).pathname);
const FLOWS = join(ROOT, 'flows');

/** Every TypeScript file under a folder. */
function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((d) =>
    d.isDirectory() ? sourceFiles(join(dir, d.name)) : /\.(m|c)?tsx?$/.test(d.name) ? [join(dir, d.name)] : [],
  );
}

/** One import of a module (static, re-export, dynamic or require) and whether it is type-only. */
interface Import {
  spec: string;
  typeOnly: boolean;
  line: number;
}

/** The imports of a TypeScript source. */
function importsOf(fileName: string, text: string): Import[] {
  const sf = ts.createSourceFile(fileName, text, ts.ScriptTarget.Latest, true);
  const found: Import[] = [];
  const at = (n: ts.Node) => sf.getLineAndCharacterOfPosition(n.getStart(sf)).line + 1;
  const visit = (n: ts.Node): void => {
    if (ts.isImportDeclaration(n) && ts.isStringLiteral(n.moduleSpecifier)) {
      const c = n.importClause;
      const typeOnly = Boolean(
        c && (c.isTypeOnly || (!c.name && c.namedBindings && ts.isNamedImports(c.namedBindings) && c.namedBindings.elements.length > 0 && c.namedBindings.elements.every((e) => e.isTypeOnly))),
      );
      found.push({ spec: n.moduleSpecifier.text, typeOnly, line: at(n) });
    } else if (ts.isExportDeclaration(n) && n.moduleSpecifier && ts.isStringLiteral(n.moduleSpecifier)) {
      found.push({ spec: n.moduleSpecifier.text, typeOnly: n.isTypeOnly, line: at(n) });
    } else if (ts.isImportEqualsDeclaration(n) && ts.isExternalModuleReference(n.moduleReference) && ts.isStringLiteral(n.moduleReference.expression)) {
      found.push({ spec: n.moduleReference.expression.text, typeOnly: n.isTypeOnly, line: at(n) });
    } else if (ts.isCallExpression(n) && (n.expression.kind === ts.SyntaxKind.ImportKeyword || (ts.isIdentifier(n.expression) && n.expression.text === 'require'))) {
      const arg = n.arguments[0];
      found.push({ spec: arg && ts.isStringLiteralLike(arg) ? arg.text : '(computed)', typeOnly: false, line: at(n) });
    } else if (ts.isImportTypeNode(n)) {
      return; // `import('x').T` in a type position is type-only
    }
    ts.forEachChild(n, visit);
  };
  visit(sf);
  return found;
}

/**
 * What a file under flows/ may import at run time: other files under flows/ and XState. Type-only
 * imports are erased and carry no I/O, so they are allowed from anywhere.
 */
function offendingImports(file: string, text: string): string[] {
  return importsOf(file, text)
    .filter((i) => !i.typeOnly)
    .filter((i) => {
      if (/^xstate(\/|$)/.test(i.spec)) return false;
      if (i.spec.startsWith('.')) {
        const target = resolve(dirname(file), i.spec);
        return !(target === FLOWS || target.startsWith(FLOWS + '/'));
      }
      return true;
    })
    .map((i) => `${relative(ROOT, file)}:${i.line} imports '${i.spec}'`);
}

describe('dependency rule: flows/ does no I/O', () => {
  it('every file under flows/ imports only flows/ and xstate (type-only imports aside)', () => {
    const files = sourceFiles(FLOWS);
    expect(files.length).toBeGreaterThan(0);
    const offending = files.flatMap((f) => offendingImports(f, readFileSync(f, 'utf8')));
    expect(offending, `flows must reach I/O through named actors provided from src/ (flows/shared/port.ts):\n${offending.join('\n')}`).toEqual([]);
  });

  it('catches each kind of forbidden import', () => {
    const file = join(FLOWS, 'probe/machine.ts');
    const text = [
      `import { setup } from 'xstate';`,
      `import { createTestModel } from 'xstate/graph';`,
      `import { say } from '../shared/say.js';`,
      `import type { Outbound } from '../../src/engine/types.js';`,
      `import { type FlowInput } from '../shared/protocol.js';`,
      `import { PrismaClient } from '@prisma/client';`,
      `import { createClient } from 'redis';`,
      `import { Bot } from 'grammy';`,
      `import { App } from '@slack/bolt';`,
      `import { readFileSync } from 'node:fs';`,
      `import fs from 'fs';`,
      `import pg from 'pg';`,
      `import { Engine } from '../../src/engine/engine.js';`,
      `export { audit } from '../../src/services/audit.js';`,
      `const later = await import('node:child_process');`,
      `const old = require('ioredis');`,
      `import { type Tx, openPglite } from '../../src/infra/db/database.js';`,
    ].join('\n');
    expect(offendingImports(file, text)).toEqual([
      "flows/probe/machine.ts:6 imports '@prisma/client'",
      "flows/probe/machine.ts:7 imports 'redis'",
      "flows/probe/machine.ts:8 imports 'grammy'",
      "flows/probe/machine.ts:9 imports '@slack/bolt'",
      "flows/probe/machine.ts:10 imports 'node:fs'",
      "flows/probe/machine.ts:11 imports 'fs'",
      "flows/probe/machine.ts:12 imports 'pg'",
      "flows/probe/machine.ts:13 imports '../../src/engine/engine.js'",
      "flows/probe/machine.ts:14 imports '../../src/services/audit.js'",
      "flows/probe/machine.ts:15 imports 'node:child_process'",
      "flows/probe/machine.ts:16 imports 'ioredis'",
      "flows/probe/machine.ts:17 imports '../../src/infra/db/database.js'",
    ]);
  });
});
