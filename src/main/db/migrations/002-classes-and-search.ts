// Schema 2: a 2FA class per user with constant-time counts, sort indexes and a trigram search index.
import type { Migration } from './migration'

export const classesAndSearch: Migration = {
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
