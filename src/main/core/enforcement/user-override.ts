// One user's enforcement override written with its audit entry, inside the
// caller's write transaction: the "Enforce 2FA activation" checkbox of an
// existing user (handlers.ts) and the same box ticked in "Add user"
// (users/handlers.ts) write it the same way.
import type { Enforcement } from '../../../shared/domain'
import * as usersRepo from '../../db/users-repo'
import type { UserRecord } from '../../db/users-repo'
import { appendAudit } from '../audit/chain'
import type { CoreContext } from '../context'
import type { EnforcementPolicy } from './rules'
import { isEnforced, overrideForCheckbox } from './rules'

export interface OverrideChange {
  next: Enforcement
  /** The individual enforcement's deadline (null: none, or due at once when enforced). */
  deadline: number | null
  /** The grace period asked for, recorded with a deadline. */
  graceDays?: number
}

/** Writes the override and its `enforcement.user-changed` entry. Call inside a write transaction. */
export function writeUserOverride(ctx: CoreContext, actor: string, target: UserRecord, policy: EnforcementPolicy, change: OverrideChange, now: number): void {
  const enforcedAfter = isEnforced({ ...target, enforcement: change.next, enforcementDeadline: change.deadline }, policy)
  usersRepo.setEnforcementOverride(ctx.db, target.id, change.next, actor, now, change.deadline)
  appendAudit(ctx.db, now, {
    actor,
    action: 'enforcement.user-changed',
    target: target.email,
    details: { from: target.enforcement, to: change.next, enforced: enforcedAfter, ...(change.deadline === null ? {} : { graceDays: change.graceDays ?? 0, deadline: change.deadline }) }
  })
}

/**
 * "Enforce 2FA activation" ticked for a user just created, in the transaction
 * that created them: the checkbox's own rule, due at the next sign-in. Nothing
 * is written when the role or the policy already enforces. Returns whether it wrote.
 */
export function enforceNewUser(ctx: CoreContext, actor: string, user: UserRecord, policy: EnforcementPolicy, now: number): boolean {
  const next = overrideForCheckbox(user, policy, true)
  if (next === user.enforcement) return false
  writeUserOverride(ctx, actor, user, policy, { next, deadline: next === 'enforced' ? now : null }, now)
  return true
}
