// What the trend marks besides the counts: the enforcement changes of the
// audit log (for all users, for groups, of deadlines; not the thousands a
// user-by-user change could be) and the deadlines of the enforcements in effect.
// Each action is one seek of the audit log's action index, newest first and
// bounded, so the cost never grows with the log.
import type { EnforcementDeadline, EnforcementEvent } from '../../../shared/contract/history'
import { AUDIT_ACTIONS, type AuditAction } from '../../../shared/domain'
import { listAuditEntries } from '../../db/audit-repo'
import { listGroups } from '../../db/groups-repo'
import { readPolicy } from '../../db/policy-repo'
import type { CoreContext } from '../context'

/** The actions the trend marks: every enforcement change but one user's. */
export const MARKED_ACTIONS: readonly AuditAction[] = AUDIT_ACTIONS.filter((action) => action.startsWith('enforcement.') && action !== 'enforcement.user-changed')

/** The most entries of one action read for one window: more would not fit a chart (nor a reader). */
export const EVENTS_PER_ACTION = 200

/** The marked entries from `since` to `until`, oldest first. */
export function enforcementEvents(ctx: CoreContext, since: number, until: number): EnforcementEvent[] {
  const events: EnforcementEvent[] = []
  for (const action of MARKED_ACTIONS) {
    for (const entry of listAuditEntries(ctx.db, { action, limit: EVENTS_PER_ACTION })) {
      // Newest first: once before the window, the rest of this action is older still.
      if (entry.at < since) break
      if (entry.at <= until) events.push({ id: entry.id, at: entry.at, action: entry.action, actor: entry.actor, target: entry.target })
    }
  }
  return events.sort((a, b) => a.at - b.at || a.id - b.id)
}

/**
 * The deadlines of the enforcements in effect that gave a grace period (one due
 * at once is marked by its event alone), from `since` on, soonest first.
 */
export function enforcementDeadlines(ctx: CoreContext, since: number): EnforcementDeadline[] {
  const deadlines: EnforcementDeadline[] = []
  const policy = readPolicy(ctx.db)
  if (policy.enforcedForAll && policy.deadline !== null && policy.deadline > (policy.changedAt ?? 0)) deadlines.push({ at: policy.deadline, group: null })
  for (const group of listGroups(ctx.db)) {
    if (group.enforced && group.deadline !== null && group.deadline > (group.enforcedAt ?? 0)) deadlines.push({ at: group.deadline, group: group.name })
  }
  return deadlines.filter((deadline) => deadline.at >= since).sort((a, b) => a.at - b.at)
}
