// Schema 8: groups with members, enforcement by group, an exemption group for
// the global policy, and deadlines (grace periods) for every enforcement.
//
// Enforcing a group must cost one row at any size, and the counts must stay
// exact without a scan. So a user's groups are kept as a *group set*: every
// distinct combination of groups is one row of group_sets, and users.group_set
// says which combination a user has (0: none), kept by triggers on
// group_members. The 2FA class of migration 2 becomes (base class, group set):
// users.tfa_class is the base class alone for users in no group (so a
// directory without groups keeps its classes), else 'base@set'. class_counts
// counts per class as before, so the distribution under any policy and any
// group enforcement is a sum over the classes that exist, and a group's
// enforcement is read at query time from one row of groups.
import type { Migration } from './migration'

const BASE_CLASS = `CASE
          WHEN has_totp = 1 THEN 'active'
          WHEN role = 'admin' OR enforcement = 'enforced' THEN 'always'
          WHEN enforcement = 'exempt' THEN 'exempt'
          ELSE 'inherit'
        END`

/** The JSON array of a user's groups, ascending: the key of their group set. */
const MEMBERS_OF = (user: string) =>
  `(SELECT json_group_array(group_id) FROM (SELECT group_id FROM group_members WHERE user_id = ${user} ORDER BY group_id))`

const SET_OF = (user: string) => `
  INSERT OR IGNORE INTO group_sets (members) VALUES (${MEMBERS_OF(user)});
  UPDATE users SET group_set = (SELECT s.id FROM group_sets s WHERE s.members = ${MEMBERS_OF(user)}) WHERE id = ${user};`

/** Moves one user (the row `row`) in or out of individual_deadline_counts. */
const ADD_DEADLINE = (row: 'NEW' | 'OLD', delta: 1 | -1) =>
  delta === 1
    ? `INSERT INTO individual_deadline_counts (tfa_class, deadline, users) VALUES (${row}.tfa_class, coalesce(${row}.enforcement_deadline, 0), 1)
         ON CONFLICT (tfa_class, deadline) DO UPDATE SET users = users + 1;`
    : `UPDATE individual_deadline_counts SET users = users - 1 WHERE tfa_class = ${row}.tfa_class AND deadline = coalesce(${row}.enforcement_deadline, 0);
       DELETE FROM individual_deadline_counts WHERE tfa_class = ${row}.tfa_class AND deadline = coalesce(${row}.enforcement_deadline, 0) AND users = 0;`

export const groupsAndDeadlines: Migration = {
  version: 8,
  description: 'groups, enforcement by group, exemption group, deadlines; classes per group set',
  up(db) {
    db.exec(`
      -- AUTOINCREMENT: a deleted group's id is never given to another, so a stale screen or script cannot hit the wrong group.
      CREATE TABLE groups (
        id           INTEGER PRIMARY KEY AUTOINCREMENT,
        name         TEXT    NOT NULL COLLATE NOCASE UNIQUE CHECK (length(name) BETWEEN 1 AND 200),
        source       TEXT    NOT NULL DEFAULT 'local' CHECK (source IN ('local', 'ldap')),
        directory_dn TEXT,
        enforced     INTEGER NOT NULL DEFAULT 0 CHECK (enforced IN (0, 1)),
        -- While enforced: activation is due by this epoch ms (the moment of enforcing when there is no grace period).
        deadline     INTEGER,
        enforced_by  TEXT,
        enforced_at  INTEGER,
        created_at   INTEGER NOT NULL,
        CHECK (enforced = 0 OR deadline IS NOT NULL)
      ) STRICT;

      CREATE TABLE group_members (
        group_id INTEGER NOT NULL REFERENCES groups (id) ON DELETE CASCADE,
        user_id  INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
        PRIMARY KEY (group_id, user_id)
      ) STRICT, WITHOUT ROWID;
      CREATE INDEX group_members_by_user ON group_members (user_id, group_id);

      -- Every combination of groups some user has (or had): 0 is no group.
      CREATE TABLE group_sets (
        id      INTEGER PRIMARY KEY,
        members TEXT    NOT NULL UNIQUE
      ) STRICT;
      CREATE TABLE group_set_groups (
        set_id   INTEGER NOT NULL REFERENCES group_sets (id) ON DELETE CASCADE,
        group_id INTEGER NOT NULL,
        PRIMARY KEY (set_id, group_id)
      ) STRICT, WITHOUT ROWID;
      CREATE INDEX group_set_groups_by_group ON group_set_groups (group_id, set_id);
      CREATE TRIGGER group_sets_insert AFTER INSERT ON group_sets BEGIN
        INSERT INTO group_set_groups (set_id, group_id) SELECT NEW.id, value FROM json_each(NEW.members);
      END;
      INSERT INTO group_sets (id, members) VALUES (0, '[]');

      ALTER TABLE users ADD COLUMN group_set INTEGER NOT NULL DEFAULT 0;
      -- An individual enforcement's deadline (epoch ms); NULL while not individually enforced.
      ALTER TABLE users ADD COLUMN enforcement_deadline INTEGER;
      UPDATE users SET enforcement_deadline = coalesce(enforcement_at, 0) WHERE enforcement = 'enforced';

      CREATE TRIGGER group_members_insert_set AFTER INSERT ON group_members BEGIN ${SET_OF('NEW.user_id')}
      END;
      CREATE TRIGGER group_members_delete_set AFTER DELETE ON group_members BEGIN ${SET_OF('OLD.user_id')}
      END;

      ALTER TABLE enforcement_policy ADD COLUMN deadline INTEGER;
      ALTER TABLE enforcement_policy ADD COLUMN exempt_group_id INTEGER REFERENCES groups (id) ON DELETE SET NULL;
      UPDATE enforcement_policy SET deadline = coalesce(changed_at, 0) WHERE enforced_for_all = 1;

      -- The class becomes (base class, group set): everything built on tfa_class is rebuilt on the new column.
      DROP TRIGGER users_insert_count;
      DROP TRIGGER users_delete_count;
      DROP TRIGGER users_update_count;
      DROP TRIGGER users_key_insert;
      DROP TRIGGER users_key_delete;
      DROP TRIGGER users_key_update;
      DROP INDEX users_by_class_name;
      DROP INDEX users_by_class_email;
      DROP INDEX users_by_class_role;
      ALTER TABLE users DROP COLUMN tfa_class;
      ALTER TABLE users ADD COLUMN tfa_class TEXT GENERATED ALWAYS AS (
        CASE WHEN group_set = 0 THEN ${BASE_CLASS} ELSE ${BASE_CLASS} || '@' || group_set END) VIRTUAL;
      CREATE INDEX users_by_class_name ON users (tfa_class, name COLLATE NOCASE, id);
      CREATE INDEX users_by_class_email ON users (tfa_class, email);
      CREATE INDEX users_by_class_role ON users (tfa_class, role, name COLLATE NOCASE, id);
      -- Individually enforced users still without 2FA, by deadline: the overdue part of an 'always' class.
      CREATE INDEX users_individual_deadline ON users (enforcement_deadline)
        WHERE enforcement = 'enforced' AND role <> 'admin' AND has_totp = 0;
      -- The same users counted per class and deadline, kept by triggers: how many are still in
      -- their grace period is a sum over the deadlines after now (one per enforcing action,
      -- not one per user), never a count of users. Rows at 0 are removed.
      CREATE TABLE individual_deadline_counts (
        tfa_class TEXT    NOT NULL,
        deadline  INTEGER NOT NULL,
        users     INTEGER NOT NULL CHECK (users >= 0),
        PRIMARY KEY (tfa_class, deadline)
      ) STRICT, WITHOUT ROWID;
      INSERT INTO individual_deadline_counts (tfa_class, deadline, users)
        SELECT tfa_class, coalesce(enforcement_deadline, 0), count(*) FROM users
        WHERE enforcement = 'enforced' AND role <> 'admin' AND has_totp = 0 GROUP BY 1, 2;

      DROP TABLE class_counts;
      CREATE TABLE class_counts (
        tfa_class TEXT    PRIMARY KEY,
        users     INTEGER NOT NULL CHECK (users >= 0)
      ) STRICT, WITHOUT ROWID;
      INSERT INTO class_counts (tfa_class, users)
        SELECT k.tfa_class, 0 FROM (SELECT 'active' AS tfa_class UNION ALL SELECT 'always' UNION ALL SELECT 'inherit' UNION ALL SELECT 'exempt') k;
      INSERT INTO class_counts (tfa_class, users) SELECT tfa_class, count(*) FROM users GROUP BY tfa_class
        ON CONFLICT (tfa_class) DO UPDATE SET users = excluded.users;

      CREATE TRIGGER users_insert_count AFTER INSERT ON users BEGIN
        INSERT INTO class_counts (tfa_class, users) VALUES (NEW.tfa_class, 1) ON CONFLICT (tfa_class) DO UPDATE SET users = users + 1;
      END;
      CREATE TRIGGER users_delete_count AFTER DELETE ON users BEGIN
        UPDATE class_counts SET users = users - 1 WHERE tfa_class = OLD.tfa_class;
      END;
      CREATE TRIGGER users_update_count AFTER UPDATE OF has_totp, role, enforcement, group_set ON users
      WHEN NEW.tfa_class IS NOT OLD.tfa_class BEGIN
        UPDATE class_counts SET users = users - 1 WHERE tfa_class = OLD.tfa_class;
        INSERT INTO class_counts (tfa_class, users) VALUES (NEW.tfa_class, 1) ON CONFLICT (tfa_class) DO UPDATE SET users = users + 1;
      END;

      CREATE TRIGGER users_insert_deadline AFTER INSERT ON users
      WHEN NEW.enforcement = 'enforced' AND NEW.role <> 'admin' AND NEW.has_totp = 0 BEGIN
        ${ADD_DEADLINE('NEW', 1)}
      END;
      CREATE TRIGGER users_delete_deadline AFTER DELETE ON users
      WHEN OLD.enforcement = 'enforced' AND OLD.role <> 'admin' AND OLD.has_totp = 0 BEGIN
        ${ADD_DEADLINE('OLD', -1)}
      END;
      CREATE TRIGGER users_update_deadline_old AFTER UPDATE OF enforcement, role, has_totp, enforcement_deadline, group_set ON users
      WHEN OLD.enforcement = 'enforced' AND OLD.role <> 'admin' AND OLD.has_totp = 0 BEGIN
        ${ADD_DEADLINE('OLD', -1)}
      END;
      CREATE TRIGGER users_update_deadline_new AFTER UPDATE OF enforcement, role, has_totp, enforcement_deadline, group_set ON users
      WHEN NEW.enforcement = 'enforced' AND NEW.role <> 'admin' AND NEW.has_totp = 0 BEGIN
        ${ADD_DEADLINE('NEW', 1)}
      END;

      CREATE TRIGGER users_key_insert AFTER INSERT ON users BEGIN
        INSERT INTO user_key_changes (kind, user_id, new_name, new_email, new_role, new_class)
        VALUES ('key', NEW.id, NEW.name, NEW.email, NEW.role, NEW.tfa_class);
      END;
      CREATE TRIGGER users_key_delete AFTER DELETE ON users BEGIN
        INSERT INTO user_key_changes (kind, user_id, old_name, old_email, old_role, old_class)
        VALUES ('key', OLD.id, OLD.name, OLD.email, OLD.role, OLD.tfa_class);
      END;
      CREATE TRIGGER users_key_update AFTER UPDATE OF name, email, role, has_totp, enforcement, group_set ON users
      WHEN NEW.name IS NOT OLD.name OR NEW.email IS NOT OLD.email OR NEW.role IS NOT OLD.role OR NEW.tfa_class IS NOT OLD.tfa_class BEGIN
        INSERT INTO user_key_changes (kind, user_id, old_name, old_email, old_role, old_class, new_name, new_email, new_role, new_class)
        VALUES ('key', NEW.id, OLD.name, OLD.email, OLD.role, OLD.tfa_class, NEW.name, NEW.email, NEW.role, NEW.tfa_class);
      END;
      INSERT INTO user_key_changes (kind) VALUES ('reset');
    `)
  }
}
