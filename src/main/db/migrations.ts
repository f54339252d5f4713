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
  },
  {
    version: 2,
    description: 'a 2FA class per user with constant-time counts, sort indexes and a trigram search index',
    up(db) {
      db.exec(`
        -- A fact kept by the triggers below, so a user's class is computable from the row alone.
        ALTER TABLE users ADD COLUMN has_totp INTEGER NOT NULL DEFAULT 0 CHECK (has_totp IN (0, 1));
        -- Users made by twofa-admin seed-demo: no password, so they can never sign in.
        ALTER TABLE users ADD COLUMN demo INTEGER NOT NULL DEFAULT 0 CHECK (demo IN (0, 1));
        -- The part of the 2FA status that does not depend on the global policy; the
        -- status is statusOfClass(tfa_class, policy) in src/main/core/enforcement.ts,
        -- whose twoFactorClass() is the TypeScript statement of this CASE (a unit
        -- test checks they agree for every combination). Virtual: always exact,
        -- never written by anyone, stored only in the indexes below.
        ALTER TABLE users ADD COLUMN tfa_class TEXT GENERATED ALWAYS AS (
          CASE
            WHEN has_totp = 1 THEN 'active'
            WHEN role = 'admin' OR enforcement = 'enforced' THEN 'always'
            WHEN enforcement = 'exempt' THEN 'exempt'
            ELSE 'inherit'
          END) VIRTUAL;

        -- Backfill from the credentials of a version 1 directory.
        UPDATE users SET has_totp = 1 WHERE id IN (SELECT user_id FROM totp_credentials);

        CREATE TRIGGER totp_credentials_insert_class AFTER INSERT ON totp_credentials BEGIN
          UPDATE users SET has_totp = 1 WHERE id = NEW.user_id;
        END;
        CREATE TRIGGER totp_credentials_delete_class AFTER DELETE ON totp_credentials BEGIN
          UPDATE users SET has_totp = 0 WHERE id = OLD.user_id;
        END;
        -- A credential never moves to another user: it is encrypted for one user id.
        CREATE TRIGGER totp_credentials_user_fixed BEFORE UPDATE OF user_id ON totp_credentials
        WHEN NEW.user_id IS NOT OLD.user_id BEGIN
          SELECT RAISE(ABORT, 'a TOTP credential cannot move to another user');
        END;
        -- The class counts and the search index are keyed by user id.
        CREATE TRIGGER users_id_fixed BEFORE UPDATE OF id ON users
        WHEN NEW.id IS NOT OLD.id BEGIN
          SELECT RAISE(ABORT, 'a user id never changes');
        END;

        -- The 2FA distribution, exact at any size without a scan: updated in the
        -- transaction of every change that moves a user from one class to another.
        CREATE TABLE class_counts (
          tfa_class TEXT    PRIMARY KEY CHECK (tfa_class IN ('active', 'always', 'inherit', 'exempt')),
          users     INTEGER NOT NULL CHECK (users >= 0)
        ) STRICT, WITHOUT ROWID;
        INSERT INTO class_counts (tfa_class, users)
          SELECT k.tfa_class, (SELECT count(*) FROM users u WHERE u.tfa_class = k.tfa_class)
          FROM (SELECT 'active' AS tfa_class UNION ALL SELECT 'always' UNION ALL SELECT 'inherit' UNION ALL SELECT 'exempt') k;

        CREATE TRIGGER users_insert_count AFTER INSERT ON users BEGIN
          UPDATE class_counts SET users = users + 1 WHERE tfa_class = NEW.tfa_class;
        END;
        CREATE TRIGGER users_delete_count AFTER DELETE ON users BEGIN
          UPDATE class_counts SET users = users - 1 WHERE tfa_class = OLD.tfa_class;
        END;
        CREATE TRIGGER users_update_count AFTER UPDATE OF has_totp, role, enforcement ON users
        WHEN NEW.tfa_class IS NOT OLD.tfa_class BEGIN
          UPDATE class_counts SET users = users - 1 WHERE tfa_class = OLD.tfa_class;
          UPDATE class_counts SET users = users + 1 WHERE tfa_class = NEW.tfa_class;
        END;

        -- Keyset pages: one index per sort order, and per sort order within a class
        -- (a status filter is one or two classes). users_by_name and the email
        -- UNIQUE index of version 1 serve the unfiltered name and email orders.
        CREATE INDEX users_by_role ON users (role, name COLLATE NOCASE, id);
        CREATE INDEX users_by_class_name ON users (tfa_class, name COLLATE NOCASE, id);
        CREATE INDEX users_by_class_email ON users (tfa_class, email);
        CREATE INDEX users_by_class_role ON users (tfa_class, role, name COLLATE NOCASE, id);

        -- Substring search by name or email. Contentless: it only answers "which ids",
        -- the rows come from users. It indexes lower() (ASCII-only, like LIKE's case
        -- folding) and matches case-sensitively, so a trigram match is exactly
        -- "name or email LIKE '%term%'" and never needs a second check.
        CREATE VIRTUAL TABLE users_search USING fts5(
          name, email, content = '', contentless_delete = 1, tokenize = 'trigram case_sensitive 1'
        );
        INSERT INTO users_search (rowid, name, email) SELECT id, lower(name), lower(email) FROM users;
        CREATE TRIGGER users_search_insert AFTER INSERT ON users BEGIN
          INSERT INTO users_search (rowid, name, email) VALUES (NEW.id, lower(NEW.name), lower(NEW.email));
        END;
        CREATE TRIGGER users_search_update AFTER UPDATE OF name, email ON users
        WHEN NEW.name IS NOT OLD.name OR NEW.email IS NOT OLD.email BEGIN
          DELETE FROM users_search WHERE rowid = OLD.id;
          INSERT INTO users_search (rowid, name, email) VALUES (NEW.id, lower(NEW.name), lower(NEW.email));
        END;
        CREATE TRIGGER users_search_delete AFTER DELETE ON users BEGIN
          DELETE FROM users_search WHERE rowid = OLD.id;
        END;
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
