// Schema 7: the RADIUS clients (the VPN gateways, Wi-Fi controllers and other
// network devices allowed to ask the RADIUS service to check a sign-in), each
// with its shared secret sealed under the secrets key.
import type { Migration } from './migration'

export const radiusClients: Migration = {
  version: 7,
  description: 'RADIUS clients: name, address or CIDR, sealed shared secret, require 2FA',
  up(db) {
    db.exec(`
      CREATE TABLE radius_clients (
        id          INTEGER PRIMARY KEY,
        name        TEXT    NOT NULL COLLATE NOCASE UNIQUE,
        address     TEXT    NOT NULL,
        secret_enc  BLOB    NOT NULL,
        require_2fa INTEGER NOT NULL DEFAULT 0 CHECK (require_2fa IN (0, 1)),
        created_at  INTEGER NOT NULL,
        created_by  TEXT    NOT NULL
      ) STRICT;
    `)
  }
}
