// Schema 21: the trigram index of the distinct words finds the words that end
// with one or two characters too (issue 14).
//
// A term with separators reads the users of the words each of its pieces
// allows (search-pieces.ts); the piece before its first separator ends a word
// ("ov" of "ov14", "e" of "e.s"). A trigram index finds the words that end with
// three characters or more, but "ov" has no trigram: such a piece was left
// out, and "ov14" at 10M users sorted its 5,143 matches (13 ms), "e.s" sorted
// about 150,000 (220 ms). Each word is now indexed with two end marks after it
// (U+001F, a separator, so never in a word): the words that end with "ov" are
// the rows of the one trigram "ov" + mark, those that end with "e" of "e" and
// two marks. A term never holds the mark, so what contains it is unchanged.
// The index holds the distinct words only (249 in the demo directories, a few
// hundred thousand at most), so this rebuilds it at once at any size.
import type { Migration } from './migration'

/** What words_search holds of a word: the word and its two end marks. */
export const WORD_ENDS_SQL = (word: string): string => `${word} || char(31) || char(31)`

export const wordEnds: Migration = {
  version: 21,
  description: 'the index of the distinct words finds the words that end with one or two characters',
  up(db) {
    db.exec(`
      DROP TRIGGER search_words_insert;
      DROP TRIGGER search_words_delete;
      DROP TABLE words_search;
      CREATE VIRTUAL TABLE words_search USING fts5(word, content = '', contentless_delete = 1, tokenize = 'trigram case_sensitive 1');
      INSERT INTO words_search (rowid, word) SELECT id, ${WORD_ENDS_SQL('word')} FROM search_words;
      CREATE TRIGGER search_words_insert AFTER INSERT ON search_words BEGIN
        INSERT INTO words_search (rowid, word) VALUES (NEW.id, ${WORD_ENDS_SQL('NEW.word')});
      END;
      CREATE TRIGGER search_words_delete AFTER DELETE ON search_words BEGIN
        DELETE FROM words_search WHERE rowid = OLD.id;
      END;
    `)
  }
}
