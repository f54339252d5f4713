// SQL for filling a directory with demo users in bulk (twofa-admin seed-demo).
import { LOCAL_PART_SQL } from './migrations/013-search-shapes'
import { USER_WORD_ROWS_SQL } from './migrations/020-name-words'
import { USER_EMAIL_WORD_ROWS_SQL } from './migrations/022-words-by-email'
import { nameSortKey } from '../../shared/name-key'
import { localEnd } from './local-end'
import { recordKeyReset } from './key-changes-repo'
import { withSetAside, type SchemaItem } from './set-aside'
import type { Database } from './sqlite'

export interface DemoUserRow {
  name: string
  email: string
  role: string
  disabled: boolean
  enforcement: string
  enforcementBy: string | null
  enforcementAt: number | null
  failedAttempts: number
  lockedUntil: number | null
  lastTwoFactorLoginAt: number | null
  createdAt: number
  updatedAt: number
}

export interface DemoCredentialRow {
  userId: number
  secretEnc: Buffer
  confirmedAt: number
}

export interface DemoWriter {
  /** Inserts one demo user and returns their id, or null when a user with that email already exists. */
  user(row: DemoUserRow): number | null
  credential(row: DemoCredentialRow): void
}

/**
 * Prepared once for the whole run. Demo users have no password hash: nobody can
 * sign in as one, whatever password they try. Positional parameters: at a million
 * rows the cost of naming them shows.
 */
export function demoWriter(db: Database): DemoWriter {
  const insertUser = db.prepare(
    // A real user may already have a demo email (seed-demo --force): theirs stays, the demo user is skipped.
    `INSERT INTO users (name, name_key, email, email_local_rev, role, password_hash, disabled, enforcement, enforcement_by, enforcement_at,
                        failed_attempts, locked_until, last_2fa_login_at, created_at, updated_at, demo)
     VALUES (?, ?, ?, ?, ?, NULL, ?, ?, ?, ?, ?, ?, ?, ?, ?, 1)
     ON CONFLICT (email) DO NOTHING`
  )
  const insertCredential = db.prepare(
    `INSERT INTO totp_credentials (user_id, secret_enc, algorithm, digits, period, confirmed_at, last_used_step)
     VALUES (?, ?, 'SHA1', 6, 30, ?, NULL)`
  )
  return {
    user: (row) => {
      const result = insertUser.run(
        row.name,
        nameSortKey(row.name),
        row.email,
        localEnd(row.email),
        row.role,
        row.disabled ? 1 : 0,
        row.enforcement,
        row.enforcementBy,
        row.enforcementAt,
        row.failedAttempts,
        row.lockedUntil,
        row.lastTwoFactorLoginAt,
        row.createdAt,
        row.updatedAt
      )
      return result.changes === 1 ? Number(result.lastInsertRowid) : null
    },
    credential: (row) => {
      insertCredential.run(row.userId, row.secretEnc, row.confirmedAt)
    }
  }
}

/** The triggers a bulk load sets aside: the search indexes are filled in one statement each, the key log gets one 'reset'. */
const DEFERRED_TRIGGERS = ['users_search_insert', 'users_words_insert', 'users_email_words_insert', 'users_key_insert', 'users_key_update']

/**
 * Runs a bulk load of users (inside the caller's transaction) with the secondary
 * indexes on users and the row-by-row triggers set aside, then rebuilds them.
 * At a million rows, sorting once per index is several times faster than
 * inserting into every B-tree in random key order, and filling the trigram index
 * in one statement is about six times faster than row by row from the trigger.
 * DDL is transactional in SQLite: if the load fails, the schema is as it was.
 */
export function withDeferredUserIndexes<T>(db: Database, load: () => T): T {
  // The definitions come from the schema itself, so they never drift from the migrations.
  const deferred = db
    .prepare(
      `SELECT type, name, sql FROM sqlite_schema
       WHERE tbl_name = 'users' AND sql IS NOT NULL AND (type = 'index' OR (type = 'trigger' AND name IN (SELECT value FROM json_each(?))))`
    )
    .all(JSON.stringify(DEFERRED_TRIGGERS)) as SchemaItem[]
  const firstNewId = db.prepare('SELECT coalesce(max(id), 0) + 1 FROM users').pluck().get() as number
  return withSetAside(db, deferred, () => {
    const result = load()
    // What users_search_insert (migration 13) would have written for each new row.
    db.prepare(`INSERT INTO users_search (rowid, name, local) SELECT id, lower(name), ${LOCAL_PART_SQL('email')} FROM users WHERE id >= ?`).run(firstNewId)
    // And users_words_insert (migration 20), in the words' order: the rows go in one after another.
    db.prepare(`INSERT INTO user_words (word, name_key, id) ${USER_WORD_ROWS_SQL('u', 'users u, ')} AND u.id >= ? ORDER BY 1, 2, 3`).run(firstNewId)
    // And users_email_words_insert (migration 22), the same words in email order.
    db.prepare(`INSERT INTO user_words_by_email (word, email, id) ${USER_EMAIL_WORD_ROWS_SQL('u', 'users u, ')} AND u.id >= ? ORDER BY 1, 2, 3`).run(firstNewId)
    // Instead of a log entry per new user: every process's jump signposts start again.
    recordKeyReset(db)
    return result
  })
}

/** Merges the search index into one segment after a bulk load, so a search reads one doclist per trigram. */
export function optimizeSearchIndex(db: Database): void {
  db.prepare("INSERT INTO users_search (users_search) VALUES ('optimize')").run()
}

/** After a bulk load the WAL holds a copy of every page: fold it into the database and shrink it. */
export function checkpointAndTruncateWal(db: Database): void {
  db.pragma('wal_checkpoint(TRUNCATE)')
}
