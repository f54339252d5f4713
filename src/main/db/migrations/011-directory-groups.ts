// Schema 11: the directory groups to bring in ("Groups to bring in", issue 12),
// stored with the one directory connection as a JSON array of DNs (at most 50,
// checked by the schema before they are stored). The groups a sync makes of
// them are rows of `groups` with source 'ldap' and their DN (migration 8).
import type { Migration } from './migration'

export const directoryGroups: Migration = {
  version: 11,
  description: 'the directory groups a sync brings in, stored with the directory connection',
  up(db) {
    db.exec(`
      ALTER TABLE directory_connection ADD COLUMN sync_group_dns TEXT NOT NULL DEFAULT '[]'
        CHECK (json_valid(sync_group_dns) AND json_type(sync_group_dns) = 'array');
    `)
  }
}
