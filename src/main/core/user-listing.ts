// Pages of the Users table at any directory size. Without a search, a page is
// read by keyset from the index of its sort order: one seek per class (a status
// is one or two classes) and per role (when sorting by role), merged here, so no
// query ever sorts or counts the whole directory. A search first collects up to
// SEARCH_LIMIT matching ids from the trigram or the prefix indexes, then sorts
// only those. Totals come from the class counts, or from the bounded match set.
// A jump to a position (a virtualized table's scrollbar) starts the same seek at
// the key of that row, found from the signposts (jump-signposts.ts), or, in a
// search, pages from that index of the sorted matches.
import type { Role, SortDirection, TwoFactorClass, TwoFactorStatus, UserSortKey } from '../../shared/domain'
import { ROLES, TWO_FACTOR_CLASSES, TWO_FACTOR_STATUSES } from '../../shared/domain'
import { AppError } from '../../shared/errors'
import type { Database } from '../db/connection'
import * as usersRepo from '../db/users-repo'
import type { KeyRange, ListOrder, SearchTerm, SeekQuery, UserRecord } from '../db/users-repo'
import { classesWithStatus, statusOfClass } from './enforcement'
import { JumpSignposts, keyAtPosition } from './jump-signposts'

/** A search shows at most this many users; past it the total says "more than" (totalCapped). */
export const SEARCH_LIMIT = 1000
/** Shorter search terms match the start of a name or an email; longer ones anywhere in either. */
export const SUBSTRING_MIN_LENGTH = 3

export interface ListRequest {
  sort: UserSortKey
  direction: SortDirection
  status?: TwoFactorStatus
  query?: string
  cursor?: string
  /** 0-based row of the sorted, filtered list to start at, instead of a cursor. */
  position?: number
  limit: number
  enforcedForAll: boolean
}

export interface ListResult {
  records: UserRecord[]
  nextCursor: string | null
  total: number
  /** True when a search matched more than SEARCH_LIMIT users: `total` is then SEARCH_LIMIT. */
  totalCapped: boolean
  /** Where the page begins in the whole list: set when the request gave a position (clamped to total). */
  start?: number
}

/**
 * A page of users. `signposts` serves jumps to a position; the service passes
 * its cache after awaiting `signposts.ready(db, jumpRanges(request))`, so the
 * first jump into a range never builds them on the event loop's time.
 */
export function listUserRecords(db: Database, request: ListRequest, signposts: JumpSignposts = new JumpSignposts()): ListResult {
  if (request.position !== undefined && request.cursor !== undefined) {
    throw new AppError('VALIDATION', 'Ask for a page by position or by cursor, not both.', 'position')
  }
  let after = request.cursor === undefined ? null : decodeUserCursor(request.cursor, request.sort, request.direction)
  const classes = request.status === undefined ? null : classesWithStatus(request.status, request.enforcedForAll)
  const term = searchTerm(request.query)
  const wanted = request.limit + 1
  let rows: UserRecord[]
  let total: number
  let totalCapped = false
  let start: number | undefined
  if (term === null) {
    const counts = usersRepo.readClassCounts(db)
    total = (classes ?? TWO_FACTOR_CLASSES).reduce((sum, twoFactor) => sum + counts[twoFactor], 0)
    if (request.position !== undefined) {
      start = Math.min(request.position, total)
      const jump = start === total ? 'end' : jumpCursor(db, request, classes, start, signposts)
      if (jump === 'end') return { records: [], nextCursor: null, total, totalCapped, start }
      after = jump
    }
    rows = seekPage(db, request, classes, after, wanted)
  } else {
    const ids = usersRepo.findMatchingUserIds(db, term, classes, SEARCH_LIMIT + 1)
    totalCapped = ids.length > SEARCH_LIMIT
    const matches = totalCapped ? ids.slice(0, SEARCH_LIMIT) : ids
    total = matches.length
    // The matches are few and sorted in SQLite anyway: a position is exact, an offset into them.
    if (request.position !== undefined) start = Math.min(request.position, total)
    rows =
      matches.length === 0 || start === total
        ? []
        : usersRepo.pageOfMatches(db, {
            ids: matches,
            order: request.sort,
            direction: request.direction,
            ...(request.sort === 'status' ? { classRanks: classRanks(request.enforcedForAll) } : {}),
            ...(after ? { after: { group: sqlGroup(request.sort, after.group), text: after.text, id: after.id } } : {}),
            ...(start !== undefined ? { offset: start } : {}),
            limit: wanted
          })
  }
  const page = rows.slice(0, request.limit)
  const last = page[page.length - 1]
  const nextCursor =
    rows.length > request.limit && last
      ? encodeUserCursor(request.sort, request.direction, {
          group: groupOf(request.sort, last, request.enforcedForAll),
          text: orderOf(request.sort) === 'email' ? last.email : last.name,
          id: last.id
        })
      : null
  return { records: page, nextCursor, total, totalCapped, ...(start !== undefined ? { start } : {}) }
}

export function searchTerm(query: string | undefined): SearchTerm | null {
  const text = query?.trim() ?? ''
  if (text.length === 0) return null
  return { kind: [...text].length >= SUBSTRING_MIN_LENGTH ? 'substring' : 'prefix', text }
}

// ------------------------------------------------------------ keyset seeks

/** One index range of a page; arms of equal rank interleave, ranks follow each other. */
interface Arm {
  rank: number
  query: Pick<SeekQuery, 'order' | 'twoFactorClass' | 'role'>
}

function orderOf(sort: UserSortKey): ListOrder {
  return sort === 'email' ? 'email' : 'name'
}

const ROLE_ORDER: readonly Role[] = [...ROLES].sort()

function statusRank(status: TwoFactorStatus): number {
  return TWO_FACTOR_STATUSES.indexOf(status)
}

function classRanks(enforcedForAll: boolean): Record<TwoFactorClass, number> {
  const ranks = { active: 0, always: 0, inherit: 0, exempt: 0 }
  for (const twoFactor of TWO_FACTOR_CLASSES) ranks[twoFactor] = statusRank(statusOfClass(twoFactor, enforcedForAll))
  return ranks
}

function armsFor(sort: UserSortKey, classes: readonly TwoFactorClass[] | null, enforcedForAll: boolean): Arm[] {
  const order = orderOf(sort)
  if (sort === 'status') {
    return (classes ?? TWO_FACTOR_CLASSES).map((twoFactor) => ({
      rank: statusRank(statusOfClass(twoFactor, enforcedForAll)),
      query: { order, twoFactorClass: twoFactor }
    }))
  }
  if (sort === 'role') {
    return ROLE_ORDER.flatMap((role, rank) =>
      classes === null ? [{ rank, query: { order, role } }] : classes.map((twoFactor) => ({ rank, query: { order, role, twoFactorClass: twoFactor } }))
    )
  }
  return classes === null ? [{ rank: 0, query: { order } }] : classes.map((twoFactor) => ({ rank: 0, query: { order, twoFactorClass: twoFactor } }))
}

function rankOfGroup(sort: UserSortKey, group: string | null): number {
  if (sort === 'status') return statusRank(group as TwoFactorStatus)
  if (sort === 'role') return ROLE_ORDER.indexOf(group as Role)
  return 0
}

function seekPage(
  db: Database,
  request: ListRequest,
  classes: readonly TwoFactorClass[] | null,
  after: CursorPosition | null,
  wanted: number
): UserRecord[] {
  const asc = request.direction === 'asc'
  const arms = armsFor(request.sort, classes, request.enforcedForAll)
  const ranks = [...new Set(arms.map((arm) => arm.rank))].sort((a, b) => (asc ? a - b : b - a))
  const cursorRank = after === null ? null : rankOfGroup(request.sort, after.group)
  const order = orderOf(request.sort)
  const rows: UserRecord[] = []
  for (const rank of ranks) {
    // Groups before the cursor's are done; the cursor's group resumes after its row; later ones start at their beginning.
    if (cursorRank !== null && (asc ? rank < cursorRank : rank > cursorRank)) continue
    const resume = after !== null && rank === cursorRank ? { after: { text: after.text, id: after.id } } : {}
    const need = wanted - rows.length
    const parts = arms
      .filter((arm) => arm.rank === rank)
      .map((arm) => usersRepo.seekUsers(db, { ...arm.query, direction: request.direction, limit: need, ...resume }))
    rows.push(...(parts.length === 1 ? parts[0]! : mergeSorted(parts, order, asc)).slice(0, need))
    if (rows.length >= wanted) break
  }
  return rows
}

/** Merges arms that are each sorted by (text, id), as SQLite sorted them. */
function mergeSorted(parts: UserRecord[][], order: ListOrder, asc: boolean): UserRecord[] {
  const textOf = (user: UserRecord) => (order === 'email' ? user.email : user.name)
  return parts.flat().sort((a, b) => {
    const byKey = compareNoCase(textOf(a), textOf(b)) || a.id - b.id
    return asc ? byKey : -byKey
  })
}

/**
 * SQLite's NOCASE collation: ASCII letters folded to lower case, then compared
 * in UTF-8 byte order, which is code point order. UTF-16 code units agree with
 * code points except that surrogates (characters above U+FFFF) sort above U+E000..U+FFFF.
 */
export function compareNoCase(a: string, b: string): number {
  const length = Math.min(a.length, b.length)
  for (let i = 0; i < length; i++) {
    let x = a.charCodeAt(i)
    let y = b.charCodeAt(i)
    if (x === y) continue
    if (x >= 65 && x <= 90) x += 32
    if (y >= 65 && y <= 90) y += 32
    if (x === y) continue
    const xSurrogate = x >= 0xd800 && x <= 0xdfff
    const ySurrogate = y >= 0xd800 && y <= 0xdfff
    if (xSurrogate !== ySurrogate) return xSurrogate ? 1 : -1
    return x - y
  }
  return a.length - b.length
}

// ------------------------------------------------------------------- jumps

/** One rank of a list (a role, a status, or the whole list) as the index range its signposts walk. */
interface JumpRank {
  rank: number
  range: KeyRange
}

function jumpRanks(sort: UserSortKey, classes: readonly TwoFactorClass[] | null, enforcedForAll: boolean): JumpRank[] {
  const arms = armsFor(sort, classes, enforcedForAll)
  const ranks = [...new Set(arms.map((arm) => arm.rank))].sort((a, b) => a - b)
  return ranks.map((rank) => {
    const mine = arms.filter((arm) => arm.rank === rank)
    const first = mine[0]!.query
    const twoFactorClasses = mine.flatMap((arm) => (arm.query.twoFactorClass === undefined ? [] : [arm.query.twoFactorClass]))
    return {
      rank,
      range: {
        order: first.order,
        ...(first.role !== undefined ? { role: first.role } : {}),
        ...(twoFactorClasses.length > 0 ? { twoFactorClasses } : {})
      }
    }
  })
}

/** The index ranges whose signposts a request needs: none without a position, or for a search. */
export function jumpRanges(request: ListRequest): KeyRange[] {
  if (request.position === undefined || request.position === 0 || searchTerm(request.query) !== null) return []
  const classes = request.status === undefined ? null : classesWithStatus(request.status, request.enforcedForAll)
  return jumpRanks(request.sort, classes, request.enforcedForAll).map((jumpRank) => jumpRank.range)
}

/**
 * The cursor just before row `position` of the list, so that the ordinary seek
 * starts at that row; null for the first row, 'end' past the last. Ranks follow
 * each other (administrators before users, active before pending); within a
 * rank the row is found from its signposts, read from the other end when the
 * list is descending. Counts are the signposts': exact unless they are stale.
 */
function jumpCursor(
  db: Database,
  request: ListRequest,
  classes: readonly TwoFactorClass[] | null,
  position: number,
  signposts: JumpSignposts
): CursorPosition | null | 'end' {
  if (position === 0) return null
  const asc = request.direction === 'asc'
  const ranks = jumpRanks(request.sort, classes, request.enforcedForAll)
  let remaining = position
  for (const { rank, range } of asc ? ranks : [...ranks].reverse()) {
    const set = signposts.current(db, range)
    if (remaining >= set.count) {
      remaining -= set.count
      continue
    }
    const key = keyAtPosition(db, range, set, asc ? remaining : set.count - 1 - remaining)
    if (key === null) return 'end'
    // Ids are integers: resuming after id - 1 (ascending) or id + 1 (descending) starts at the key's own row.
    return { group: groupOfRank(request.sort, rank), text: key.text, id: asc ? key.id - 1 : key.id + 1 }
  }
  return 'end'
}

function groupOfRank(sort: UserSortKey, rank: number): string | null {
  if (sort === 'status') return TWO_FACTOR_STATUSES[rank] ?? null
  if (sort === 'role') return ROLE_ORDER[rank] ?? null
  return null
}

// ------------------------------------------------------------------ cursor

/** Where a page ended: the group (role or status, for those sorts), the name or email, and the id. */
interface CursorPosition {
  group: string | null
  text: string
  id: number
}

const CURSOR_VERSION = 2
const MAX_CURSOR_TEXT = 1000

function groupOf(sort: UserSortKey, user: UserRecord, enforcedForAll: boolean): string | null {
  if (sort === 'role') return user.role
  if (sort === 'status') return statusOfClass(user.twoFactorClass, enforcedForAll)
  return null
}

/** The group as the SQL of a search page compares it: the role, or the status's rank. */
function sqlGroup(sort: UserSortKey, group: string | null): string | number | null {
  return sort === 'status' ? rankOfGroup(sort, group) : group
}

/** Opaque to clients; it names its sort and direction so a cursor can never be applied to another order. */
function encodeUserCursor(sort: UserSortKey, direction: SortDirection, position: CursorPosition): string {
  return Buffer.from(JSON.stringify([CURSOR_VERSION, sort, direction, position.group, position.text, position.id])).toString('base64url')
}

function decodeUserCursor(cursor: string, sort: UserSortKey, direction: SortDirection): CursorPosition {
  let parsed: unknown
  try {
    parsed = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'))
  } catch {
    parsed = null
  }
  if (Array.isArray(parsed) && parsed.length === 6) {
    const [version, cursorSort, cursorDirection, group, text, id] = parsed as unknown[]
    const groupValid =
      sort === 'role' ? (ROLES as readonly unknown[]).includes(group) : sort === 'status' ? (TWO_FACTOR_STATUSES as readonly unknown[]).includes(group) : group === null
    if (
      version === CURSOR_VERSION &&
      cursorSort === sort &&
      cursorDirection === direction &&
      groupValid &&
      typeof text === 'string' &&
      text.length <= MAX_CURSOR_TEXT &&
      Number.isSafeInteger(id) &&
      (id as number) > 0
    ) {
      return { group: group as string | null, text, id: id as number }
    }
  }
  throw new AppError('VALIDATION', 'The page cursor is not valid for this list. Reload the list.', 'cursor')
}
