// Schema 22: the words of every name and local part in email order too
// (issue 14).
//
// user_words (migration 20) holds each user's words keyed (word, name key, id),
// so a one-word search in name order merges its words' ranges. In email order
// there was no such range: a term spread through the emails ("mar" sorted by
// email, descending) walked the email order for its page, 11.5 ms at 10M users,
// and a term whose matches gather in a part of it ("maria", "ria") sorted every
// match (64 and 320 ms). user_words_by_email holds the same words keyed (word,
// email, id), the email as users holds it (NOCASE, the order of the Users
// list): the users of one word are a range in email order. The distinct words
// and their counts stay with user_words (search_words); triggers keep this
// table in the transaction of every change of a name or an email, also of an
// email's case alone (a directory sync lowers what the directory sends), which
// the column's NOCASE would call no change.
import type { Migration } from './migration'
import { USER_WORD_ROWS_SQL } from './020-name-words'
import { LOCAL_PART_SQL } from './013-search-shapes'
import { userWordsJsonSql } from '../name-words'

/** The words of OLD, the ones its rows of user_words_by_email have. */
const OLD_WORDS_SQL = `SELECT value FROM json_each(${userWordsJsonSql('OLD', LOCAL_PART_SQL)})`

/** The rows of user_words_by_email of `row` (NEW, or the alias u of users joined before it), each once. */
export const USER_EMAIL_WORD_ROWS_SQL = (row: string, users = ''): string => USER_WORD_ROWS_SQL(row, users, 'email')

export const wordsByEmail: Migration = {
  version: 22,
  description: 'the words of names and local parts in email order, for one-word searches sorted by email',
  up(db) {
    db.exec(`
      CREATE TABLE user_words_by_email (
        word  TEXT    NOT NULL,
        email TEXT    NOT NULL COLLATE NOCASE,
        id    INTEGER NOT NULL,
        PRIMARY KEY (word, email, id)
      ) STRICT, WITHOUT ROWID;

      -- The words user_words holds already (exact: its triggers), each with its user's email: at 1M users this is
      -- about a quarter faster than splitting every name and local part again, the sort of the rows being the rest.
      INSERT INTO user_words_by_email (word, email, id) SELECT w.word, u.email, w.id FROM user_words w CROSS JOIN users u ON u.id = w.id ORDER BY 1, 2, 3;

      CREATE TRIGGER users_email_words_insert AFTER INSERT ON users BEGIN
        INSERT INTO user_words_by_email (word, email, id) ${USER_EMAIL_WORD_ROWS_SQL('NEW')};
      END;
      CREATE TRIGGER users_email_words_update AFTER UPDATE OF name, email ON users
      WHEN NEW.name IS NOT OLD.name OR NEW.email IS NOT OLD.email COLLATE BINARY BEGIN
        DELETE FROM user_words_by_email WHERE word IN (${OLD_WORDS_SQL}) AND email = OLD.email AND id = OLD.id;
        INSERT INTO user_words_by_email (word, email, id) ${USER_EMAIL_WORD_ROWS_SQL('NEW')};
      END;
      CREATE TRIGGER users_email_words_delete AFTER DELETE ON users BEGIN
        DELETE FROM user_words_by_email WHERE word IN (${OLD_WORDS_SQL}) AND email = OLD.email AND id = OLD.id;
      END;
    `)
  }
}
