// The rows of an import file, staged in a temporary table of the importing
// connection: duplicates are found by its unique index and the rows are read
// back in batches, so memory stays the same at a hundred rows and at a
// million. TEMP tables live outside the database file and its schema.
import type { Enforcement, Role } from '../../shared/domain'
import type { Database } from './sqlite'
import { statement } from './statements'

export interface StagedRow {
  line: number
  email: string
  name: string | null
  role: Role | null
  enforcement: Enforcement | null
  disabled: boolean | null
}

interface StagedRecord {
  line: number
  email: string
  name: string | null
  role: string | null
  enforcement: string | null
  disabled: number | null
}

/** An empty staging table on this connection. */
export function beginStaging(db: Database): void {
  db.exec(`
    CREATE TEMP TABLE IF NOT EXISTS import_rows (
      line        INTEGER PRIMARY KEY,
      email       TEXT NOT NULL COLLATE NOCASE UNIQUE,
      name        TEXT,
      role        TEXT,
      enforcement TEXT,
      disabled    INTEGER
    );
    DELETE FROM temp.import_rows;
  `)
}

/** Stages a row; when its email is already staged, nothing is, and the earlier row's line is returned. */
export function stageRow(db: Database, row: StagedRow): number | null {
  const inserted = statement(
    db,
    `INSERT INTO temp.import_rows (line, email, name, role, enforcement, disabled)
     VALUES (@line, @email, @name, @role, @enforcement, @disabled)
     ON CONFLICT (email) DO NOTHING`
  ).run({ ...row, disabled: row.disabled === null ? null : row.disabled ? 1 : 0 })
  if (inserted.changes === 1) return null
  return statement(db, 'SELECT line FROM temp.import_rows WHERE email = ?', { pluck: true }).get(row.email) as number
}

/** Staged rows after `afterLine`, in file order: one batch. */
export function stagedRowsAfter(db: Database, afterLine: number, limit: number): StagedRow[] {
  const records = statement(db, 'SELECT * FROM temp.import_rows WHERE line > ? ORDER BY line LIMIT ?').all(afterLine, limit) as StagedRecord[]
  return records.map((record) => ({
    line: record.line,
    email: record.email,
    name: record.name,
    role: record.role as Role | null,
    enforcement: record.enforcement as Enforcement | null,
    disabled: record.disabled === null ? null : record.disabled === 1
  }))
}

export function countStaged(db: Database): number {
  return statement(db, 'SELECT count(*) FROM temp.import_rows', { pluck: true }).get() as number
}

export function endStaging(db: Database): void {
  statement(db, 'DELETE FROM temp.import_rows').run()
}
