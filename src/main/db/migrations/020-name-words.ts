// Schema 20: the words of every name and local part in name order (issue 14).
//
// A search for "maria" or "sanchez" had its matches from the trigram index in
// id order, so its first page in name order meant a walk of the name order
// testing each row, or a sort of every match: 63 ms for "maria" at 10M users.
// user_words holds one row per distinct word of a user's lowered name and local
// part (name-words.ts), keyed (word, name key, id): the users of one word are a
// range already in name order. A term without a separator lies inside one word,
// so its matches outside the domains are the users of the words that contain
// it, merged (search-words.ts). The distinct words and how many users each has
// are in search_words, and the words that contain a term are found by
// words_search, a trigram index of the distinct words (a handful to a few
// hundred thousand rows, not millions). Triggers keep all three in the
// transaction of every change of a name, an email or a name key.
import type { Migration } from './migration'
import { LOCAL_PART_SQL } from './013-search-shapes'
import { userWordsJsonSql } from '../name-words'

/** The rows of user_words of `row` (NEW, or the alias u of users joined before it), each once; keyed by `key` (migration 22: the email). */
export const USER_WORD_ROWS_SQL = (row: string, users = '', key: 'name_key' | 'email' = 'name_key'): string =>
  `SELECT DISTINCT j.value, ${row}.${key}, ${row}.id FROM ${users}json_each(${userWordsJsonSql(row, LOCAL_PART_SQL)}) j WHERE j.value <> ''`

/** The words of OLD, the ones its rows of user_words have. */
const OLD_WORDS_SQL = `SELECT value FROM json_each(${userWordsJsonSql('OLD', LOCAL_PART_SQL)})`

export const nameWords: Migration = {
  version: 20,
  description: 'the words of names and local parts in name order, for one-word searches',
  up(db) {
    db.exec(`
      CREATE TABLE user_words (
        word     TEXT    NOT NULL,
        name_key TEXT    NOT NULL COLLATE NOCASE,
        id       INTEGER NOT NULL,
        PRIMARY KEY (word, name_key, id)
      ) STRICT, WITHOUT ROWID;
      CREATE TABLE search_words (
        id    INTEGER PRIMARY KEY,
        word  TEXT    NOT NULL UNIQUE,
        users INTEGER NOT NULL CHECK (users > 0)
      ) STRICT;
      CREATE VIRTUAL TABLE words_search USING fts5(word, content = '', contentless_delete = 1, tokenize = 'trigram case_sensitive 1');

      CREATE TRIGGER search_words_insert AFTER INSERT ON search_words BEGIN
        INSERT INTO words_search (rowid, word) VALUES (NEW.id, NEW.word);
      END;
      CREATE TRIGGER search_words_delete AFTER DELETE ON search_words BEGIN
        DELETE FROM words_search WHERE rowid = OLD.id;
      END;
      CREATE TRIGGER user_words_insert AFTER INSERT ON user_words BEGIN
        INSERT INTO search_words (word, users) VALUES (NEW.word, 1) ON CONFLICT (word) DO UPDATE SET users = users + 1;
      END;
      CREATE TRIGGER user_words_delete AFTER DELETE ON user_words BEGIN
        DELETE FROM search_words WHERE word = OLD.word AND users = 1;
        UPDATE search_words SET users = users - 1 WHERE word = OLD.word;
      END;

      INSERT INTO user_words (word, name_key, id) ${USER_WORD_ROWS_SQL('u', 'users u, ')} ORDER BY 1, 2, 3;

      CREATE TRIGGER users_words_insert AFTER INSERT ON users BEGIN
        INSERT INTO user_words (word, name_key, id) ${USER_WORD_ROWS_SQL('NEW')};
      END;
      CREATE TRIGGER users_words_update AFTER UPDATE OF name, email, name_key ON users
      WHEN NEW.name IS NOT OLD.name OR NEW.email IS NOT OLD.email OR NEW.name_key IS NOT OLD.name_key BEGIN
        DELETE FROM user_words WHERE word IN (${OLD_WORDS_SQL}) AND name_key = OLD.name_key AND id = OLD.id;
        INSERT INTO user_words (word, name_key, id) ${USER_WORD_ROWS_SQL('NEW')};
      END;
      CREATE TRIGGER users_words_delete AFTER DELETE ON users BEGIN
        DELETE FROM user_words WHERE word IN (${OLD_WORDS_SQL}) AND name_key = OLD.name_key AND id = OLD.id;
      END;
    `)
  }
}
