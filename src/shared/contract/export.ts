// Export: the Users list and the audit log out to a file, from the screens
// (admins only). The file is written off the thread that answers the screens
// and appears only once complete: in the desktop app where its save dialog
// says, in the browser preview as a download. Start with exportUsers or
// exportAudit, then ask getExport how far it got.
import type { AuditAction } from '../domain'
import type { ListsEvery } from './slice'
import type { UserListFilter } from './users'

export const USER_EXPORT_FORMATS = ['csv', 'json'] as const
export type UserExportFormat = (typeof USER_EXPORT_FORMATS)[number]
/** jsonl keeps each field exactly as chained: an auditor can check the links offline. */
export const AUDIT_EXPORT_FORMATS = ['csv', 'jsonl'] as const
export type AuditExportFormat = (typeof AUDIT_EXPORT_FORMATS)[number]

/** The Users list as the screen filters it (any sort: the file is in email order). Every match of a search, not only the first 1,000. */
export interface ExportUsersInput extends UserListFilter {
  format: UserExportFormat
}

/** The audit log as the screen filters it, oldest first, each entry with its chain link. */
export interface ExportAuditInput {
  format: AuditExportFormat
  /** Email of the actor or the target. */
  user?: string
  action?: AuditAction
}

export type ExportKind = 'users' | 'audit'

export interface ExportJob {
  /** null when the save dialog was cancelled: nothing was started, nothing changed. */
  exportId: string | null
  kind: ExportKind
  state: 'cancelled' | 'running' | 'done' | 'failed'
  /** Rows written so far, of `total` (0 while unknown). */
  done: number
  total: number
  /** Where the file goes: the path chosen in the save dialog, or the name of the preview's download. */
  file: string | null
  /** The browser preview only: where the finished file is downloaded from, once, soon after it is done. */
  download: string | null
  /** Why it failed, for the person at the screen (state 'failed'). */
  error: string | null
}

export interface ExportApi {
  /** Asks where to save (the desktop's save dialog) and starts writing; a cancelled dialog answers state 'cancelled'. */
  exportUsers: { input: ExportUsersInput; output: ExportJob }
  exportAudit: { input: ExportAuditInput; output: ExportJob }
  /** How far an export of this session got. */
  getExport: { input: { exportId: string }; output: ExportJob }
}

export const EXPORT_METHODS = ['exportUsers', 'exportAudit', 'getExport'] as const
const listed: ListsEvery<ExportApi, typeof EXPORT_METHODS> = true
void listed
