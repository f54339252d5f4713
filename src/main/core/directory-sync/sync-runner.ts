// Runs syncs for one process: one at a time, in the background worker (the
// desktop app, the preview) or in the calling thread (the command line), on
// a connection of its own; the audit anchor follows once it committed. The
// screens, the command line and the schedule all sync through here.
import type { DirectorySyncProgress, DirectorySyncResult } from '../../../shared/contract'
import { AppError } from '../../../shared/errors'
import { lastAuditEntry } from '../../db/audit-repo'
import { chainKeyOf } from '../audit/chain'
import type { CoreContext } from '../context'
import { massDisablePercent, requireSettings } from './connection-store'

const IDLE: DirectorySyncProgress = { running: false, phase: null, done: 0, total: 0 }

export class DirectorySyncRunner {
  private current: DirectorySyncProgress = IDLE

  constructor(private readonly ctx: CoreContext) {}

  get progress(): DirectorySyncProgress {
    return this.current
  }

  get running(): boolean {
    return this.current.running
  }

  /** `mayWrite`: checked when the sync has its turn to write (BackgroundTasks.run). */
  async run(options: { actor: string; actorUserId: number | null; dryRun: boolean; allowMassDisable: boolean; mayWrite?: () => void }): Promise<DirectorySyncResult> {
    const { ctx } = this
    if (this.current.running) throw new AppError('VALIDATION', 'A directory sync is already running. Wait until it finishes, then try again.')
    this.current = { running: true, phase: 'reading', done: 0, total: 0 }
    try {
      const settings = requireSettings(ctx.db, () => ctx.dataKey.get())
      const logBefore = lastAuditEntry(ctx.db)?.id ?? 0
      const result = await ctx.background.run(
        'syncDirectory',
        {
          settings,
          chainKey: chainKeyOf(ctx.dataKey.get()).toString('base64'),
          options: {
            dryRun: options.dryRun,
            allowMassDisable: options.allowMassDisable,
            massDisablePercent: massDisablePercent(ctx.db),
            actor: options.actor,
            actorUserId: options.actorUserId,
            now: ctx.clock.now()
          }
        },
        ({ done, total }) => (this.current = { running: true, phase: total === 0 ? 'reading' : 'applying', done, total }),
        undefined,
        options.mayWrite
      )
      if (result.applied) ctx.afterBackgroundWrite(logBefore)
      return result
    } finally {
      this.current = IDLE
    }
  }
}
