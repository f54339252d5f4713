// The parameters a statement's text names (keep), and the LIMIT a merge of
// ranges carries in its text (mergeLimit): only counts become SQL.
import { describe, expect, it } from 'vitest'
import { keep } from '../../../src/main/db/search-repo'
import { mergeLimit } from '../../../src/main/db/search-words-repo'

describe('the parameters a text names', () => {
  it('keeps each name the text holds as a whole, and no other', () => {
    const params = { q: 1, qq: 2, word1: 3, word10: 4, limit: 5 }
    expect(keep(params, 'SELECT @qq, @word10 LIMIT 3')).toEqual({ qq: 2, word10: 4 })
    expect(keep(params, 'SELECT @q WHERE x = @word1 AND y = @word1')).toEqual({ q: 1, word1: 3 })
    expect(keep(params, 'SELECT 1')).toEqual({})
    // The same text again (read from what the first call found) and another text: each its own.
    expect(keep(params, 'SELECT @qq, @word10 LIMIT 3')).toEqual({ qq: 2, word10: 4 })
    expect(keep(params, 'SELECT @limit')).toEqual({ limit: 5 })
  })
})

describe("a merge's limit", () => {
  it('is a count, written as one', () => {
    expect(mergeLimit(64)).toBe('LIMIT 64')
    expect(mergeLimit(1, 63)).toBe('LIMIT 1 OFFSET 63')
    expect(mergeLimit(0)).toBe('LIMIT 0')
  })

  it('refuses anything else', () => {
    for (const bad of [-1, 1.5, Number.NaN, Infinity, 2 ** 60]) expect(() => mergeLimit(bad), String(bad)).toThrow(/must be a count/)
    expect(() => mergeLimit(1, -1)).toThrow(/must be a count/)
    expect(() => mergeLimit('1; DROP TABLE users' as unknown as number)).toThrow(/must be a count/)
  })
})
