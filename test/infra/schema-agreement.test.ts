import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Database } from '../../src/infra/db/database.js';
import { SETUPS, testDatabase } from '../support/db.js';
import { datamodelOf, readCatalog, schemaDrift, type Catalog, type Datamodel, type DmmfModel } from './schema-catalog.js';

const SCHEMA_FILE = new URL('../../prisma/schema.prisma', import.meta.url);
const schemaText = readFileSync(SCHEMA_FILE, 'utf8');
const dm: Datamodel = datamodelOf(schemaText);

/** Models ordered so that every model comes after the models its foreign keys point to. */
function parentsFirst(models: DmmfModel[]): DmmfModel[] {
  const out: DmmfModel[] = [];
  const visit = (m: DmmfModel, path: string[]) => {
    if (out.includes(m)) return;
    if (path.includes(m.name)) throw new Error(`relation cycle ${path.join(' → ')}: extend the round-trip test`);
    for (const f of m.fields) if (f.kind === 'object' && f.relationFromFields?.length) visit(models.find((x) => x.name === f.type)!, [...path, m.name]);
    out.push(m);
  };
  models.forEach((m) => visit(m, []));
  return out;
}

/**
 * Values the database's own CHECK constraints demand (migration SQL after the Prisma part): the
 * probe row uses these instead of the generic sample.
 */
const CHECKED: Record<string, Record<string, unknown>> = {
  ApprovalRequest: { kind: 'refund', status: 'approved', outcome: 'done' },
};

/** A value of a Prisma scalar type, unlike any default, that must survive a round trip exactly. */
function sample(model: string, field: string, type: string): unknown {
  const checked = CHECKED[model];
  if (checked && field in checked) return checked[field];
  switch (type) {
    case 'String':
      return `${model}.${field} ✓ 日本`;
    case 'Int':
      return 2_000_000_007;
    case 'BigInt':
      return 9_007_199_254_740_993n; // above 2^53: only a bigint keeps it
    case 'Boolean':
      return true;
    case 'DateTime':
      return new Date('2026-11-28T01:02:03.456Z');
    case 'Json':
      return { kind: 'probe', n: [1, 2, 3], nested: { ok: true, text: 'ü' } };
    default:
      throw new Error(`no sample for ${type}: extend the round-trip test`);
  }
}

describe('schema agreement checker', () => {
  it('reports a schema.prisma edit that has no migration', async () => {
    const db = await testDatabase('pglite');
    try {
      const catalog = await readCatalog(db.raw);
      // The same schema, edited as a developer might forget to migrate.
      const edited = schemaText
        .replace(/model Member \{\n/, 'model Member {\n  nickname String?\n')
        .replace(/(\n  last4\s+)String/, '$1Int')
        .replace(/\n  @@index\(\[status, nextAttemptAt\]\)\n\}\n\n\/\/\/ Messages/, '\n}\n\n/// Messages')
        .replace(/onDelete: SetNull\)/, 'onDelete: Cascade)')
        .replace(/(  status\s+String\s+)@default\("pending"\)( \/\/ pending \| active)/, '$1@default("new")$2')
        .concat('\nmodel Extra {\n  id String @id\n}\n');
      expect(schemaDrift(datamodelOf(edited), catalog).sort()).toEqual(
        [
          'column Member.nickname: missing',
          'column Card.last4: type text, schema says Int (integer)',
          `column Member.status: default 'pending'::text, schema says 'new'::text`,
          'index Outbox.Outbox_status_nextAttemptAt_idx (status,nextAttemptAt): not in schema.prisma',
          'foreign key Card.Card_memberId_fkey (memberId) → Member(id) ON DELETE Cascade ON UPDATE Cascade: missing',
          'foreign key Card.Card_memberId_fkey (memberId) → Member(id) ON DELETE SetNull ON UPDATE Cascade: not in schema.prisma',
          'table Extra: missing',
          'column Extra.id: missing',
          'index Extra.Extra_pkey (id) primary key: missing',
        ].sort(),
      );
    } finally {
      await db.close();
    }
  });
});

for (const setup of SETUPS) {
  describe(`migrated ${setup.db} database agrees with schema.prisma`, () => {
    let db: Database;
    let catalog: Catalog;
    beforeAll(async () => {
      db = await testDatabase(setup.db);
      catalog = await readCatalog(db.raw);
    });
    afterAll(async () => {
      await db?.close();
    });

    it('has every model as a table with the right columns, indexes and foreign keys, and nothing else', () => {
      expect(catalog.tables.length).toBe(dm.models.length);
      expect(schemaDrift(dm, catalog)).toEqual([]);
    });

    it('writes and reads back one row of every model through the Prisma client', async () => {
      const written = new Map<string, Record<string, unknown>>();
      for (const m of parentsFirst(dm.models)) {
        const data: Record<string, unknown> = {};
        const fkValue = new Map<string, unknown>();
        for (const f of m.fields) {
          if (f.kind !== 'object' || !f.relationFromFields?.length) continue;
          const parent = written.get(f.type)!;
          f.relationFromFields.forEach((from, i) => fkValue.set(from, parent[f.relationToFields![i]!]));
        }
        for (const f of m.fields) {
          if (f.kind !== 'scalar') continue;
          const d = f.default as { name?: string } | undefined;
          if (d && typeof d === 'object' && d.name === 'autoincrement') continue;
          data[f.name] = fkValue.has(f.name) ? fkValue.get(f.name) : sample(m.name, f.name, f.type);
        }
        const delegate = (db.prisma as unknown as Record<string, { create(a: unknown): Promise<Record<string, unknown>>; findUniqueOrThrow(a: unknown): Promise<Record<string, unknown>> }>)[
          m.name[0]!.toLowerCase() + m.name.slice(1)
        ]!;
        // A posting alone would not balance its entry, which the database refuses at commit: the
        // probe goes in with its opposite leg, in one transaction.
        const created = m.name === 'Posting'
          ? (await db.prisma.$transaction([
              db.prisma.posting.create({ data: data as never }),
              db.prisma.posting.create({ data: { ...(data as object), amount: -(data.amount as bigint) } as never }),
            ]))[0] as unknown as Record<string, unknown>
          : await delegate.create({ data });
        const idFields = m.primaryKey?.fields ?? m.fields.filter((f) => f.isId).map((f) => f.name);
        const where = idFields.length === 1 ? { [idFields[0]!]: created[idFields[0]!] } : { [idFields.join('_')]: Object.fromEntries(idFields.map((n) => [n, created[n]])) };
        const read = await delegate.findUniqueOrThrow({ where });
        for (const [k, v] of Object.entries(data)) expect(read[k], `${m.name}.${k}`).toEqual(v);
        const scalars = m.fields.filter((f) => f.kind === 'scalar').map((f) => f.name);
        expect(Object.keys(read).sort(), m.name).toEqual(scalars.sort());
        written.set(m.name, read);
      }
      expect([...written.keys()].sort()).toEqual(dm.models.map((m) => m.name).sort());
    });
  });
}
