// Export from the screens (admins only): ask the transport where the file goes
// (the desktop's save dialog, the preview's download folder), write it in a
// background task off the thread that answers the screens, record the export
// in the audit log, and only then put the file in place. A cancelled dialog
// changes nothing; a failure leaves nothing behind. Each session runs one
// export at a time and asks getExport how far it got.
import { randomBytes } from 'node:crypto'
import { rmSync } from 'node:fs'
import type { ExportApi, ExportJob, ExportKind } from '../../../shared/contract'
import type { AuditAction } from '../../../shared/domain'
import { AppError } from '../../../shared/errors'
import type { TaskProgress } from '../background/runner'
import type { Caller } from '../caller'
import { auditAlone, type CoreContext } from '../context'
import { toApiError } from '../dispatch'
import { requireAdmin, type Actor } from '../guards'
import type { HandlersFor } from '../handlers'
import { suggestedExportName, type ChooseExportDestination, type ExportDestination } from './destination'
import type { ExportFormat } from './encoding'
import { partialPathFor, placeExportFile } from './export-file'

/** Finished exports kept for getExport, per process (running ones are always kept). */
const KEPT_FINISHED = 20

const NO_DESTINATION =
  'Exports from the screens are saved by the desktop app or downloaded from the browser preview. On the command line, use twofa-admin export.'
const ALREADY_RUNNING = 'An export is already under way: wait for it to finish, then export again.'
const DIRECTORY_CLOSED = 'The user directory was closed while the export ran: nothing was saved. Export again.'

/** What one export does: what is recorded of it, and the background task that writes it. */
interface ExportPlan {
  kind: ExportKind
  format: ExportFormat
  action: AuditAction
  /** The screen's filter, as recorded in the audit log (only the parts that were set). */
  filter: Record<string, string>
  suggestedName: string
  write(temporaryPath: string, onProgress: (progress: TaskProgress) => void): Promise<{ rows: number }>
}

/** A sentence for the person at the screen: what went wrong, and what to do. */
function failureMessage(ctx: CoreContext, error: unknown): string {
  if (error instanceof AppError) return error.message
  const code = (error as { code?: unknown } | null)?.code
  if (code === 'ENOSPC') return 'The disk is full: the export was not saved. Free some disk space and export again.'
  if (code === 'EACCES' || code === 'EPERM' || code === 'EROFS') return 'The export cannot be written there: nothing was saved. Choose another folder.'
  return toApiError('export', error, { onUnexpectedError: (what, cause) => ctx.reportUnexpected(what, cause) }).message
}

const definedOnly = (values: Record<string, string | undefined>): Record<string, string> =>
  Object.fromEntries(Object.entries(values).filter((entry): entry is [string, string] => entry[1] !== undefined && entry[1] !== ''))

export function exportHandlers(ctx: CoreContext, chooseDestination?: ChooseExportDestination) {
  const jobs = new Map<string, { job: ExportJob; owner: string }>()
  /** Sessions with an export being chosen or written. */
  const busy = new Set<string>()
  const ownerOf = (actor: Actor): string => actor.session?.id ?? 'cli'

  const remember = (job: ExportJob & { exportId: string }, owner: string): void => {
    jobs.set(job.exportId, { job, owner })
    const finished = [...jobs].filter(([, entry]) => entry.job.state !== 'running')
    for (const [id] of finished.slice(0, Math.max(0, finished.length - KEPT_FINISHED))) jobs.delete(id)
  }

  const run = async (plan: ExportPlan, job: ExportJob, actor: Actor, destination: ExportDestination, temporaryPath: string): Promise<void> => {
    try {
      const { rows } = await plan.write(temporaryPath, ({ done, total }) => {
        job.done = done
        job.total = total
      })
      // Written in a turn of its own at the write gate, not on the busy lock; recorded before the
      // file appears: no export is ever out that the log does not show.
      await ctx.writeGate.write(() => {
        if (!ctx.db.open) throw new AppError('DATABASE_BUSY', DIRECTORY_CLOSED)
        auditAlone(ctx, { actor: actor.label, action: plan.action, details: { ...plan.filter, format: plan.format, rows, file: destination.shownAs } })
      })
      placeExportFile(temporaryPath, destination.path, { overwrite: destination.overwrite })
      Object.assign(job, { state: 'done', done: rows, total: rows })
      destination.settled?.('done')
    } catch (error) {
      rmSync(temporaryPath, { force: true })
      Object.assign(job, { state: 'failed', error: failureMessage(ctx, error) })
      destination.settled?.('failed')
    }
  }

  const start = async (caller: Caller, plan: ExportPlan): Promise<ExportJob> => {
    const actor = requireAdmin(ctx, caller)
    if (chooseDestination === undefined) throw new AppError('VALIDATION', NO_DESTINATION)
    const owner = ownerOf(actor)
    if (busy.has(owner)) throw new AppError('VALIDATION', ALREADY_RUNNING)
    busy.add(owner)
    let destination: ExportDestination | null = null
    try {
      const exportId = randomBytes(24).toString('base64url')
      // The save dialog may stay open for minutes: the background tasks need not wait for it (write-gate.ts).
      destination = await ctx.writeGate.aside(() => chooseDestination({ exportId, kind: plan.kind, format: plan.format, suggestedName: plan.suggestedName }))
      if (destination === null) {
        busy.delete(owner)
        return { exportId: null, kind: plan.kind, state: 'cancelled', done: 0, total: 0, file: null, download: null, error: null }
      }
      // The dialog may have stayed open long: the session must still be an administrator's.
      requireAdmin(ctx, caller)
      if (!ctx.db.open) throw new AppError('DATABASE_BUSY', DIRECTORY_CLOSED)
      const temporaryPath = partialPathFor(destination.path)
      const job: ExportJob & { exportId: string } = { exportId, kind: plan.kind, state: 'running', done: 0, total: 0, file: destination.shownAs, download: destination.download ?? null, error: null }
      remember(job, owner)
      const chosen = destination
      void run(plan, job, actor, chosen, temporaryPath).finally(() => busy.delete(owner))
      return { ...job }
    } catch (error) {
      busy.delete(owner)
      destination?.settled?.('failed')
      throw error
    }
  }

  return {
    async exportUsers(caller, input) {
      const now = ctx.clock.now()
      return start(caller, {
        kind: 'users',
        format: input.format,
        action: 'users.exported',
        filter: definedOnly({
          status: input.status,
          group: input.groupId === undefined ? undefined : String(input.groupId),
          query: input.query?.trim(),
          role: input.role,
          locked: input.locked === undefined ? undefined : String(input.locked),
          disabled: input.disabled === undefined ? undefined : String(input.disabled),
          enforcedBy: input.enforcementSource,
          source: input.source,
          fewRecoveryCodes: input.fewRecoveryCodes === undefined ? undefined : 'true'
        }),
        suggestedName: suggestedExportName('users', input.format, now, input.status),
        write: (temporaryPath, onProgress) => {
          const { format, ...filter } = input
          return ctx.background.run('exportUsers', { ...filter, temporaryPath, format, now }, onProgress)
        }
      })
    },

    async exportAudit(caller, input) {
      const user = input.user?.trim()
      return start(caller, {
        kind: 'audit',
        format: input.format,
        action: 'audit.exported',
        filter: definedOnly({ user, action: input.action }),
        suggestedName: suggestedExportName('audit', input.format, ctx.clock.now()),
        write: (temporaryPath, onProgress) => ctx.background.run('exportAudit', { temporaryPath, format: input.format, user, action: input.action }, onProgress)
      })
    },

    async getExport(caller, input) {
      const actor = requireAdmin(ctx, caller)
      const entry = jobs.get(input.exportId)
      if (entry === undefined || entry.owner !== ownerOf(actor)) throw new AppError('NOT_FOUND', 'There is no such export (any more). Export again.')
      return { ...entry.job }
    }
  } satisfies HandlersFor<ExportApi>
}
