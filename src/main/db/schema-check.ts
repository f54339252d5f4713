// The schema of a database must be exactly the one our migrations create: no
// extra trigger (one that makes an attacker admin after a failed sign-in), no
// changed index or table, no view. The expected schema of each version is read
// off an in-memory database that ran the same migrations, so it can never
// drift from them. Checked on every open and on every backup before a restore.
import BetterSqlite3 from 'better-sqlite3'
import { AppError } from '../../shared/errors'
import { MIGRATIONS, type Migration } from './migrations'
import type { Database } from './sqlite'

export interface SchemaObject {
  type: string
  name: string
  sql: string | null
}

/**
 * Everything in sqlite_schema but the statistics tables ANALYZE keeps (by their exact names
 * and type: a trigger named like one is a trigger like any other).
 */
export function readSchema(db: Database): SchemaObject[] {
  return db
    .prepare("SELECT type, name, sql FROM sqlite_schema WHERE NOT (type = 'table' AND name IN ('sqlite_stat1', 'sqlite_stat4')) ORDER BY type, name")
    .all() as SchemaObject[]
}

const expectedByVersion = new Map<number, Map<string, SchemaObject>>()

/** The schema our migrations create up to `version` (on an empty in-memory database, once per process). */
export function expectedSchema(version: number, migrations: readonly Migration[] = MIGRATIONS): Map<string, SchemaObject> {
  const cached = migrations === MIGRATIONS ? expectedByVersion.get(version) : undefined
  if (cached) return cached
  const memory = new BetterSqlite3(':memory:')
  try {
    memory.transaction(() => {
      for (const step of migrations) if (step.version <= version) step.up(memory)
    })()
    const schema = new Map(readSchema(memory).map((object) => [`${object.type} ${object.name}`, object]))
    if (migrations === MIGRATIONS) expectedByVersion.set(version, schema)
    return schema
  } finally {
    memory.close()
  }
}

/** What differs from the expected schema, one line each; empty when nothing does. */
export function schemaDifferences(db: Database, version: number, migrations: readonly Migration[] = MIGRATIONS): string[] {
  const expected = expectedSchema(version, migrations)
  const found = new Map(readSchema(db).map((object) => [`${object.type} ${object.name}`, object]))
  const differences: string[] = []
  for (const [key, object] of found) {
    const wanted = expected.get(key)
    if (!wanted) differences.push(`an extra ${object.type} "${object.name}"`)
    else if (wanted.sql !== object.sql) differences.push(`a changed ${object.type} "${object.name}"`)
  }
  for (const [key, object] of expected) if (!found.has(key)) differences.push(`no ${object.type} "${object.name}"`)
  return differences
}

/** Refuses a database whose schema is not exactly ours, saying what was found. */
export function assertOurSchema(db: Database, version: number, where: string): void {
  const differences = schemaDifferences(db, version)
  if (differences.length === 0) return
  const listed = differences.slice(0, 5).join(', ') + (differences.length > 5 ? ` and ${differences.length - 5} more` : '')
  throw new AppError(
    'DATABASE_TAMPERED',
    `${where} has ${listed}, which 2FA Admin never creates: it was changed outside the app. Nothing was changed; restore a backup you trust (twofa-admin restore FILE).`
  )
}
