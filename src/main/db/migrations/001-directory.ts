// Schema 1: users, TOTP credentials, recovery codes, the enforcement policy and the audit log.
import type { Migration } from './migration'

export const directory: Migration = {
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
