// Schema 19: how many users each email domain holds, kept by triggers in the
// transaction of every change (as class_counts keeps the 2FA distribution).
//
// A search term is looked for among the domains (search-repo.ts): the domains
// that contain it were found by a hop per distinct domain along users_by_domain
// on every keystroke, and a term a domain holds ("example.com", "@example.com")
// was counted by reading every one of its users' index entries: 220 ms for
// five million at 10M users. The domains that contain a term are now read from
// this table, and the unfiltered count of a domain term is a sum of its rows.
// A domain with no user has no row.
import type { Migration } from './migration'

export const domainCounts: Migration = {
  version: 19,
  description: 'the number of users of each email domain, kept by triggers',
  up(db) {
    db.exec(`
      CREATE TABLE domain_counts (
        domain TEXT    PRIMARY KEY,
        users  INTEGER NOT NULL CHECK (users > 0)
      ) STRICT, WITHOUT ROWID;
      INSERT INTO domain_counts (domain, users)
        SELECT email_domain, count(*) FROM users INDEXED BY users_by_domain GROUP BY email_domain;

      CREATE TRIGGER users_insert_domain AFTER INSERT ON users BEGIN
        INSERT INTO domain_counts (domain, users) VALUES (NEW.email_domain, 1)
          ON CONFLICT (domain) DO UPDATE SET users = users + 1;
      END;
      CREATE TRIGGER users_delete_domain AFTER DELETE ON users BEGIN
        DELETE FROM domain_counts WHERE domain = OLD.email_domain AND users = 1;
        UPDATE domain_counts SET users = users - 1 WHERE domain = OLD.email_domain;
      END;
      CREATE TRIGGER users_update_domain AFTER UPDATE OF email ON users
      WHEN NEW.email_domain IS NOT OLD.email_domain BEGIN
        DELETE FROM domain_counts WHERE domain = OLD.email_domain AND users = 1;
        UPDATE domain_counts SET users = users - 1 WHERE domain = OLD.email_domain;
        INSERT INTO domain_counts (domain, users) VALUES (NEW.email_domain, 1)
          ON CONFLICT (domain) DO UPDATE SET users = users + 1;
      END;
    `)
  }
}
