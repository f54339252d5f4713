// One bulk change (or its preview) on a connection: the selection read and each
// user's change decided (plan.ts) inside one transaction, and, when it writes,
// the change and its audit entries in that same write transaction, so that a
// race reads what it decides on under the write lock. The handlers run it in
// the calling thread for a small explicit selection, else as the background task
// `bulkChange` (background/tasks.ts) on a connection of the worker's own, so a
// change of 100,000 users never holds the thread that answers the screens.
import type { BulkAction, BulkSelection } from '../../../shared/contract/bulk'
import { AppError } from '../../../shared/errors'
import * as bulkRepo from '../../db/bulk-repo'
import { withBulkCache, writeTransaction, type Database } from '../../db/connection'
import * as usersRepo from '../../db/users-repo'
import { beginAuditEntries } from '../audit/chain'
import { readEnforcementPolicy } from '../enforcement/policy'
import { requireStillAdmin } from '../still-admin'
import { OVERRIDE_OF, planBulkChange, type BulkPlan } from './plan'
import { selectedUsers } from './selection'

export interface BulkRunInput {
  selection: BulkSelection
  action: BulkAction
  /** The count the confirmation showed: when the change would now change another number, nothing changes. */
  expectedChanges?: number
  actor: { label: string; userId: number | null }
  now: number
  /** false: a preview, which reads only. */
  write: boolean
}

export interface BulkRunOutcome {
  counts: BulkPlan['counts']
  /** The users changed (none for a preview): whose sessions end after a disable or a reset. */
  changedIds: number[]
}

function planOn(db: Database, input: BulkRunInput): BulkPlan {
  const policy = readEnforcementPolicy(db)
  const users = selectedUsers(db, policy, input.selection, input.now)
  const withRecoveryOrEnrollment = input.action === 'resetTwoFactor' ? bulkRepo.usersWithRecoveryOrEnrollment(db, users.map((user) => user.id)) : new Set<number>()
  const activeAdmins = input.action === 'disable' ? usersRepo.countActiveAdmins(db) : 0
  return planBulkChange({ action: input.action, users, policy, now: input.now, actorUserId: input.actor.userId, actorLabel: input.actor.label, activeAdmins, withRecoveryOrEnrollment })
}

/**
 * From this share of the directory on (and at least SET_ASIDE_MIN_USERS), an enforcement change drops the
 * indexes it would rewrite and builds them again after the UPDATE. At 100,000 users (2026-12-03):
 * rewriting an entry costs about 25 µs a changed user, building the twelve indexes again about 6.5 µs a
 * user of the directory, so building pays from about a quarter changed; a third leaves a margin.
 */
export const SET_ASIDE_SHARE = 1 / 3
export const SET_ASIDE_MIN_USERS = 5_000

export function setsIndexesAside(changing: number, directoryUsers: number): boolean {
  return changing >= SET_ASIDE_MIN_USERS && changing >= directoryUsers * SET_ASIDE_SHARE
}

function writePlan(db: Database, plan: BulkPlan, actorLabel: string, now: number): void {
  const ids = plan.changing.map((user) => user.id)
  if (ids.length === 0) return
  // The entries' links are made (on a thread of their own, when many) while the UPDATE runs.
  const entries = beginAuditEntries(db, now, plan.audit)
  const override = OVERRIDE_OF[plan.counts.action]
  if (override !== undefined) {
    const setIndexesAside = setsIndexesAside(ids.length, bulkRepo.countAllUsers(db))
    bulkRepo.setEnforcementOverrides(db, ids, { enforcement: override, by: actorLabel, now, deadline: override === 'enforced' ? now : null, setIndexesAside })
  } else if (plan.counts.action === 'unlock') bulkRepo.clearFailedAttemptsOf(db, ids)
  else if (plan.counts.action === 'resetTwoFactor') bulkRepo.deleteTwoFactorOf(db, ids)
  else bulkRepo.disableUsers(db, ids, now)
  entries.finish()
}

export function runBulkChange(db: Database, input: BulkRunInput): BulkRunOutcome {
  if (!input.write) return { counts: db.transaction(() => planOn(db, input))().counts, changedIds: [] }
  // Every changed user moves in the listing's indexes: a page cache that holds them all keeps the transaction out of the WAL until it commits.
  const plan = withBulkCache(db, () => writeTransaction(db, () => {
    // Checked when it was asked for; it may have waited its turn at the write gate since.
    requireStillAdmin(db, input.actor.userId)
    const planned = planOn(db, input)
    // The confirmation stated a number: if the directory moved since, nothing changes and the admin looks again.
    if (input.expectedChanges !== undefined && planned.counts.willChange !== input.expectedChanges) {
      throw new AppError(
        'VALIDATION',
        `The selection changed since the confirmation: ${planned.counts.willChange.toLocaleString('en-US')} users would change, not ${input.expectedChanges.toLocaleString('en-US')}. Nothing was changed: look at the confirmation again.`,
        'expectedChanges'
      )
    }
    writePlan(db, planned, input.actor.label, input.now)
    return planned
  }))
  return { counts: plan.counts, changedIds: plan.changing.map((user) => user.id) }
}
