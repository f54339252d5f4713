// The ranges a search reads for a prefix, a domain and the end of a local
// part end at prefixEnd (search-repo.ts): the least string above every string
// with that prefix. A name or an email holding U+10FFFF (the largest code
// point) right after the prefix, then more, is found like any other; the old
// end, prefix + U+10FFFF, sorted below it and left it out.
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { prefixEnd } from '../../../src/main/db/search-repo'
import * as usersRepo from '../../../src/main/db/users-repo'
import { setUpAdmin, TestEnv, type Screen } from '../helpers/harness'

const TOP = String.fromCodePoint(0x10ffff)

describe('prefixEnd', () => {
  it('raises the last code point (into the surrogates: a lone one is stored between U+D7FF and U+E000), drops trailing U+10FFFF and, under NOCASE, skips the ASCII capitals', () => {
    expect(prefixEnd('ab', false)).toBe('ac')
    expect(prefixEnd(`a${TOP}`, false)).toBe('b')
    expect(prefixEnd(`a${TOP}${TOP}`, false)).toBe('b')
    expect(prefixEnd('\ud7ff', false)).toBe('\ud800')
    expect(prefixEnd('\udfff', false)).toBe('\ue000')
    expect(prefixEnd('x\uffff', false)).toBe(`x${String.fromCodePoint(0x10000)}`)
    expect(prefixEnd('x@', false)).toBe('xA')
    expect(prefixEnd('x@', true)).toBe('x[')
    expect(prefixEnd('AB', true)).toBe('ac')
    // Nothing is above a run of U+10FFFF: the range has no end (a BLOB sorts above every text).
    expect(Buffer.isBuffer(prefixEnd(TOP, false))).toBe(true)
    expect(Buffer.isBuffer(prefixEnd('', true))).toBe(true)
  })

  it('is above every string with the prefix and below every other, in SQLite\'s own order', () => {
    const env = new TestEnv()
    try {
      const compare = (a: string, b: string | Buffer, nocase: boolean) =>
        env.db.prepare(`SELECT CASE WHEN ? < ? COLLATE ${nocase ? 'NOCASE' : 'BINARY'} THEN -1 ELSE 1 END`).pluck().get(a, b) as number
      const prefixes = ['a', 'ab', 'x@', 'Zz', `q${TOP}`, '\ud7ff', 'é', '\u{1f600}']
      const tails = ['', 'a', 'Z', TOP, `${TOP}${TOP}x`, '\u{1f600}', '~', '\u0000']
      for (const nocase of [false, true]) {
        for (const prefix of prefixes) {
          const end = prefixEnd(prefix, nocase)
          for (const tail of tails) expect(compare(`${prefix}${tail}`, end, nocase), `${JSON.stringify(prefix + tail)} below the end (nocase ${nocase})`).toBe(-1)
          // The end itself, and what follows it, do not start with the prefix.
          if (typeof end === 'string') {
            expect(compare(end, end, nocase)).toBe(1)
            expect(end.startsWith(nocase ? prefix.toLowerCase() : prefix)).toBe(false)
          }
        }
      }
      // Tight: a lone surrogate (stored as ED A0 80) is above U+D7FF and its end, not inside the range.
      expect(compare('\ud800', prefixEnd('\ud7ff', false), false)).toBe(1)
      expect(compare('\ud7ff\ud800', prefixEnd('\ud7ff', false), false)).toBe(-1)
    } finally {
      env.dispose()
    }
  })
})

describe('a search finds names and emails with U+10FFFF after the term', () => {
  let env: TestEnv
  let admin: Screen
  const ids: Record<string, number> = {}
  beforeAll(async () => {
    env = new TestEnv()
    ;({ screen: admin } = await setUpAdmin(env))
    const now = env.clock.now()
    const add = (key: string, name: string, email: string) => {
      ids[key] = usersRepo.insertUser(env.db, { name, email, role: 'user', passwordHash: null, now })
    }
    add('name', `Ab${TOP}Zed Quill`, 'quill.one@corp.test')
    add('email', 'Quentin Other', `ab${TOP}x.two@corp.test`)
    add('domain', 'Rosa Third', `rosa.three@ex${TOP}ample.test`)
    add('end', 'Sam Fourth', `sam${TOP}x@corp.test`)
    add('plain', 'Abel Plain', 'abel.plain@corp.test')
    add('other', 'Zoe Nobody', 'zoe.nobody@corp.test')
  })
  afterAll(() => env?.dispose())

  async function found(query: string): Promise<number[]> {
    const page = await admin.ok('listUsers', { query, limit: 100 })
    const count = await admin.ok('countUsers', { query })
    expect(count.total, `countUsers for ${JSON.stringify(query)}`).toBe(page.users.length)
    return page.users.map((user) => user.id).sort((a, b) => a - b)
  }

  it('a prefix of one or two characters, by name and by email', async () => {
    expect(await found('ab')).toEqual([ids.name, ids.email, ids.plain].sort((a, b) => a! - b!))
    expect(await found('AB')).toEqual([ids.name, ids.email, ids.plain].sort((a, b) => a! - b!))
    expect(await found('a')).toEqual(expect.arrayContaining([ids.name, ids.email, ids.plain]))
  })

  it('a domain, and the end of a local part with its domain', async () => {
    // The administrator set up first is at example.com: also a domain that starts with "ex".
    expect(await found('@ex')).toEqual(expect.arrayContaining([ids.domain]))
    expect(await found(`@ex${TOP}`)).toEqual([ids.domain])
    expect(await found('x@corp.test')).toEqual([ids.end])
  })
})
