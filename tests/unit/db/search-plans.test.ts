// EXPLAIN QUERY PLAN of the search's statements, for each shape of term
// (issue 14): each reads the index its shape is for, and none reads the users
// table from end to end (a term like "ab@" did until migration 16 indexed the
// ends of local parts).
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { TwoFactorClass } from '../../../src/shared/domain'
import { searchTerm } from '../../../src/main/core/listing/search-term'
import { ALL_CLASSES, matchingUserIdsStatement, type BoundStatement, type ClassFilter } from '../../../src/main/db/listing-repo'
import { narrowMatchesStatement, orderedPrefixPageStatement, otherMatchesStatement, startingPageStatement, walkMatchesStatement } from '../../../src/main/db/search-page-repo'
import { idsInFilter, idsInFilterStatement } from '../../../src/main/db/search-repo'
import { seededDatabase, type DemoDatabase } from '../helpers/demo-db'

let demo: DemoDatabase
beforeAll(() => {
  demo = seededDatabase(2_000, 3)
})
afterAll(() => demo.dispose())

interface PlanRow {
  id: number
  parent: number
  detail: string
}

function plan(statement: BoundStatement): string {
  return (demo.db.prepare(`EXPLAIN QUERY PLAN ${statement.sql}`).all(statement.params) as { detail: string }[]).map((row) => row.detail).join('\n')
}

/**
 * The columns a statement reads from a table row that an index read stands for (OP_DeferredSeek): the row is
 * sought only if one is read. None means the index alone answered.
 */
function deferredTableReads(statement: BoundStatement): string[] {
  const ops = demo.db.prepare(`EXPLAIN ${statement.sql}`).all(statement.params) as { opcode: string; p1: number; p2: number; p3: number }[]
  const deferred = new Set(ops.filter((op) => op.opcode === 'DeferredSeek').map((op) => op.p3))
  expect(deferred.size).toBeGreaterThan(0)
  return ops.filter((op) => op.opcode === 'Column' && deferred.has(op.p1)).map((op) => `cursor ${op.p1} column ${op.p2}`)
}

/** A read of a whole table with no index ("SCAN u", "SCAN users"), or of a whole index ("SCAN u USING ... INDEX") but the two partial ones empty in practice. */
const TABLE_SCAN = /^SCAN (u|users)$/m
const INDEX_SCAN = /^SCAN u USING (COVERING )?INDEX (?!users_name_with_at|users_local_end_missing)/m

const PENDING: ClassFilter = { classes: ['always' as TwoFactorClass], dueBy: null }
const term = (text: string) => searchTerm(text)!

describe('the statement of each shape of term reads its own index', () => {
  for (const filter of [ALL_CLASSES, PENDING]) {
    const label = filter === ALL_CLASSES ? '' : ' (within a status)'
    it(`a substring without an @: the trigram index, then the users it found, and the domains' index${label}`, () => {
      const details = plan(matchingUserIdsStatement(term('mari'), filter, 1001))
      expect(details).toMatch(/SCAN s VIRTUAL TABLE INDEX/)
      expect(details).toMatch(/SEARCH u USING INTEGER PRIMARY KEY \(rowid=\?\)/)
      expect(details).toMatch(/SEARCH u USING INDEX users_by_domain \(email_domain=\?/)
      expect(details).not.toMatch(TABLE_SCAN)
      expect(details).not.toMatch(INDEX_SCAN)
    })

    it(`a short substring without an @: one arm reads the trigram index's rowids alone, a user's row only for a filter${label}`, () => {
      const rows = demo.db.prepare(`EXPLAIN QUERY PLAN ${matchingUserIdsStatement(term('mari'), filter, 1001).sql}`).all(matchingUserIdsStatement(term('mari'), filter, 1001).params) as PlanRow[]
      // The arms are the co-routines of the compound query: the phrase's reads the virtual table and, unfiltered, no users row.
      const arms = rows.filter((row) => row.detail.startsWith('CO-ROUTINE')).map((arm) => rows.filter((row) => row.parent === arm.id).map((row) => row.detail))
      const phraseArms = arms.filter((details) => details.some((detail) => detail.startsWith('SCAN s VIRTUAL TABLE')))
      expect(phraseArms).toHaveLength(2)
      const readsRows = phraseArms.map((details) => details.some((detail) => detail.startsWith('SEARCH u USING INTEGER PRIMARY KEY')))
      expect(readsRows).toEqual(filter === ALL_CLASSES ? [false, true] : [true, true])
      // A long term is read by a few candidate trigrams and each row tested: one arm, which reads the rows.
      const long = matchingUserIdsStatement(term('elena.petrov'), filter, 1001)
      const longRows = demo.db.prepare(`EXPLAIN QUERY PLAN ${long.sql}`).all(long.params) as PlanRow[]
      expect(longRows.filter((row) => row.detail.startsWith('SCAN s VIRTUAL TABLE'))).toHaveLength(1)
    })

    it(`a term with a local part before its @ (a full email, in any case; "a@e"; "ab@"): a range of the index of local parts' ends, and the (empty) indexes of the unwritten and of names with an @${label}`, () => {
      for (const text of ['chen.petrov14@example.org', 'CHEN.PETROV14@EXAMPLE.ORG', 'a@e', 'ab@']) {
        const details = plan(matchingUserIdsStatement(term(text), filter, 1001))
        expect(details, text).toMatch(/SEARCH u USING (COVERING )?INDEX users_by_local_end \(email_local_rev>\? AND email_local_rev<\?\)/)
        expect(details, text).toMatch(/SCAN u USING INDEX users_local_end_missing/)
        expect(details, text).toMatch(/SCAN u USING INDEX users_name_with_at/)
        expect(details).not.toMatch(/users_search/)
        expect(details).not.toMatch(TABLE_SCAN)
        expect(details).not.toMatch(INDEX_SCAN)
      }
    })

    it(`a domain with its @: a range of the domain index${label}`, () => {
      const details = plan(matchingUserIdsStatement(term('@example.org'), filter, 1001))
      expect(details).toMatch(/SEARCH u USING INDEX users_by_domain \(email_domain>\? AND email_domain<\?\)/)
      expect(details).not.toMatch(TABLE_SCAN)
      expect(details).not.toMatch(INDEX_SCAN)
    })

    it(`a term with two @: only names can hold it, from their partial index${label}`, () => {
      const details = plan(matchingUserIdsStatement(term('a@b@c'), filter, 1001))
      expect(details).toMatch(/SCAN u USING INDEX users_name_with_at/)
      expect(details).not.toMatch(/users_search|users_by_domain/)
    })

    it(`a prefix of one or two characters: ranges of the name key and email indexes${label}`, () => {
      const details = plan(matchingUserIdsStatement(term('ma'), filter, 1001))
      expect(details).toMatch(/SEARCH u USING (COVERING )?INDEX users_by_name_key \(name_key>\? AND name_key<\?\)/)
      expect(details).toMatch(/SEARCH u USING (COVERING )?INDEX users_walk_by_email \(email>\? AND email<\?\)/)
      expect(details).not.toMatch(TABLE_SCAN)
      expect(details).not.toMatch(INDEX_SCAN)
    })
  }

})

describe('the statements of a page in order', () => {
  it("a walk reads the order's covering index from the cursor (or one class's, or one role's), and each row it lets through by id", () => {
    const base = { term: term('mar'), filter: ALL_CLASSES, direction: 'asc' as const, budget: 4000, limit: 51 }
    expect(plan(walkMatchesStatement({ ...base, order: 'name', after: { text: 'm', id: 3 } }))).toMatch(/SEARCH u USING COVERING INDEX users_by_name_key \(name_key>\?\)/)
    expect(plan(walkMatchesStatement({ ...base, order: 'email' }))).toMatch(/SCAN u USING COVERING INDEX users_walk_by_email/)
    expect(plan(walkMatchesStatement({ ...base, order: 'name', filter: PENDING, twoFactorClass: 'always' as TwoFactorClass }))).toMatch(/SEARCH u USING INDEX users_by_class_name \(tfa_class=\?\)/)
    // The administrators' own partial index holds the email too: a walk of it reads no user row to test one.
    expect(plan(walkMatchesStatement({ ...base, order: 'name', role: 'admin' }))).toMatch(/SCAN u USING COVERING INDEX users_admins_by_name/)
    expect(plan(walkMatchesStatement({ ...base, order: 'name', role: 'user' }))).toMatch(/SEARCH u USING INDEX users_by_role \(role=\?\)/)
    for (const details of [plan(walkMatchesStatement({ ...base, order: 'name' })), plan(walkMatchesStatement({ ...base, order: 'email' }))]) {
      expect(details).toMatch(/SEARCH u USING INTEGER PRIMARY KEY \(rowid=\?\)/)
      expect(details).not.toMatch(TABLE_SCAN)
    }
  })

  it("a walk of one class reads each row from the class's index, in name and email order: a user's row only for a row that may match (migration 17)", () => {
    const base = { term: term('mar'), filter: PENDING, direction: 'asc' as const, budget: 4000, limit: 51, twoFactorClass: 'always' as TwoFactorClass }
    for (const order of ['name', 'email'] as const) {
      // EXPLAIN QUERY PLAN says "USING INDEX" either way (tfa_class is a generated column); the bytecode says what is read.
      expect(plan(walkMatchesStatement({ ...base, order }))).toMatch(new RegExp(`SEARCH u USING INDEX users_by_class_${order} \\(tfa_class=\\?\\)`))
      expect(deferredTableReads(walkMatchesStatement({ ...base, order })), order).toEqual([])
    }
    // From a place (the class walk's leaps, search-class-walk.ts): a seek into the class's names, not a walk from its start.
    const fromPlace = walkMatchesStatement({ ...base, order: 'name', after: { text: 'maria\u0001Maria', id: 7 } })
    expect(plan(fromPlace)).toMatch(/SEARCH u USING INDEX users_by_class_name \(tfa_class=\? AND name_key>\?\)/)
    expect(deferredTableReads(fromPlace)).toEqual([])
  })

  it("a prefix in name or email order: its own column's range in order, and the few whose name and email start differently", () => {
    const base = { term: { kind: 'prefix' as const, text: 'ma' }, filter: ALL_CLASSES, direction: 'asc' as const, limit: 51 }
    const byName = plan(orderedPrefixPageStatement({ ...base, order: 'name' }))
    expect(byName).toMatch(/SEARCH u USING COVERING INDEX users_by_name_key \(name_key>\? AND name_key<\?\)/)
    expect(byName).toMatch(/SEARCH u USING INDEX users_prefix_differ_by_email \(email>\? AND email<\?\)/)
    const byEmail = plan(orderedPrefixPageStatement({ ...base, order: 'email' }))
    expect(byEmail).toMatch(/SEARCH u USING COVERING INDEX sqlite_autoindex_users_1 \(email>\? AND email<\?\)/)
    expect(byEmail).toMatch(/SEARCH u USING INDEX users_prefix_differ_by_name \(name_key>\? AND name_key<\?\)/)
    const oneClass = plan(orderedPrefixPageStatement({ ...base, order: 'name', group: { twoFactorClass: 'always' as TwoFactorClass } }))
    expect(oneClass).toMatch(/SEARCH u USING INDEX users_by_class_name \(tfa_class=\? AND name_key>\? AND name_key<\?\)/)
    const oneClassByEmail = plan(orderedPrefixPageStatement({ ...base, order: 'email', group: { twoFactorClass: 'always' as TwoFactorClass } }))
    expect(oneClassByEmail).toMatch(/SEARCH u USING (COVERING )?INDEX users_by_class_email \(tfa_class=\? AND email>\? AND email<\?\)/)
    const oneRole = plan(orderedPrefixPageStatement({ ...base, order: 'name', group: { role: 'admin' } }))
    expect(oneRole).toMatch(/SEARCH u USING (COVERING )?INDEX users_by_role \(role=\? AND name_key>\? AND name_key<\?\)/)
    for (const details of [byName, byEmail, oneClass, oneClassByEmail, oneRole]) expect(details).not.toMatch(TABLE_SCAN)
  })

  it('names that start with the term are a range of the name index; the others come from the trigram and domain indexes', () => {
    expect(plan(startingPageStatement({ term: term('maria'), filter: ALL_CLASSES, order: 'name', direction: 'asc', limit: 51 }))).toMatch(
      /^SEARCH u USING COVERING INDEX users_by_name_key \(name_key>\? AND name_key<\?\)$/
    )
    // Within a status of one class: the range within that class's part of the order's index, in order (the
    // name key or email the test reads is in it), stopping at the page.
    expect(plan(startingPageStatement({ term: term('maria'), filter: PENDING, order: 'name', direction: 'asc', limit: 51 }))).toMatch(
      /^SEARCH u USING INDEX users_by_class_name \(tfa_class=\? AND name_key>\? AND name_key<\?\)$/
    )
    expect(plan(startingPageStatement({ term: term('maria'), filter: PENDING, order: 'email', direction: 'asc', limit: 51 }))).toMatch(
      /^SEARCH u USING INDEX users_by_class_email \(tfa_class=\? AND email>\? AND email<\?\)$/
    )
    // Of several classes, each range would be read whole and sorted: the name order's range, in order.
    const twoClasses: ClassFilter = { classes: ['always', 'inherit'] as TwoFactorClass[], dueBy: null }
    const several = plan(startingPageStatement({ term: term('maria'), filter: twoClasses, order: 'name', direction: 'asc', limit: 51 }))
    expect(several).toMatch(/^SEARCH u USING (COVERING )?INDEX users_by_name_key \(name_key>\? AND name_key<\?\)/)
    expect(several).not.toMatch(/TEMP B-TREE/)
    const others = plan(otherMatchesStatement({ term: term('maria'), filter: ALL_CLASSES, order: 'name' }, 1001))
    expect(others).toMatch(/SCAN s VIRTUAL TABLE INDEX/)
    expect(others).toMatch(/SEARCH u USING INDEX users_by_domain \(email_domain=\?\)/)
    expect(others).not.toMatch(TABLE_SCAN)
    expect(others).not.toMatch(INDEX_SCAN)
  })
})

describe('a search within a narrow filter (migration 15)', () => {
  const narrowTests = ['admin', 'locked', 'disabled', 'individual', 'exempt', 'csv', 'ldap', 'fewRecoveryCodes'] as const
  for (const test of narrowTests) {
    it(`within "${test}" reads only that filter's index, covering: no user's row`, () => {
      for (const text of ['m', 'Ma', 'maria', 'chen.petrov14@example.org']) {
        const filter: ClassFilter = { classes: null, dueBy: null, rows: { tests: [test, 'enabled'], now: 0 } }
        const statement = narrowMatchesStatement(term(text), filter, 1001)
        expect(statement, text).not.toBeNull()
        const details = plan(statement!)
        expect(details, `${test} ${text}`).toMatch(/^SCAN u USING COVERING INDEX users_\w+_by_name$/m)
        expect(details).not.toMatch(TABLE_SCAN)
        expect(details).not.toMatch(/SEARCH u USING INTEGER PRIMARY KEY/)
      }
    })
  }
})

describe('the users of a filter among a few ids in hand', () => {
  it('seeks each id, reading no index of the term and no whole table', () => {
    const always = ['always' as TwoFactorClass]
    const filters: ClassFilter[] = [
      { classes: always, dueBy: null },
      { classes: always, dueBy: null, rows: { tests: ['admin'], now: 0 } },
      { classes: null, dueBy: null, rows: { tests: ['admin'], now: 0 } },
      { classes: null, dueBy: null, rows: { tests: ['locked', 'enabled'], now: 0 } },
      { classes: always, dueBy: 0, rows: { tests: ['exempt', 'ldap'], now: 0 } }
    ]
    for (const filter of filters) {
      const details = plan(idsInFilterStatement([1, 2, 3], filter))
      expect(details, JSON.stringify(filter)).toMatch(/SEARCH u USING INTEGER PRIMARY KEY \(rowid=\?\)/)
      expect(details, JSON.stringify(filter)).not.toMatch(/(SEARCH|SCAN) u USING (COVERING )?INDEX/)
      expect(details).not.toMatch(TABLE_SCAN)
      expect(idsInFilter(demo.db, [], filter)).toEqual([])
    }
  })
})
