// Schema 12: the Users table's filters beside the 2FA status (issue 13): who is
// locked, disabled, enforced individually or exempt, an administrator, from a
// CSV import or the directory, or has few recovery codes left. Each is a small
// set in practice, so each has a partial index in name order: a page of a
// filter in name order is a seek into it, another order sorts only its rows,
// and its exact count reads only its index (which carries the columns the
// tests read). The broad filters (not locked,
// enabled, added here, following the policy) are counted as the rest of the
// list less the small set (core/listing/row-filters.ts).
//
// `recovery_codes_left` counts a user's unused recovery codes, kept by triggers
// on recovery_codes in the transaction of every change; the partial index of
// "few recovery codes left" holds users with 2FA active and at most 3 of them
// (FEW_RECOVERY_CODES in src/shared/domain.ts: change both together).
//
// The optional columns sort by their times (last 2FA login, 2FA active since,
// enforced individually since, locked until): one partial index each, of the
// users that have the time; `tfa_active_since` mirrors totp_credentials.confirmed_at
// (triggers), so that it can be indexed on users.
//
// Names sort as people read them (`name_key`, src/shared/name-key.ts): written
// for every existing user in batches (constant memory at a million), then by
// the repositories with every name; the name orders' indexes are rebuilt on it.
import { nameSortKey } from '../../../shared/name-key'
import type { Migration } from './migration'

/**
 * The columns every row test and class filter reads, at the end of each narrow
 * filter's partial index: an exact count of a filter reads only its index
 * (covering), never the users' rows.
 */
export const NARROW_COVERS = 'tfa_class, role, enforcement, enforcement_deadline, disabled, source, locked_until, has_totp, recovery_codes_left'

/** Rows read and written at a time while every name gets its key: constant memory at any size. */
const NAME_KEY_BATCH = 10_000

export const userFilters: Migration = {
  version: 12,
  description: 'the Users filters (partial indexes, unused recovery codes), the optional columns\' sorts, names sorted by their reading key',
  up(db) {
    addNameKeys(db)
    db.exec(`
      ALTER TABLE users ADD COLUMN recovery_codes_left INTEGER NOT NULL DEFAULT 0 CHECK (recovery_codes_left >= 0);
      UPDATE users SET recovery_codes_left = c.n
        FROM (SELECT user_id, count(*) AS n FROM recovery_codes WHERE used_at IS NULL GROUP BY user_id) AS c
        WHERE users.id = c.user_id;

      CREATE TRIGGER recovery_codes_insert_left AFTER INSERT ON recovery_codes WHEN NEW.used_at IS NULL BEGIN
        UPDATE users SET recovery_codes_left = recovery_codes_left + 1 WHERE id = NEW.user_id;
      END;
      CREATE TRIGGER recovery_codes_delete_left AFTER DELETE ON recovery_codes WHEN OLD.used_at IS NULL BEGIN
        UPDATE users SET recovery_codes_left = recovery_codes_left - 1 WHERE id = OLD.user_id;
      END;
      CREATE TRIGGER recovery_codes_update_left AFTER UPDATE OF used_at, user_id ON recovery_codes BEGIN
        UPDATE users SET recovery_codes_left = recovery_codes_left - 1 WHERE id = OLD.user_id AND OLD.used_at IS NULL;
        UPDATE users SET recovery_codes_left = recovery_codes_left + 1 WHERE id = NEW.user_id AND NEW.used_at IS NULL;
      END;

      CREATE INDEX users_locked_by_name ON users (name_key, id, ${NARROW_COVERS}) WHERE locked_until IS NOT NULL;
      CREATE INDEX users_disabled_by_name ON users (name_key, id, ${NARROW_COVERS}) WHERE disabled = 1;
      CREATE INDEX users_not_local_by_name ON users (name_key, id, ${NARROW_COVERS}) WHERE source <> 'local';
      CREATE INDEX users_special_by_name ON users (name_key, id, ${NARROW_COVERS}) WHERE role = 'admin' OR enforcement <> 'inherit';
      CREATE INDEX users_few_codes_by_name ON users (name_key, id, ${NARROW_COVERS}) WHERE has_totp = 1 AND recovery_codes_left <= 3;

      -- The sorts by the optional columns' times: each an index of the users that have one, in (time, id) order.
      ALTER TABLE users ADD COLUMN tfa_active_since INTEGER;
      UPDATE users SET tfa_active_since = c.confirmed_at FROM totp_credentials AS c WHERE users.id = c.user_id;
      CREATE TRIGGER totp_insert_active_since AFTER INSERT ON totp_credentials BEGIN
        UPDATE users SET tfa_active_since = NEW.confirmed_at WHERE id = NEW.user_id;
      END;
      CREATE TRIGGER totp_update_active_since AFTER UPDATE OF confirmed_at ON totp_credentials BEGIN
        UPDATE users SET tfa_active_since = NEW.confirmed_at WHERE id = NEW.user_id;
      END;
      CREATE TRIGGER totp_delete_active_since AFTER DELETE ON totp_credentials BEGIN
        UPDATE users SET tfa_active_since = NULL WHERE id = OLD.user_id;
      END;
      CREATE INDEX users_by_last_2fa_login ON users (last_2fa_login_at, id) WHERE last_2fa_login_at IS NOT NULL;
      CREATE INDEX users_by_active_since ON users (tfa_active_since, id) WHERE tfa_active_since IS NOT NULL;
      CREATE INDEX users_by_enforced_since ON users (enforcement_at, id) WHERE enforcement = 'enforced' AND enforcement_at IS NOT NULL;
      CREATE INDEX users_by_locked_until ON users (locked_until, id) WHERE locked_until IS NOT NULL;
    `)
  }
}

/**
 * users.name_key: the key names sort by (src/shared/name-key.ts), written by
 * the repositories with every name; the name orders' indexes are rebuilt on
 * it, and users_by_name (name COLLATE NOCASE) gives way to users_by_name_key:
 * the prefix search reads a range of keys too (listing-repo.ts). A name
 * written without its key (a bulk tool, a test) gets lower(name) || char(1) || name
 * from the triggers below: the same key for an ASCII name.
 */
function addNameKeys(db: Parameters<Migration['up']>[0]): void {
  db.exec("ALTER TABLE users ADD COLUMN name_key TEXT NOT NULL DEFAULT '' COLLATE NOCASE")
  const read = db.prepare('SELECT id, name FROM users WHERE id > ? ORDER BY id LIMIT ?')
  const write = db.prepare('UPDATE users SET name_key = ? WHERE id = ?')
  for (let after = 0; ; ) {
    const rows = read.all(after, NAME_KEY_BATCH) as { id: number; name: string }[]
    if (rows.length === 0) break
    for (const row of rows) write.run(nameSortKey(row.name), row.id)
    after = rows[rows.length - 1]!.id
  }
  db.exec(`
    CREATE TRIGGER users_name_key_insert AFTER INSERT ON users WHEN NEW.name_key = '' BEGIN
      UPDATE users SET name_key = lower(NEW.name) || char(1) || NEW.name WHERE id = NEW.id;
    END;
    CREATE TRIGGER users_name_key_update AFTER UPDATE OF name ON users WHEN NEW.name <> OLD.name AND NEW.name_key = OLD.name_key BEGIN
      UPDATE users SET name_key = lower(NEW.name) || char(1) || NEW.name WHERE id = NEW.id;
    END;

    DROP INDEX users_by_name;
    CREATE INDEX users_by_name_key ON users (name_key, id);
    DROP INDEX users_by_role;
    CREATE INDEX users_by_role ON users (role, name_key, id);
    DROP INDEX users_by_class_name;
    CREATE INDEX users_by_class_name ON users (tfa_class, name_key, id);
    DROP INDEX users_by_class_role;
    CREATE INDEX users_by_class_role ON users (tfa_class, role, name_key, id);
  `)
}
