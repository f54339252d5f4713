// Schema 4: a short log of every change to the keys the Users table is sorted
// and filtered by (name, email, role, 2FA class), written by triggers in the
// transaction of the change, whichever process makes it. The jump signposts of
// every process (src/main/core/listing/jump-signposts.ts) follow it to stay
// exact after a write without walking the index again.
import type { Migration } from './migration'

/** The log keeps this many changes; a process that fell further behind rebuilds its signposts. */
export const KEY_CHANGES_KEPT = 50_000

export const userKeyChanges: Migration = {
  version: 4,
  description: 'a log of changes to the users sort and filter keys, for the jump signposts',
  up(db) {
    db.exec(`
      -- kind 'key': a user's key moved (old_* NULL: inserted; new_* NULL: deleted).
      -- kind 'reset': every key may have moved (a bulk load): signposts are rebuilt.
      CREATE TABLE user_key_changes (
        id        INTEGER PRIMARY KEY,
        kind      TEXT    NOT NULL CHECK (kind IN ('key', 'reset')),
        user_id   INTEGER,
        old_name  TEXT, old_email TEXT, old_role TEXT, old_class TEXT,
        new_name  TEXT, new_email TEXT, new_role TEXT, new_class TEXT
      ) STRICT;

      CREATE TRIGGER users_key_insert AFTER INSERT ON users BEGIN
        INSERT INTO user_key_changes (kind, user_id, new_name, new_email, new_role, new_class)
        VALUES ('key', NEW.id, NEW.name, NEW.email, NEW.role, NEW.tfa_class);
      END;
      CREATE TRIGGER users_key_delete AFTER DELETE ON users BEGIN
        INSERT INTO user_key_changes (kind, user_id, old_name, old_email, old_role, old_class)
        VALUES ('key', OLD.id, OLD.name, OLD.email, OLD.role, OLD.tfa_class);
      END;
      CREATE TRIGGER users_key_update AFTER UPDATE OF name, email, role, has_totp, enforcement ON users
      WHEN NEW.name IS NOT OLD.name OR NEW.email IS NOT OLD.email OR NEW.role IS NOT OLD.role OR NEW.tfa_class IS NOT OLD.tfa_class BEGIN
        INSERT INTO user_key_changes (kind, user_id, old_name, old_email, old_role, old_class, new_name, new_email, new_role, new_class)
        VALUES ('key', NEW.id, OLD.name, OLD.email, OLD.role, OLD.tfa_class, NEW.name, NEW.email, NEW.role, NEW.tfa_class);
      END;
      -- Bounded: each new change drops the one that falls out of the window (one index step).
      CREATE TRIGGER user_key_changes_prune AFTER INSERT ON user_key_changes BEGIN
        DELETE FROM user_key_changes WHERE id <= NEW.id - ${KEY_CHANGES_KEPT};
      END;
      -- Existing signposts (there are none yet in any process) are built from scratch.
      INSERT INTO user_key_changes (kind) VALUES ('reset');
    `)
  }
}
