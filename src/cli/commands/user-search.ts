// twofa-admin user list --search TEXT [--role R] [--sort KEY] [--desc]: the
// Users screen's engine (the contract's listUsers, with its search and
// filters), read keyset page by keyset page to the last match and printed as
// each page comes, so memory stays the same at any number of matches. Without
// these flags `user list` keeps its own stream (users.ts).
import type { ListUsersInput } from '../../shared/contract'
import { USER_SORT_KEYS, type UserRow, type UserSortKey } from '../../shared/domain'
import { MAX_EMAIL_LENGTH, MAX_PAGE_SIZE } from '../../shared/limits'
import { visibleText } from '../../shared/text'
import type { Core } from '../../main/core/open-core'
import { UsageError, type Flags } from '../args'
import type { CliIo } from '../io'
import { printJsonArray, printTable } from '../output'
import { call } from '../run-core'

/** The flags beyond --status, --group and --json that send `user list` through listUsers. */
export const LISTING_FLAGS = ['search', 'role', 'sort', 'desc'] as const

/** What listUsers is asked, beyond the status and the group (which need the core to name). */
export type ListingChoice = Pick<ListUsersInput, 'query' | 'role' | 'sort' | 'direction'>

/** The listing the flags ask for, or undefined when none of LISTING_FLAGS is given (the plain `user list`). */
export function parseListing(flags: Flags): ListingChoice | undefined {
  if (LISTING_FLAGS.every((flag) => flags[flag] === undefined)) return undefined
  const role = flags.role
  if (role !== undefined && role !== 'admin' && role !== 'user') throw new UsageError(`--role must be admin or user, not "${String(role)}".`)
  return { query: parseSearch(flags.search), role, sort: parseSort(flags.sort) ?? 'email', direction: flags.desc === true ? 'desc' : 'asc' }
}

/** --search TEXT: what the search box takes (not blank, at most MAX_EMAIL_LENGTH characters once trimmed). */
export function parseSearch(value: string | boolean | undefined): string | undefined {
  if (value === undefined) return undefined
  const text = String(value).trim()
  if (text.length === 0) throw new UsageError('--search needs a text: part of a name or an email, e.g. --search maria or --search @example.com.')
  if (text.length > MAX_EMAIL_LENGTH) throw new UsageError(`--search takes at most ${MAX_EMAIL_LENGTH} characters, not ${text.length}.`)
  return text
}

/** --sort KEY: one of the contract's sort keys. */
export function parseSort(value: string | boolean | undefined): UserSortKey | undefined {
  if (value === undefined) return undefined
  if (!(USER_SORT_KEYS as readonly unknown[]).includes(value)) {
    throw new UsageError(`--sort must be one of ${USER_SORT_KEYS.join(', ')}, not "${String(value)}".`)
  }
  return value as UserSortKey
}

/** Every listed user, one listUsers page (MAX_PAGE_SIZE rows) at a time, as the reader takes them. */
export async function* listedUsers(core: Core, input: Omit<ListUsersInput, 'cursor' | 'position' | 'limit'>): AsyncGenerator<UserRow> {
  let cursor: string | undefined
  do {
    const page = await call(core, 'listUsers', { ...input, limit: MAX_PAGE_SIZE, ...(cursor === undefined ? {} : { cursor }) })
    yield* page.users
    cursor = page.nextCursor ?? undefined
  } while (cursor !== undefined)
}

/** How `user list` prints one user: as a JSON object and as a table row (users.ts). */
export interface UserPrinters {
  header: readonly string[]
  toJson: (user: UserRow) => unknown
  toRows: (users: AsyncIterable<UserRow>) => AsyncIterable<readonly string[]>
}

/**
 * Prints the listing as `user list` does (a table, or one JSON array); a search
 * ends its table with how many users match. That number is the rows printed:
 * the pages hold every match exactly once, so counting them as they pass is
 * exact (also when a page's total was only a lower bound, countPending) and
 * costs no second pass over the matches, as countUsers would.
 */
export async function printListing(io: CliIo, users: AsyncIterable<UserRow>, query: string | undefined, asJson: boolean, printers: UserPrinters): Promise<void> {
  let printed = 0
  async function* tallied(): AsyncGenerator<UserRow> {
    for await (const user of users) {
      printed++
      yield user
    }
  }
  if (asJson) return printJsonArray(io, tallied(), printers.toJson)
  const quoted = query === undefined ? '' : `"${visibleText(query)}"`
  await printTable(io, printers.header, printers.toRows(tallied()), query === undefined ? 'No users.' : `No users match ${quoted}.`)
  if (query !== undefined && printed > 0) await io.stdout(`${printed.toLocaleString('en-US')} ${printed === 1 ? 'user matches' : 'users match'} ${quoted}.\n`)
}
