// The background tasks of the screens' exports (see background/tasks.ts): each
// reads its rows from its own read-only connection, in one read transaction
// (a snapshot: the count and the rows agree while others write), and writes
// them to the temporary file the core named. Rows stream from SQLite to the
// file in chunks, so memory stays the same at a thousand users or ten million.
import type { AuditExportFormat, UserExportFormat, UserListFilter } from '../../../shared/contract'
import type { AuditAction } from '../../../shared/domain'
import type { Database } from '../../db/connection'
import { countAuditForExport, countUsersForExport, iterateAuditForExport, iterateUsersForExport, type UserExportQuery } from '../../db/export-repo'
import { groupNames } from '../../db/groups-repo'
import { readEnforcementPolicy } from '../enforcement/policy'
import { armSource, countInFilter } from '../listing/class-selection'
import { searchTerm } from '../listing/search-term'
import { groupNamesOfSets, toUserRow } from '../users/user-row'
import { AUDIT_EXPORT_COLUMNS, auditExportRecord, USER_EXPORT_COLUMNS, userExportRecord, type AuditExportRecord, type UserExportRecord } from './columns'
import { exportEncoding, type ExportEncoding } from './encoding'
import { PartialFile } from './export-file'

/** Rows between two progress reports: often enough for a smooth bar, rare enough to cost nothing. */
const PROGRESS_EVERY = 1_000

type Progress = (done: number, total: number) => void

export interface UsersExportInput extends UserListFilter {
  /** The temporary file to create and fill (export-file.ts). */
  temporaryPath: string
  format: UserExportFormat
  /** The core's clock: whether an account is locked is decided at this moment. */
  now: number
}

export interface AuditExportInput {
  temporaryPath: string
  format: AuditExportFormat
  user?: string
  action?: AuditAction
}

/** Writes the header, every row, the footer: the number of rows. */
function writeRows<T, R extends Record<string, string | number | boolean | null>>(
  file: PartialFile,
  encoding: ExportEncoding<R>,
  rows: Iterable<T>,
  toRecord: (row: T) => R,
  total: number,
  progress: Progress
): number {
  progress(0, total)
  file.write(encoding.header)
  let written = 0
  for (const row of rows) {
    file.write(encoding.line(toRecord(row), written))
    written++
    if (written % PROGRESS_EVERY === 0) progress(written, Math.max(total, written))
  }
  file.write(encoding.footer)
  progress(written, Math.max(total, written))
  return written
}

/** Creates the file, fills it in one snapshot and flushes it to the disk; on any failure it is removed. */
function intoFile(db: Database, temporaryPath: string, fill: (file: PartialFile) => number): { rows: number } {
  const file = PartialFile.create(temporaryPath)
  try {
    const rows = db.transaction(() => fill(file))()
    file.complete()
    return { rows }
  } catch (error) {
    file.discard()
    throw error
  }
}

/** The users the Users screen's filter and search select, in email order. */
export function exportUsersTo(db: Database, input: UsersExportInput, progress: Progress): { rows: number } {
  return intoFile(db, input.temporaryPath, (file) => {
    const policy = readEnforcementPolicy(db)
    // The same filter as the screen's list (the filters beside the status are row tests the export's statement reads too).
    const { temporaryPath: _path, format: _format, query: _query, ...filter } = input
    void _path
    void _format
    void _query
    const source = armSource(db, policy, { ...filter, now: input.now })
    const query: UserExportQuery = { filter: source.filter, term: searchTerm(input.query) }
    // Without a search the class counters say how many; a search is counted.
    const total = query.term !== null ? countUsersForExport(db, query) : countInFilter(db, source, input.now)
    const encoding = exportEncoding<UserExportRecord>(input.format, USER_EXPORT_COLUMNS)
    const names = groupNamesOfSets(groupNames(db), policy.groupsOfSet)
    return writeRows(file, encoding, iterateUsersForExport(db, query), (user) => userExportRecord(toUserRow(user, policy, input.now, names)), total, progress)
  })
}

/** The audit entries the Audit log screen's filter selects, oldest first, with their links. */
export function exportAuditTo(db: Database, input: AuditExportInput, progress: Progress): { rows: number } {
  return intoFile(db, input.temporaryPath, (file) => {
    const query = { user: input.user, action: input.action }
    const encoding = exportEncoding<AuditExportRecord>(input.format, AUDIT_EXPORT_COLUMNS)
    return writeRows(file, encoding, iterateAuditForExport(db, query), auditExportRecord, countAuditForExport(db, query), progress)
  })
}
