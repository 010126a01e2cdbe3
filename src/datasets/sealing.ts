/**
 * A resource's rows as a node stores them under the 国密 suite: every personal column (ColumnDef.personal)
 * leaves the row; the subject-key column keeps its keyed blind index, so rows are still found by subject;
 * the others keep an empty string; and one extra column, `sealed_personal`, holds the personal values sealed
 * together (JSON, bound to the resource and to the row's stored key, so a sealed value moved to another row
 * fails its check). Reading restores them.
 */
import type { Kysely } from 'kysely';
import type { PersonalDataSealer } from '../core/ports/personal-data';
import type { ColumnDef, ResourceDef } from './schema';

export const SEALED_COLUMN = 'sealed_personal';

export function personalColumns(resource: ResourceDef): ColumnDef[] {
  return resource.columns.filter((column) => column.personal);
}

/** True when the resource has anything to seal. */
export function isSealable(resource: ResourceDef): boolean {
  return personalColumns(resource).length > 0;
}

function indexContext(resource: ResourceDef, column: string): string {
  return `${resource.code}/${column}`;
}

/** What a lookup of `value` in `column` searches for: its blind index when the column is sealed. */
export function storedLookupValue(
  resource: ResourceDef,
  column: string,
  value: string,
  sealer: PersonalDataSealer,
): string {
  return resource.columns.find((candidate) => candidate.name === column)?.personal
    ? sealer.index(indexContext(resource, column), value)
    : value;
}

export function sealRow<Row extends Record<string, unknown>>(
  resource: ResourceDef,
  row: Row,
  sealer: PersonalDataSealer,
): Row & { [SEALED_COLUMN]: string } {
  const personal = personalColumns(resource);
  const values: Record<string, unknown> = {};
  const stored: Record<string, unknown> = { ...row };
  for (const column of personal) {
    const value = row[column.name];
    values[column.name] = value ?? null;
    stored[column.name] =
      column.subjectKey !== null && value !== null && value !== undefined
        ? sealer.index(indexContext(resource, column.name), String(value))
        : column.nullable
          ? null
          : '';
  }
  stored[SEALED_COLUMN] = sealer.seal(rowContext(resource, stored), JSON.stringify(values));
  return stored as Row & { [SEALED_COLUMN]: string };
}

/** The resource and the row's key as stored (blind indexes for sealed key columns). */
function rowContext(resource: ResourceDef, stored: Record<string, unknown>): string {
  return [resource.code, ...resource.keyColumns.map((column) => String(stored[column] ?? ''))].join('\u0000');
}

/** The row with its personal values back in place (and without the sealed column). */
export function unsealRow(
  resource: ResourceDef,
  row: Record<string, unknown>,
  sealer: PersonalDataSealer,
): Record<string, unknown> {
  const sealed = row[SEALED_COLUMN];
  const { [SEALED_COLUMN]: _sealed, ...rest } = row;
  if (typeof sealed !== 'string') return rest;
  return { ...rest, ...(JSON.parse(sealer.open(rowContext(resource, row), sealed)) as Record<string, unknown>) };
}

/** Reading a node's sealed tables: lookups by blind index, rows unsealed (what the node's data reader takes). */
export function sealedRows(
  sealer: PersonalDataSealer,
  resourceOf: (code: string) => ResourceDef | undefined,
): {
  lookupValue(resourceCode: string, column: string, value: string): string;
  read(resourceCode: string, row: Record<string, unknown>): Record<string, unknown>;
} {
  // Read once per resource, not per row: a population-wide computation reads every row of a register.
  const known = new Map<string, { definition: ResourceDef; sealable: boolean }>();
  const resource = (code: string) => {
    let entry = known.get(code);
    if (!entry) {
      const definition = resourceOf(code);
      if (!definition) throw new Error(`no resource ${code}`);
      entry = { definition, sealable: isSealable(definition) };
      known.set(code, entry);
    }
    return entry;
  };
  return {
    lookupValue: (code, column, value) => storedLookupValue(resource(code).definition, column, value, sealer),
    read: (code, row) => {
      const { definition, sealable } = resource(code);
      return sealable ? unsealRow(definition, row, sealer) : row;
    },
  };
}

/**
 * Re-seals every row of a resource's table from one key to another (a data-key rotation), in file order, a
 * page at a time, inside the caller's transaction: the blind indexes of key columns change with the key.
 */
export async function resealTable(
  // biome-ignore lint/suspicious/noExplicitAny: resource tables are defined at run time from the dataset schema.
  db: Kysely<any>,
  resource: ResourceDef,
  from: PersonalDataSealer,
  to: PersonalDataSealer,
  orderColumn: string,
  pageSize = 1000,
): Promise<number> {
  let after = -1;
  let count = 0;
  const personal = personalColumns(resource).map((column) => column.name);
  for (;;) {
    const page = await db
      .selectFrom(resource.table)
      .selectAll()
      .where(orderColumn, '>', after)
      .orderBy(orderColumn)
      .limit(pageSize)
      .execute();
    for (const stored of page) {
      const { [orderColumn]: _order, ...plain } = unsealRow(resource, stored, from);
      const resealed = sealRow(resource, plain, to);
      await db
        .updateTable(resource.table)
        .set(Object.fromEntries([...personal, SEALED_COLUMN].map((name) => [name, resealed[name]])))
        .where(orderColumn, '=', stored[orderColumn])
        .execute();
      count++;
    }
    if (page.length < pageSize) return count;
    after = Number(page[page.length - 1]?.[orderColumn]);
  }
}
