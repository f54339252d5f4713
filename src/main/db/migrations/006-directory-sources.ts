// Schema 6: where each user comes from, and the one LDAP / Active Directory
// connection. A user is `local` (the app, the command line), `csv` (an import)
// or `ldap` (a directory sync, which keeps the entry's DN and its stable id:
// entryUUID in OpenLDAP, objectGUID in Active Directory). `directory_disabled`
// marks a user the sync disabled because the directory no longer has them or
// disabled them there: only those does a sync re-enable, never one an
// administrator disabled in this app.
import type { Migration } from './migration'

export const directorySources: Migration = {
  version: 6,
  description: 'user sources (local, csv, ldap), directory identities, the directory connection',
  up(db) {
    db.exec(`
      ALTER TABLE users ADD COLUMN source TEXT NOT NULL DEFAULT 'local' CHECK (source IN ('local', 'csv', 'ldap'));
      ALTER TABLE users ADD COLUMN directory_dn TEXT;
      ALTER TABLE users ADD COLUMN directory_id TEXT;
      ALTER TABLE users ADD COLUMN directory_disabled INTEGER NOT NULL DEFAULT 0 CHECK (directory_disabled IN (0, 1));
      CREATE UNIQUE INDEX users_by_directory_id ON users (directory_id) WHERE directory_id IS NOT NULL;
      -- A sync reads every directory user it manages, and only those.
      CREATE INDEX users_from_directory ON users (source, id) WHERE source = 'ldap';

      CREATE TABLE directory_connection (
        id                   INTEGER PRIMARY KEY CHECK (id = 1),
        preset               TEXT    NOT NULL CHECK (preset IN ('openldap', 'active-directory')),
        url                  TEXT    NOT NULL,
        base_dn              TEXT    NOT NULL,
        bind_dn              TEXT    NOT NULL,
        bind_password_enc    BLOB    NOT NULL,
        user_filter          TEXT,
        group_dn             TEXT,
        email_attribute      TEXT    NOT NULL,
        name_attribute       TEXT    NOT NULL,
        login_attribute      TEXT    NOT NULL,
        start_tls            INTEGER NOT NULL DEFAULT 0 CHECK (start_tls IN (0, 1)),
        ca_file              TEXT,
        mass_disable_percent INTEGER NOT NULL DEFAULT 10 CHECK (mass_disable_percent BETWEEN 0 AND 100),
        schedule_minutes     INTEGER CHECK (schedule_minutes IS NULL OR schedule_minutes BETWEEN 5 AND 10080),
        changed_at           INTEGER NOT NULL,
        changed_by           TEXT    NOT NULL,
        last_sync_at         INTEGER,
        last_sync_summary    TEXT
      ) STRICT;
    `)
  }
}
