// What a bulk action does to each selected user, by the rules of the
// single-user changes: administrators are always enforced (enforce, exempt and
// follow policy leave them as they are), nobody disables or resets themself
// here, the last active administrator is never disabled, and a user already in
// the wanted state is left alone. Pure: the handlers read the users and write
// the plan's changes in one transaction.
import type { BulkAction, BulkCounts } from '../../../shared/contract/bulk'
import type { Enforcement } from '../../../shared/domain'
import type { BulkSubject } from '../../db/bulk-repo'
import type { AuditEvent } from '../audit/chain'
import { isEnforced, type EnforcementPolicy } from '../enforcement/rules'

export const OVERRIDE_OF: Partial<Record<BulkAction, Enforcement>> = { enforce: 'enforced', exempt: 'exempt', inherit: 'inherit' }

export interface PlanInput {
  action: BulkAction
  users: readonly BulkSubject[]
  policy: EnforcementPolicy
  now: number
  /** The caller's user id (null: the command line). */
  actorUserId: number | null
  actorLabel: string
  /** Administrators who can sign in now (usersRepo.countActiveAdmins). */
  activeAdmins: number
  /** For a 2FA reset: the users with recovery codes or an unfinished enrollment. */
  withRecoveryOrEnrollment: ReadonlySet<number>
}

export interface BulkPlan {
  counts: Omit<BulkCounts, 'summary'>
  /** The users the change changes, in id order. */
  changing: BulkSubject[]
  /** One entry per changed user. */
  audit: AuditEvent[]
}

/** An administrator who keeps the directory administered: enabled, able to sign in (the rule of updateUser). */
export function countsAsAdmin(user: BulkSubject): boolean {
  return user.role === 'admin' && !user.disabled && !user.demo && (user.hasPassword || user.source === 'ldap')
}

function isLocked(user: BulkSubject): boolean {
  return user.failedAttempts > 0 || user.lockLevel > 0 || user.lockedUntil !== null
}

export function planBulkChange(input: PlanInput): BulkPlan {
  const counts: BulkPlan['counts'] = {
    action: input.action,
    selected: input.users.length,
    willChange: 0,
    alreadyInThatState: 0,
    administratorsUnchanged: 0,
    blockedSelf: 0,
    blockedLastAdmin: 0,
    willHaveToActivate: 0,
    wouldNoLongerHaveTo: 0
  }
  const changing: BulkSubject[] = []
  const audit: AuditEvent[] = []
  const override = OVERRIDE_OF[input.action]
  const event = (user: BulkSubject, action: AuditEvent['action'], details: Record<string, unknown>): void => {
    changing.push(user)
    audit.push({ actor: input.actorLabel, action, target: user.email, details: { ...details, bulk: true } })
  }
  for (const user of input.users) {
    if (override !== undefined) {
      if (user.role === 'admin') counts.administratorsUnchanged++
      else if (user.enforcement === override) counts.alreadyInThatState++
      else {
        const deadline = override === 'enforced' ? input.now : null
        const before = isEnforced(user, input.policy)
        // Only what the rule reads (EnforcementSubject): a copy of the whole subject a user is 30 ms at 100,000.
        const after = isEnforced({ role: user.role, groupSet: user.groupSet, enforcement: override, enforcementDeadline: deadline }, input.policy)
        if (!user.hasTwoFactor && !before && after) counts.willHaveToActivate++
        if (!user.hasTwoFactor && before && !after) counts.wouldNoLongerHaveTo++
        // The details of a single change (setEnforcement), marked as part of a bulk change.
        event(user, 'enforcement.user-changed', { from: user.enforcement, to: override, enforced: after, ...(deadline === null ? {} : { graceDays: 0, deadline }) })
      }
      continue
    }
    switch (input.action) {
      case 'unlock':
        if (isLocked(user)) event(user, 'account.unlocked', {})
        else counts.alreadyInThatState++
        break
      case 'resetTwoFactor':
        if (user.id === input.actorUserId) counts.blockedSelf++
        else if (!user.hasTwoFactor && !input.withRecoveryOrEnrollment.has(user.id)) counts.alreadyInThatState++
        else {
          if (user.hasTwoFactor && isEnforced(user, input.policy)) counts.willHaveToActivate++
          event(user, '2fa.reset', { hadCredential: user.hasTwoFactor })
        }
        break
      case 'disable':
        if (user.id === input.actorUserId) counts.blockedSelf++
        else if (user.disabled) counts.alreadyInThatState++
        else event(user, 'user.updated', { disabled: true })
        break
    }
  }
  if (input.action === 'disable') keepLastAdmin(input.activeAdmins, counts, changing, audit)
  counts.willChange = changing.length
  return { counts, changing, audit }
}

/** The last-admin rule: when the change would disable every administrator who can sign in, the first of them stays enabled. */
function keepLastAdmin(activeAdmins: number, counts: BulkPlan['counts'], changing: BulkSubject[], audit: AuditEvent[]): void {
  const admins = changing.filter(countsAsAdmin).length
  if (admins === 0 || activeAdmins - admins >= 1) return
  const kept = changing.findIndex(countsAsAdmin)
  changing.splice(kept, 1)
  audit.splice(kept, 1)
  counts.blockedLastAdmin = 1
}
