// Directory sync for the screens and the command line: the connection (its
// bind password never leaves the core), its test, and the sync. Changing the
// connection decides who can sign in: it needs a recent password or code.
import type { DirectorySyncApi } from '../../../shared/contract'
import { writeTransaction } from '../../db/connection'
import { appendAudit } from '../audit/chain'
import type { CoreContext } from '../context'
import { requireAdmin, requireRecentAuthentication, stillAdminWhenWriting } from '../guards'
import type { HandlersFor } from '../handlers'
import { bindPasswordFor, connectionView, requireSettings, settingsFromInput, storeConnection } from './connection-store'
import { searchFilter } from './ldap-directory'
import type { DirectorySyncRunner } from './sync-runner'

export function directorySyncHandlers(ctx: CoreContext, runner: DirectorySyncRunner) {
  const dataKey = () => ctx.dataKey.get()
  return {
    async getDirectoryConnection(caller) {
      requireAdmin(ctx, caller)
      return connectionView(ctx.db)
    },

    async setDirectoryConnection(caller, input) {
      const actor = requireAdmin(ctx, caller)
      requireRecentAuthentication(ctx, actor)
      const settings = settingsFromInput(input, bindPasswordFor(ctx.db, dataKey, input))
      // A filter that does not parse is refused here, not at the next sync.
      searchFilter(settings)
      const now = ctx.clock.now()
      writeTransaction(ctx.db, () => {
        storeConnection(ctx.db, dataKey(), settings, input, actor.label, now)
        appendAudit(ctx.db, now, {
          actor: actor.label,
          action: 'directory.connection-changed',
          details: {
            preset: settings.preset,
            url: settings.url,
            baseDn: settings.baseDn,
            bindDn: settings.bindDn,
            userFilter: settings.userFilter,
            groupDn: settings.groupDn,
            syncGroupDns: settings.syncGroupDns,
            bindPasswordChanged: input.bindPassword !== undefined,
            scheduleMinutes: input.scheduleMinutes ?? null
          }
        })
      })
      return connectionView(ctx.db)!
    },

    async testDirectoryConnection(caller, input) {
      requireAdmin(ctx, caller)
      const settings = input.settings ? settingsFromInput(input.settings, bindPasswordFor(ctx.db, dataKey, input.settings)) : requireSettings(ctx.db, dataKey)
      // A complete paged read: in the background worker, like a sync.
      return ctx.background.run('testDirectory', { settings })
    },

    async syncDirectory(caller, input) {
      const actor = requireAdmin(ctx, caller)
      return runner.run({ actor: actor.label, actorUserId: actor.userId, dryRun: input.dryRun, allowMassDisable: input.allowMassDisable ?? false, mayWrite: stillAdminWhenWriting(ctx, caller) })
    },

    async getDirectorySyncProgress(caller) {
      requireAdmin(ctx, caller)
      return runner.progress
    }
  } satisfies HandlersFor<DirectorySyncApi>
}
