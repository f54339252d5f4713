// The opaque page cursor of the Users table: where a page ended (the group for
// role and status sorts, the name or email, the id), named with its sort and
// direction so that it can never be applied to another order.
import type { SortDirection, UserSortKey } from '../../../shared/domain'
import { ROLES, TWO_FACTOR_STATUSES } from '../../../shared/domain'
import { AppError } from '../../../shared/errors'
import type { UserRecord } from '../../db/users-repo'
import { statusOfClass, type EnforcementPolicy } from '../enforcement/rules'
import { rankOfGroup } from './keyset'
import type { CursorPosition } from './list-request'
import { isTimeSort } from './time-sort'

const CURSOR_VERSION = 2
const MAX_CURSOR_TEXT = 1000

export function groupOf(sort: UserSortKey, user: UserRecord, policy: EnforcementPolicy): string | null {
  if (sort === 'role') return user.role
  if (sort === 'status') return statusOfClass(user.twoFactorClass, policy)
  return null
}

/** The group as the SQL of a search page compares it: the role, or the status's rank. */
export function sqlGroup(sort: UserSortKey, group: string | null): string | number | null {
  if (isTimeSort(sort)) return group === 'set' ? 0 : 1
  return sort === 'status' ? rankOfGroup(sort, group) : group
}

/** Opaque to clients; it names its sort and direction so a cursor can never be applied to another order. */
export function encodeUserCursor(sort: UserSortKey, direction: SortDirection, position: CursorPosition): string {
  return Buffer.from(JSON.stringify([CURSOR_VERSION, sort, direction, position.group, position.text, position.id])).toString('base64url')
}

export function decodeUserCursor(cursor: string, sort: UserSortKey, direction: SortDirection): CursorPosition {
  let parsed: unknown
  try {
    parsed = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'))
  } catch {
    parsed = null
  }
  if (Array.isArray(parsed) && parsed.length === 6) {
    const [version, cursorSort, cursorDirection, group, text, id] = parsed as unknown[]
    const groupValid = isTimeSort(sort)
      ? (group === 'set' && typeof text === 'string' && /^-?\d{1,16}$/.test(text)) || (group === 'unset' && text === '')
      : sort === 'role'
        ? (ROLES as readonly unknown[]).includes(group)
        : sort === 'status'
          ? (TWO_FACTOR_STATUSES as readonly unknown[]).includes(group)
          : group === null
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
