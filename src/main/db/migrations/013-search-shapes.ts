// Schema 13: search by the shape of what is typed (issue 14). An email is a
// local part and a domain (the address rule allows exactly one @), so a term
// without an @ lies wholly in one of them, and a term L@R matches when the
// local part ends with L and the domain starts with R:
//   - the trigram index now holds a user's name and the local part of the
//     email, not the domain: a domain shared by most of the directory no longer
//     fills every doclist of a term like "example";
//   - `email_domain` (generated from the email, lowered) and its index answer
//     the domain side: `@example.com` is a range of it, `example.com` the few
//     distinct domains that contain it, each counted from the index alone;
//   - names with an @ (none in practice) have a partial index, so a term with
//     an @ checks the names without reading the directory;
//   - users whose name and email start with different letters (Łukasz,
//     lukasz@; Bob Smith, bsmith@) have a partial index in each order: a
//     prefix search in name order reads the emails that start with the term
//     but whose names do not from it, rather than every email with the prefix;
//   - a search walks the name or email order testing each row: the name order's
//     index now carries the email, and an email-order index the name key (which
//     holds the name), so a walk reads only the index until a row may match.
// The search index is written again for every user, in one statement.
import type { Migration } from './migration'

/** The local part of an email, lowered as the search index holds it (ASCII, as SQLite's lower()). */
export const LOCAL_PART_SQL = (email: string): string => `lower(substr(${email}, 1, instr(${email}, '@') - 1))`

/**
 * Whether a user's name and email start with different first two characters
 * (ASCII case ignored): every user matched by a prefix of one or two
 * characters in one of them but not the other is among these.
 */
export const PREFIX_DIFFERS_SQL = 'substr(lower(name), 1, 2) <> substr(lower(email), 1, 2)'

export const searchShapes: Migration = {
  version: 13,
  description: 'search by shape: the trigram index holds names and local parts, the domain has its own index',
  up(db) {
    db.exec(`
      DROP TRIGGER users_search_insert;
      DROP TRIGGER users_search_update;
      DROP TRIGGER users_search_delete;
      DROP TABLE users_search;
      CREATE VIRTUAL TABLE users_search USING fts5(
        name, local, content = '', contentless_delete = 1, tokenize = 'trigram case_sensitive 1'
      );
      INSERT INTO users_search (rowid, name, local) SELECT id, lower(name), ${LOCAL_PART_SQL('email')} FROM users;
      INSERT INTO users_search (users_search) VALUES ('optimize');
      CREATE TRIGGER users_search_insert AFTER INSERT ON users BEGIN
        INSERT INTO users_search (rowid, name, local) VALUES (NEW.id, lower(NEW.name), ${LOCAL_PART_SQL('NEW.email')});
      END;
      CREATE TRIGGER users_search_update AFTER UPDATE OF name, email ON users
      WHEN NEW.name IS NOT OLD.name OR NEW.email IS NOT OLD.email BEGIN
        DELETE FROM users_search WHERE rowid = OLD.id;
        INSERT INTO users_search (rowid, name, local) VALUES (NEW.id, lower(NEW.name), ${LOCAL_PART_SQL('NEW.email')});
      END;
      CREATE TRIGGER users_search_delete AFTER DELETE ON users BEGIN
        DELETE FROM users_search WHERE rowid = OLD.id;
      END;

      ALTER TABLE users ADD COLUMN email_domain TEXT GENERATED ALWAYS AS (lower(substr(email, instr(email, '@') + 1))) VIRTUAL;
      CREATE INDEX users_by_domain ON users (email_domain, tfa_class);
      CREATE INDEX users_name_with_at ON users (id) WHERE instr(name, '@') > 0;
      CREATE INDEX users_prefix_differ_by_email ON users (email) WHERE ${PREFIX_DIFFERS_SQL};
      CREATE INDEX users_prefix_differ_by_name ON users (name_key, id) WHERE ${PREFIX_DIFFERS_SQL};
      DROP INDEX users_by_name_key;
      CREATE INDEX users_by_name_key ON users (name_key, id, email);
      CREATE INDEX users_walk_by_email ON users (email, id, name_key);
    `)
  }
}
