// Numbered schema steps. Each bumps PRAGMA user_version; all pending steps run
// in one transaction, and a database written by a newer app is refused.
import { AppError } from '../../shared/errors'
import type { Database } from './connection'
import { APPLICATION_ID } from './connection'

export interface Migration {
  version: number
  description: string
  up(db: Database): void
}

export const MIGRATIONS: readonly Migration[] = [
  {
    version: 1,
    description: 'users, TOTP credentials, recovery codes, enforcement policy, audit log',
    up(db) {
      db.exec(`
        CREATE TABLE meta (
          key   TEXT PRIMARY KEY,
          value TEXT NOT NULL
        ) STRICT;

        CREATE TABLE users (
          id                INTEGER PRIMARY KEY,
          name              TEXT    NOT NULL,
          email             TEXT    NOT NULL COLLATE NOCASE UNIQUE,
          role              TEXT    NOT NULL CHECK (role IN ('admin', 'user')),
          password_hash     TEXT,
          disabled          INTEGER NOT NULL DEFAULT 0 CHECK (disabled IN (0, 1)),
          enforcement       TEXT    NOT NULL DEFAULT 'inherit' CHECK (enforcement IN ('inherit', 'enforced', 'exempt')),
          enforcement_by    TEXT,
          enforcement_at    INTEGER,
          failed_attempts   INTEGER NOT NULL DEFAULT 0 CHECK (failed_attempts >= 0),
          locked_until      INTEGER,
          last_2fa_login_at INTEGER,
          created_at        INTEGER NOT NULL,
          updated_at        INTEGER NOT NULL
        ) STRICT;
        CREATE INDEX users_by_name ON users (name COLLATE NOCASE, id);

        -- Only confirmed credentials live here: a row means 2FA is active.
        CREATE TABLE totp_credentials (
          user_id        INTEGER PRIMARY KEY REFERENCES users (id) ON DELETE CASCADE,
          secret_enc     BLOB    NOT NULL,
          algorithm      TEXT    NOT NULL CHECK (algorithm IN ('SHA1', 'SHA256', 'SHA512')),
          digits         INTEGER NOT NULL CHECK (digits BETWEEN 6 AND 8),
          period         INTEGER NOT NULL CHECK (period BETWEEN 10 AND 120),
          confirmed_at   INTEGER NOT NULL,
          last_used_step INTEGER
        ) STRICT;

        -- A secret shown to the user but not yet confirmed with a code.
        CREATE TABLE totp_enrollments (
          user_id    INTEGER PRIMARY KEY REFERENCES users (id) ON DELETE CASCADE,
          secret_enc BLOB    NOT NULL,
          algorithm  TEXT    NOT NULL CHECK (algorithm IN ('SHA1', 'SHA256', 'SHA512')),
          digits     INTEGER NOT NULL CHECK (digits BETWEEN 6 AND 8),
          period     INTEGER NOT NULL CHECK (period BETWEEN 10 AND 120),
          created_at INTEGER NOT NULL,
          expires_at INTEGER NOT NULL
        ) STRICT;

        CREATE TABLE recovery_codes (
          id        INTEGER PRIMARY KEY,
          user_id   INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
          code_hash TEXT    NOT NULL,
          used_at   INTEGER,
          UNIQUE (user_id, code_hash)
        ) STRICT;

        CREATE TABLE enforcement_policy (
          id               INTEGER PRIMARY KEY CHECK (id = 1),
          enforced_for_all INTEGER NOT NULL CHECK (enforced_for_all IN (0, 1)),
          changed_at       INTEGER,
          changed_by       TEXT
        ) STRICT;
        INSERT INTO enforcement_policy (id, enforced_for_all) VALUES (1, 0);

        CREATE TABLE audit_log (
          id        INTEGER PRIMARY KEY,
          at        INTEGER NOT NULL,
          actor     TEXT    NOT NULL,
          action    TEXT    NOT NULL,
          target    TEXT,
          details   TEXT    NOT NULL,
          prev_hash TEXT    NOT NULL,
          hash      TEXT    NOT NULL
        ) STRICT;
        CREATE INDEX audit_by_actor ON audit_log (actor COLLATE NOCASE, id);
        CREATE INDEX audit_by_target ON audit_log (target COLLATE NOCASE, id);
        CREATE INDEX audit_by_action ON audit_log (action, id);
      `)
    }
  }
]

export const LATEST_VERSION = MIGRATIONS[MIGRATIONS.length - 1]?.version ?? 0

export function schemaVersion(db: Database): number {
  return db.pragma('user_version', { simple: true }) as number
}

/** Refuses a database written by a newer app, before anything is written to it. */
export function assertNotNewer(db: Database, migrations: readonly Migration[] = MIGRATIONS): void {
  const latest = migrations[migrations.length - 1]?.version ?? 0
  const current = schemaVersion(db)
  if (current > latest) {
    throw new AppError(
      'DATABASE_TOO_NEW',
      `This database was written by a newer version of 2FA Admin (schema ${current}; this app knows up to ${latest}). Update the app; nothing was changed.`
    )
  }
}

export function migrate(db: Database, migrations: readonly Migration[] = MIGRATIONS): void {
  assertIncreasing(migrations)
  assertNotNewer(db, migrations)
  const current = schemaVersion(db)
  const pending = migrations.filter((step) => step.version > current)
  if (pending.length === 0) return
  db.transaction(() => {
    for (const step of pending) {
      step.up(db)
      db.pragma(`user_version = ${step.version}`)
    }
    db.pragma(`application_id = ${APPLICATION_ID}`)
  }).immediate()
}

function assertIncreasing(migrations: readonly Migration[]): void {
  migrations.forEach((step, index) => {
    const previous = index === 0 ? 0 : (migrations[index - 1]?.version ?? 0)
    if (!Number.isInteger(step.version) || step.version <= previous) {
      throw new Error(`Migration versions must increase: ${step.version} follows ${previous}.`)
    }
  })
}
