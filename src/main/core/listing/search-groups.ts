// A search page in status or role order by walking (search-page.ts): the
// groups in their order (the statuses' ranks, the roles), each group's own
// indexes walked in name order (a class's, a role's) and merged, so that the
// first page of "mar" by status reads a few hundred rows, not every match (a
// term of one word reads each status group from the words index instead,
// search-words-repo.ts: a class's first rows may be thousands of namesakes).
// And a prefix within a status in name or email order: one seek per class.
import type { Role, TwoFactorClass } from '../../../shared/domain'
import type { Database } from '../../db/connection'
import type { SearchTerm } from '../../db/listing-repo'
import { orderedPrefixPage, walkMatches, type OrderedPrefixQuery, type WalkQuery } from '../../db/search-page-repo'
import { hasRowTests } from '../../db/row-filter-repo'
import { wordsPageIds } from '../../db/search-words-repo'
import { classRanks, compareNoCase, rankOfGroup, ROLE_ORDER, type ArmSource } from './keyset'
import type { CursorPosition, ListRequest } from './list-request'

/** Walk per group member up to this many (every class in use, a status being several). */
const MAX_WALKED = 8

export interface GroupWalkInput {
  request: ListRequest
  source: ArmSource
  term: SearchTerm
  after: CursorPosition | null
  wanted: number
  order: 'status' | 'role'
  walkRows: number
  /** The longer stretch a member's walk may take when its first did not fill the page. */
  maxWalkRows: number
  /**
   * The words that hold a one-word term (search-words.ts), when the words
   * index may read a status group's users instead of walking it, and which
   * groups it may: those that list enough of the directory (MIN_WORDS_SHARE).
   */
  words?: { words: readonly string[]; serves: (classes: readonly TwoFactorClass[]) => boolean }
}

/** One member of a group: a class (status order) or a role (role order). */
type Member = { twoFactorClass: TwoFactorClass } | { role: Role }

/** The groups after the cursor, in order, with their members. */
function groupsOf(input: GroupWalkInput): { rank: number; members: Member[] }[] | null {
  const { request, source, after } = input
  const asc = request.direction === 'asc'
  const afterRank = after === null ? null : rankOfGroup(input.order, after.group)
  const byRank = new Map<number, Member[]>()
  if (input.order === 'status') {
    const classes = source.filter.classes ?? source.inUse
    if (classes.length > MAX_WALKED) return null
    const ranks = classRanks(classes, request.policy)
    for (const twoFactorClass of classes) byRank.set(ranks[twoFactorClass] ?? 2, [...(byRank.get(ranks[twoFactorClass] ?? 2) ?? []), { twoFactorClass }])
  } else {
    ROLE_ORDER.forEach((role, rank) => byRank.set(rank, [{ role }]))
  }
  return [...byRank.entries()]
    .filter(([rank]) => afterRank === null || (asc ? rank >= afterRank : rank <= afterRank))
    .sort(([a], [b]) => (asc ? a - b : b - a))
    .map(([rank, members]) => ({ rank, members }))
}

/** A page's ids by walking each group's indexes; null when a walk stopped at its budget before it had the page. */
export function walkByGroups(db: Database, input: GroupWalkInput): number[] | null {
  const { request, source, term, after, wanted } = input
  const groups = groupsOf(input)
  if (groups === null) return null
  const asc = request.direction === 'asc'
  const afterRank = after === null ? null : rankOfGroup(input.order, after.group)
  const found: number[] = []
  for (const { rank, members } of groups) {
    const need = wanted - found.length
    const rows: { id: number; k: string }[] = []
    const resume = afterRank === rank && after !== null ? { text: after.text, id: after.id } : undefined
    const classes = members.flatMap((member) => ('twoFactorClass' in member ? [member.twoFactorClass] : []))
    if (input.words !== undefined && classes.length === members.length && input.words.serves(classes)) {
      // A one-word term: the group's users from the ranges of its words, merged in name order and tested for the group's
      // classes ("mar" by status at 10M: the first 18,000 "Ada ..." of a class hold none, a walk reads them all).
      const ids = input.words.words.length === 0 ? [] : wordsPageIds(db, { words: input.words.words, filter: { ...source.filter, classes }, direction: request.direction, ...(resume === undefined ? {} : { after: resume }), limit: need })
      found.push(...ids)
      if (found.length >= wanted) break
      continue
    }
    for (const member of members) {
      if (term.kind === 'prefix') {
        // A prefix in one group: the name key's range in the group's own index, already in order, never budgeted.
        rows.push(...orderedPrefixPage(db, { term: { kind: 'prefix', text: term.text }, filter: source.filter, group: member, order: 'name', direction: request.direction, after: resume, limit: need }))
        continue
      }
      const walk: WalkQuery = { term, filter: source.filter, order: 'name', direction: request.direction, after: resume, budget: input.walkRows, limit: need, ...member }
      let result = walkMatches(db, walk)
      // Not enough in the first stretch (at 10M the first rows of a class are many namesakes): once more, longer.
      if (result.rows.length < need && !result.reachedEnd) result = walkMatches(db, { ...walk, budget: input.maxWalkRows })
      if (result.rows.length < need && !result.reachedEnd) return null
      rows.push(...result.rows)
    }
    rows.sort((a, b) => compareKeys(a, b) * (asc ? 1 : -1))
    found.push(...rows.slice(0, need).map((row) => row.id))
    if (found.length >= wanted) break
  }
  return found
}

/** The order of the indexes: the text as SQLite's NOCASE compares it, then the id. */
export function compareKeys(a: { id: number; k: string }, b: { id: number; k: string }): number {
  const text = compareNoCase(a.k, b.k)
  return text !== 0 ? text : a.id - b.id
}

/** A status filter of at most this many classes reads a prefix's range in each class's own index. */
const MAX_PREFIX_CLASSES = 8

export interface PrefixPageInput extends Omit<OrderedPrefixQuery, 'group'> {
  /** The administrators (name order only): the prefix's range of their role's index. */
  role?: Role
}

/**
 * A page of a prefix in name or email order, as ids and order texts. Within a
 * status (a few classes, no other row test) each class's part of its index
 * (class, name key or email) is the prefix's range, already in order, and the
 * classes are merged: without it the range of everyone's names was read and
 * each user's row tested for the class (1.2 ms for "m" within pending at 1M,
 * reading some 1,700 rows for 51).
 */
export function prefixPage(db: Database, input: PrefixPageInput): { id: number; k: string }[] {
  const { role, ...query } = input
  if (role !== undefined && input.order === 'name') return orderedPrefixPage(db, { ...query, group: { role } })
  const classes = input.filter.classes
  if (classes === null || classes.length > MAX_PREFIX_CLASSES || hasRowTests(input.filter)) return orderedPrefixPage(db, query)
  const rows = classes.flatMap((twoFactorClass) => orderedPrefixPage(db, { ...query, group: { twoFactorClass } }))
  // Names keys and emails (COLLATE NOCASE) compare alike.
  const sign = input.direction === 'asc' ? 1 : -1
  return rows.sort((a, b) => compareKeys(a, b) * sign).slice(0, input.limit)
}
