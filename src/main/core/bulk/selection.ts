// Which users a bulk change is about. An explicit selection names them (ids or
// emails: every one must exist); a filter selects exactly what the Users list
// shows for it: the listing's class choice and row tests, and the search's own
// statement uncapped (as the export reads it), less the rows unticked since.
import { MAX_BULK_USERS, type BulkSelection } from '../../../shared/contract/bulk'
import { AppError } from '../../../shared/errors'
import * as bulkRepo from '../../db/bulk-repo'
import type { Database } from '../../db/sqlite'
import type { EnforcementPolicy } from '../enforcement/rules'
import { armSource, countInFilter } from '../listing/class-selection'
import { searchTerm } from '../listing/search-term'

const TOO_MANY = `Select at most ${MAX_BULK_USERS.toLocaleString('en-US')} users at once: narrow the filter and change them in parts.`

/** From this share of the directory on, a filter's users are read by a scan of the table (bulkRepo.usersOfFilter). */
const SCAN_SHARE = 1 / 4

function listOf(emails: readonly string[]): string {
  const shown = emails.slice(0, 5).join(', ')
  return emails.length > 5 ? `${shown} and ${emails.length - 5} more` : shown
}

/** The selected users, read in the caller's transaction. Throws when any named user is unknown or the selection is too large. */
export function selectedUsers(db: Database, policy: EnforcementPolicy, selection: BulkSelection, now: number): bulkRepo.BulkSubject[] {
  if ('userIds' in selection) {
    const ids = [...new Set(selection.userIds)]
    const users = bulkRepo.usersByIds(db, ids)
    if (users.length !== ids.length) {
      const missing = ids.length - users.length
      throw new AppError('NOT_FOUND', `${missing === 1 ? '1 selected user no longer exists' : `${missing} selected users no longer exist`}. Reload the list and select again.`)
    }
    return users
  }
  if ('emails' in selection) {
    const { users, unknown } = bulkRepo.usersByEmails(db, selection.emails)
    if (unknown.length > 0) {
      throw new AppError('NOT_FOUND', `No user has the email ${listOf(unknown)}: nothing was changed.`, 'emails')
    }
    return users
  }
  const { query, ...filters } = selection.filter
  const source = armSource(db, policy, { ...filters, now })
  const term = searchTerm(query)
  // The same count the Users list shows (the class counters; a search is counted), before any row is read.
  const total = term !== null ? bulkRepo.countUsersOfFilter(db, source.filter, term) : countInFilter(db, source, now)
  const except = new Set(selection.exceptUserIds ?? [])
  if (total - except.size > MAX_BULK_USERS) throw new AppError('VALIDATION', TOO_MANY, 'selection')
  const users = bulkRepo.usersOfFilter(db, source.filter, term, total >= bulkRepo.countAllUsers(db) * SCAN_SHARE).filter((user) => !except.has(user.id))
  if (users.length > MAX_BULK_USERS) throw new AppError('VALIDATION', TOO_MANY, 'selection')
  return users
}
