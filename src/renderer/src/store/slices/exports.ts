// Export from the Users and Audit log screens: the list as it is filtered (and
// searched) goes to a file, written by the app off the thread that answers the
// screens. The app asks where to save (the desktop's save dialog) or, in the
// browser preview, hands the finished file over as a download; meanwhile the
// screen asks how far it got. The export goes on if the screen is left.
import type { AuditExportFormat, ExportJob, ExportKind, UserExportFormat } from '../../../../shared/contract'
import type { Result } from '../../../../shared/errors'
import type { SliceCreator } from '../app-state'
import { latestOnly, type Ticket } from '../latest'
import { filterInput } from './users'

/** How often the screen asks how far an export got. */
export const EXPORT_POLL_MS = 300

export interface ExportStatus {
  /** starting: the save dialog is open, or the app is starting to write. */
  phase: 'idle' | 'starting' | 'running' | 'done' | 'failed'
  /** Rows written so far, of `total` (0 while unknown). */
  done: number
  total: number
  /** Where it went: the path chosen (desktop), or the downloaded file's name (preview). */
  file: string | null
  /** The browser was handed the file as a download (the preview). */
  downloaded: boolean
  error: string | null
}

export interface ExportsSlice {
  users: ExportStatus
  audit: ExportStatus

  actions: {
    /** Exports the Users list with its current filters and search (UserListFilter). */
    exportUsers: (format: UserExportFormat) => Promise<void>
    /** Exports the audit log with its current filter (user and action), oldest first. */
    exportAudit: (format: AuditExportFormat) => Promise<void>
    /** Signed out: forget the exports shown (an answer still on its way is dropped); the app finishes them. */
    reset: () => void
  }
}

export const IDLE_EXPORT: ExportStatus = { phase: 'idle', done: 0, total: 0, file: null, downloaded: false, error: null }

/** `download`: how this transport hands a finished file over (the preview's browser download); the desktop saves it itself. */
export function createExportsSlice(download: (url: string) => void = () => {}): SliceCreator<'exports'> {
  return ({ set, get, app, call }) => {
    const show = (kind: ExportKind, status: Partial<ExportStatus>): void => set((slice) => ({ [kind]: { ...slice[kind], ...status } }))
    // A sign-out starts a new watch: answers about the exports of the one before are dropped.
    const watches = latestOnly()

    const follow = (kind: ExportKind, result: Result<ExportJob>, watch: Ticket): void => {
      if (!watch.isLatest()) return
      if (!result.ok) return show(kind, { phase: 'failed', error: result.error.message })
      const job = result.value
      switch (job.state) {
        case 'cancelled':
          // The save dialog was closed: nothing happened, nothing to say.
          return show(kind, IDLE_EXPORT)
        case 'failed':
          return show(kind, { phase: 'failed', done: job.done, total: job.total, error: job.error ?? 'The export failed.' })
        case 'done':
          show(kind, { phase: 'done', done: job.done, total: job.total, file: job.file, downloaded: job.download !== null, error: null })
          if (job.download !== null) download(job.download)
          return
        case 'running': {
          show(kind, { phase: 'running', done: job.done, total: job.total, file: job.file, error: null })
          const exportId = job.exportId
          if (exportId !== null) setTimeout(() => void call('getExport', { exportId }).then((next) => follow(kind, next, watch)), EXPORT_POLL_MS)
        }
      }
    }

    const start = async (kind: ExportKind, send: () => Promise<Result<ExportJob>>): Promise<void> => {
      const { phase } = get()[kind]
      if (phase === 'starting' || phase === 'running') return
      show(kind, { ...IDLE_EXPORT, phase: 'starting' })
      const watch = watches.current()
      follow(kind, await send(), watch)
    }

    return {
      users: IDLE_EXPORT,
      audit: IDLE_EXPORT,

      actions: {
        exportUsers: (format) =>
          start('users', () => {
            // The list as the screen filters it: the same input as its pages, without the order or the paging.
            return call('exportUsers', { format, ...filterInput(app().users) })
          }),

        exportAudit: (format) =>
          start('audit', () => {
            const { user, action } = app().audit
            const email = user.trim()
            return call('exportAudit', { format, ...(action === null ? {} : { action }), ...(email === '' ? {} : { user: email }) })
          }),

        reset: () => {
          watches.next()
          set({ users: IDLE_EXPORT, audit: IDLE_EXPORT })
        }
      }
    }
  }
}
