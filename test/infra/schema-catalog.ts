import { get_dmmf } from '@prisma/prisma-schema-wasm';
import type { RawSql } from '../../src/infra/db/database.js';

/** The parts of Prisma's DMMF the agreement check reads. */
export interface DmmfField {
  name: string;
  dbName?: string | null;
  kind: 'scalar' | 'object' | 'enum' | 'unsupported';
  type: string;
  isRequired: boolean;
  isList: boolean;
  isId: boolean;
  hasDefaultValue: boolean;
  default?: unknown;
  nativeType?: [string, string[]] | null;
  isUpdatedAt?: boolean;
  relationFromFields?: string[];
  relationToFields?: string[];
  relationOnDelete?: string;
  relationOnUpdate?: string;
}
/** One model of the DMMF. */
export interface DmmfModel {
  name: string;
  dbName: string | null;
  fields: DmmfField[];
  primaryKey: { fields: string[] } | null;
}
/** One index, unique constraint or id of the DMMF. */
export interface DmmfIndex {
  model: string;
  type: 'id' | 'unique' | 'normal' | 'fulltext';
  dbName?: string | null;
  fields: { name: string }[];
}
/** The datamodel of a Prisma schema. */
export interface Datamodel {
  models: DmmfModel[];
  indexes: DmmfIndex[];
}

/** Parses a schema with Prisma's own (WebAssembly) schema engine. */
export function datamodelOf(prismaSchema: string): Datamodel {
  return (JSON.parse(get_dmmf(JSON.stringify({ prismaSchema }))) as { datamodel: Datamodel }).datamodel;
}

const SQL_TYPE: Record<string, string> = {
  String: 'text',
  Int: 'integer',
  BigInt: 'bigint',
  Boolean: 'boolean',
  DateTime: 'timestamp(3) without time zone',
  Json: 'jsonb',
  Float: 'double precision',
  Decimal: 'numeric(65,30)',
  Bytes: 'bytea',
};

/** What the database holds, read from pg_catalog (works on PostgreSQL and PGlite). */
export interface Catalog {
  columns: { table: string; column: string; type: string; notnull: boolean; default: string | null }[];
  indexes: { table: string; name: string; unique: boolean; primary: boolean; columns: string }[];
  foreignKeys: { table: string; name: string; columns: string; refTable: string; refColumns: string; onDelete: string; onUpdate: string }[];
  tables: string[];
}

/** Reads tables, columns, indexes and foreign keys of the current schema. */
export async function readCatalog(raw: RawSql): Promise<Catalog> {
  const ns = 'current_schema()::regnamespace';
  const tables = (await raw.query<{ t: string }>(`SELECT relname AS t FROM pg_class WHERE relnamespace = ${ns} AND relkind = 'r' AND relname <> '_prisma_migrations' ORDER BY 1`)).map((r) => r.t);
  const columns = await raw.query<Catalog['columns'][number]>(
    `SELECT c.relname AS "table", a.attname AS "column", format_type(a.atttypid, a.atttypmod) AS type, a.attnotnull AS notnull, pg_get_expr(d.adbin, d.adrelid) AS "default"
       FROM pg_attribute a JOIN pg_class c ON c.oid = a.attrelid
       LEFT JOIN pg_attrdef d ON d.adrelid = a.attrelid AND d.adnum = a.attnum
      WHERE c.relnamespace = ${ns} AND c.relkind = 'r' AND c.relname <> '_prisma_migrations' AND a.attnum > 0 AND NOT a.attisdropped
      ORDER BY 1, 2`,
  );
  const indexes = await raw.query<Catalog['indexes'][number]>(
    `SELECT t.relname AS "table", i.relname AS name, ix.indisunique AS "unique", ix.indisprimary AS "primary",
            (SELECT string_agg(a.attname, ',' ORDER BY k.ord) FROM unnest(ix.indkey) WITH ORDINALITY k(attnum, ord)
               JOIN pg_attribute a ON a.attrelid = t.oid AND a.attnum = k.attnum) AS columns
       FROM pg_index ix JOIN pg_class i ON i.oid = ix.indexrelid JOIN pg_class t ON t.oid = ix.indrelid
      WHERE t.relnamespace = ${ns} AND t.relname <> '_prisma_migrations'
      ORDER BY 1, 2`,
  );
  const foreignKeys = await raw.query<Catalog['foreignKeys'][number]>(
    `SELECT t.relname AS "table", con.conname AS name, r.relname AS "refTable",
            (SELECT string_agg(a.attname, ',' ORDER BY k.ord) FROM unnest(con.conkey) WITH ORDINALITY k(attnum, ord) JOIN pg_attribute a ON a.attrelid = con.conrelid AND a.attnum = k.attnum) AS columns,
            (SELECT string_agg(a.attname, ',' ORDER BY k.ord) FROM unnest(con.confkey) WITH ORDINALITY k(attnum, ord) JOIN pg_attribute a ON a.attrelid = con.confrelid AND a.attnum = k.attnum) AS "refColumns",
            con.confdeltype AS "onDelete", con.confupdtype AS "onUpdate"
       FROM pg_constraint con JOIN pg_class t ON t.oid = con.conrelid JOIN pg_class r ON r.oid = con.confrelid
      WHERE con.contype = 'f' AND con.connamespace = ${ns}
      ORDER BY 1, 2`,
  );
  return { tables, columns, indexes, foreignKeys };
}

const ACTION: Record<string, string> = { a: 'NoAction', r: 'Restrict', c: 'Cascade', n: 'SetNull', d: 'SetDefault' };

/** The SQL default Prisma's migration would write for a field, or null when it writes none. */
function expectedDefault(table: string, column: string, f: DmmfField): string | RegExp | null {
  if (!f.hasDefaultValue) return null;
  const d = f.default;
  if (d && typeof d === 'object' && 'name' in d) {
    const name = (d as { name: string }).name;
    if (name === 'now') return 'CURRENT_TIMESTAMP';
    if (name === 'autoincrement') return `nextval('"${table}_${column}_seq"'::regclass)`;
    if (name === 'dbgenerated') return new RegExp('.');
    return null; // uuid(), cuid(), nanoid() … are made by the client, not the database
  }
  const quote = (s: string) => `'${s.replace(/'/g, "''")}'`;
  switch (f.type) {
    case 'String':
      return `${quote(String(d))}::text`;
    case 'Json':
      return `${quote(String(d))}::jsonb`;
    case 'Boolean':
    case 'Int':
    case 'BigInt':
      return String(d);
    default:
      return String(d);
  }
}

const tableOf = (m: DmmfModel) => m.dbName ?? m.name;
const columnOf = (f: DmmfField) => f.dbName ?? f.name;

/**
 * Everything in which the database differs from the Prisma schema, one line each (empty when they
 * agree): tables, columns (type, nullability, default), indexes and keys, foreign keys.
 */
export function schemaDrift(dm: Datamodel, db: Catalog): string[] {
  const problems: string[] = [];
  const models = new Map(dm.models.map((m) => [m.name, m]));
  const expectedTables = dm.models.map(tableOf).sort();
  for (const t of expectedTables) if (!db.tables.includes(t)) problems.push(`table ${t}: missing`);
  for (const t of db.tables) if (!expectedTables.includes(t)) problems.push(`table ${t}: not in schema.prisma`);

  for (const m of dm.models) {
    const table = tableOf(m);
    const cols = db.columns.filter((c) => c.table === table);
    const scalars = m.fields.filter((f) => f.kind === 'scalar' || f.kind === 'enum');
    for (const f of scalars) {
      const name = columnOf(f);
      const col = cols.find((c) => c.column === name);
      if (!col) {
        problems.push(`column ${table}.${name}: missing`);
        continue;
      }
      if (f.kind === 'enum' || f.isList || f.nativeType) {
        problems.push(`column ${table}.${name}: enum, list or native type: extend the agreement check`);
        continue;
      }
      const type = SQL_TYPE[f.type];
      if (col.type !== type) problems.push(`column ${table}.${name}: type ${col.type}, schema says ${f.type} (${type})`);
      if (col.notnull !== f.isRequired) problems.push(`column ${table}.${name}: ${col.notnull ? 'NOT NULL' : 'nullable'}, schema says ${f.isRequired ? 'required' : 'optional'}`);
      const want = expectedDefault(table, name, f);
      const ok = want === null ? col.default === null : typeof want === 'string' ? col.default === want : col.default !== null && want.test(col.default);
      if (!ok) problems.push(`column ${table}.${name}: default ${col.default ?? 'none'}, schema says ${want ?? 'none'}`);
    }
    for (const c of cols) if (!scalars.some((f) => columnOf(f) === c.column)) problems.push(`column ${table}.${c.column}: not in schema.prisma`);
  }

  const byName = (m: string) => models.get(m)!;
  const expectedIndexes = dm.indexes
    .filter((i) => i.type !== 'fulltext')
    .map((i) => {
      const m = byName(i.model);
      const table = tableOf(m);
      const columns = i.fields.map((x) => columnOf(m.fields.find((f) => f.name === x.name)!));
      const suffix = i.type === 'id' ? 'pkey' : i.type === 'unique' ? 'key' : 'idx';
      const name = i.dbName ?? (i.type === 'id' ? `${table}_pkey` : `${table}_${columns.join('_')}_${suffix}`);
      return { table, name, unique: i.type !== 'normal', primary: i.type === 'id', columns: columns.join(',') };
    });
  const key = (i: { table: string; name: string; unique: boolean; primary: boolean; columns: string }) =>
    `${i.table}.${i.name} (${i.columns})${i.primary ? ' primary key' : i.unique ? ' unique' : ''}`;
  const have = new Set(db.indexes.map(key));
  const want = new Set(expectedIndexes.map(key));
  for (const k of want) if (!have.has(k)) problems.push(`index ${k}: missing`);
  for (const k of have) if (!want.has(k)) problems.push(`index ${k}: not in schema.prisma`);

  const expectedFks = dm.models.flatMap((m) =>
    m.fields
      .filter((f) => f.kind === 'object' && f.relationFromFields && f.relationFromFields.length > 0)
      .map((f) => {
        const table = tableOf(m);
        const target = byName(f.type);
        const from = f.relationFromFields!.map((n) => m.fields.find((x) => x.name === n)!);
        const columns = from.map(columnOf);
        const required = from.every((x) => x.isRequired);
        return {
          table,
          name: `${table}_${columns.join('_')}_fkey`,
          columns: columns.join(','),
          refTable: tableOf(target),
          refColumns: f.relationToFields!.map((n) => columnOf(target.fields.find((x) => x.name === n)!)).join(','),
          onDelete: f.relationOnDelete ?? (required ? 'Restrict' : 'SetNull'),
          onUpdate: f.relationOnUpdate ?? 'Cascade',
        };
      }),
  );
  const fkKey = (k: Catalog['foreignKeys'][number]) => `${k.table}.${k.name} (${k.columns}) → ${k.refTable}(${k.refColumns}) ON DELETE ${k.onDelete} ON UPDATE ${k.onUpdate}`;
  const haveFk = new Set(db.foreignKeys.map((k) => fkKey({ ...k, onDelete: ACTION[k.onDelete] ?? k.onDelete, onUpdate: ACTION[k.onUpdate] ?? k.onUpdate })));
  const wantFk = new Set(expectedFks.map(fkKey));
  for (const k of wantFk) if (!haveFk.has(k)) problems.push(`foreign key ${k}: missing`);
  for (const k of haveFk) if (!wantFk.has(k)) problems.push(`foreign key ${k}: not in schema.prisma`);
  return problems;
}
