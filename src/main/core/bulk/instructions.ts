// Copy instructions: a short text for the users an administrator tells about
// 2FA (what it is, which apps work, the deadline if any, how to sign in). The
// deadline comes from the enforcement rules: the earliest one among the
// selected users who still have to activate 2FA, or, for all users, the policy's.
import { MAX_BULK_USERS, type BulkInstructions, type BulkSelection } from '../../../shared/contract/bulk'
import type { BulkSubject } from '../../db/bulk-repo'
import type { Database } from '../../db/connection'
import { readEnforcementPolicy } from '../enforcement/policy'
import { effectiveEnforcement, isDue, isEnforcedBy, type EnforcementPolicy } from '../enforcement/rules'
import { twoFactorDistribution } from '../listing/user-listing'
import { selectedUsers } from './selection'

export const AUTHENTICATOR_APPS = 'Google Authenticator, Microsoft Authenticator, FreeOTP, Aegis or 1Password'

/** When those who still have to activate 2FA must do it: 'now' (at the next sign-in), a date, or null (nobody has to). */
export type InstructionsDeadline = 'now' | number | null

export function deadlineOfUsers(users: readonly BulkSubject[], policy: EnforcementPolicy, now: number): InstructionsDeadline {
  let earliest: InstructionsDeadline = null
  for (const user of users) {
    if (user.hasTwoFactor || user.disabled) continue
    const { source, deadline } = effectiveEnforcement(user, policy)
    if (!isEnforcedBy(source)) continue
    if (isDue(deadline, now)) return 'now'
    if (deadline !== null && (earliest === null || deadline < earliest)) earliest = deadline
  }
  return earliest
}

export function deadlineOfPolicy(policy: EnforcementPolicy, now: number): InstructionsDeadline {
  if (!policy.enforcedForAll) return null
  return isDue(policy.deadline, now) ? 'now' : policy.deadline
}

function dateText(at: number): string {
  return new Date(at).toLocaleDateString('en-GB', { day: 'numeric', month: 'long', year: 'numeric', timeZone: 'UTC' })
}

function deadlineLine(deadline: InstructionsDeadline): string {
  if (deadline === null) return 'When: there is no deadline. If 2FA is not active for your account yet, activate it in My account whenever you are ready.'
  if (deadline === 'now') return 'When: 2FA is required for your account: you activate it at your next sign-in.'
  return `When: activate 2FA by ${dateText(deadline)} (UTC). After that date you cannot sign in without it.`
}

export function instructionsText(deadline: InstructionsDeadline, users: number): BulkInstructions {
  const text = [
    'Two-factor authentication (2FA) for your account',
    '',
    'What it is: 2FA adds a second step to signing in. After your password, you enter a 6-digit code from an authenticator app on your phone, so a stolen password alone is not enough.',
    '',
    `Apps that work: any TOTP authenticator app, for example ${AUTHENTICATOR_APPS}. Install one before you start.`,
    '',
    deadlineLine(deadline),
    '',
    'How to sign in: sign in with your email and password as usual. When you are asked to activate 2FA, scan the QR code with your app (or type the key it shows), enter the 6-digit code the app displays, and keep your recovery codes somewhere safe. From then on, enter the current code from the app after your password.'
  ].join('\n')
  return { text, users, deadline: typeof deadline === 'number' ? deadline : null }
}

/**
 * The instructions for a selection (undefined: all users), read in one
 * transaction: each user's own rule (individual and group deadlines too) while
 * they fit one selection; beyond, the policy's deadline. Reads up to
 * MAX_BULK_USERS users: the handler runs it in the background task
 * `bulkInstructions` unless the selection is a few explicit users.
 */
export function instructionsOf(db: Database, selection: BulkSelection | undefined, now: number): BulkInstructions {
  return db.transaction(() => {
    const policy = readEnforcementPolicy(db)
    const total = twoFactorDistribution(db, policy, now).total
    if (selection === undefined && total > MAX_BULK_USERS) return instructionsText(deadlineOfPolicy(policy, now), total)
    const users = selectedUsers(db, policy, selection ?? { filter: {} }, now)
    return instructionsText(deadlineOfUsers(users, policy, now), users.length)
  })()
}
