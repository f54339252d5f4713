// Wording and formatting shared by several screens. Labels follow the vendor help
// page; those the command line prints too are in src/shared/labels.ts.
import { TWO_FACTOR_STATUSES, type AuditAction, type Distribution, type Role, type TwoFactorStatus, type UserRow } from '../../../shared/domain'
import { ENFORCEMENT_SOURCE_LABEL } from '../../../shared/labels'

export const ROLE_LABEL: Record<Role, string> = { admin: 'Administrator', user: 'User' }

// Why 2FA is enforced: written once, for the command line too.
export { ENFORCEMENT_SOURCE_LABEL }

export const AUDIT_ACTION_LABEL: Record<AuditAction, string> = {
  'setup.first-admin': 'First administrator set up',
  'login.success': 'Logged in',
  'login.failure': 'Login failed',
  'login.locked': 'Login refused: account locked',
  'login.second-factor-failure': 'Wrong authentication code',
  'login.replay-rejected': 'Reused authentication code rejected',
  'login.recovery-code-used': 'Recovery code used',
  logout: 'Logged out',
  'session.expired': 'Session expired',
  'session.reauthenticated': "Identity confirmed again (Confirm it's you)",
  'settings.idle-timeout-changed': 'Idle timeout changed',
  'account.locked': 'Account locked',
  'account.unlocked': 'Account unlocked',
  '2fa.enrolled': '2FA activated',
  '2fa.deactivated': '2FA deactivated',
  '2fa.reset': '2FA reset',
  '2fa.recovery-codes-regenerated': 'Recovery codes regenerated',
  'enforcement.user-changed': 'Enforcement changed for a user',
  'enforcement.all-enforced': '2FA enforced for all users',
  'enforcement.all-revoked': 'Enforcement for all users revoked',
  'enforcement.deadline-changed': 'Activation deadline changed',
  'enforcement.group-enforced': '2FA enforced for a group',
  'enforcement.group-revoked': 'Enforcement for a group revoked',
  'enforcement.exemption-group-changed': 'Exemption group changed',
  'group.created': 'Group created',
  'group.deleted': 'Group deleted',
  'group.members-changed': 'Group members changed',
  'user.created': 'User created',
  'user.updated': 'User updated',
  'user.password-changed': 'Password changed',
  'users.imported': 'Users imported',
  'directory.connection-changed': 'Directory connection changed',
  'directory.synced': 'Directory synced',
  'radius.client-added': 'RADIUS client added',
  'radius.client-removed': 'RADIUS client removed',
  'radius.challenge': 'RADIUS code asked for',
  'users.exported': 'Users exported',
  'audit.exported': 'Audit log exported',
  'audit.anchor-created': 'Audit anchor written anew',
  'audit.chain-keyed': 'Audit log sealed with the key from here on',
  'temporary-pass.issued': 'Temporary access pass issued',
  'temporary-pass.revoked': 'Temporary access pass revoked',
  'temporary-pass.used': 'Signed in with a temporary access pass',
  'enrollment.in-person-started': 'Enrollment in person started',
  'enrollment.in-person-identified': 'Identity proved at the desk',
  'enrollment.in-person-cancelled': 'Enrollment in person cancelled',
  'enrollment.in-person-ended': 'Enrollment in person ended, administrator back'
}

const dateTime = new Intl.DateTimeFormat(undefined, { dateStyle: 'medium', timeStyle: 'short' })
const timeOnly = new Intl.DateTimeFormat(undefined, { timeStyle: 'short' })

export function formatDateTime(epochMs: number | null | undefined, fallback = 'Never'): string {
  return epochMs === null || epochMs === undefined ? fallback : dateTime.format(new Date(epochMs))
}

const dateOnly = new Intl.DateTimeFormat(undefined, { dateStyle: 'medium' })

export function formatDate(epochMs: number): string {
  return dateOnly.format(new Date(epochMs))
}

export function formatTime(epochMs: number): string {
  return timeOnly.format(new Date(epochMs))
}

/** Lines for the shield tooltip in the Users table. */
export function statusDetails(
  user: Pick<UserRow, 'status' | 'activeSince' | 'lastTwoFactorLoginAt' | 'enforcementSource' | 'locked' | 'disabled' | 'deadline' | 'overdue'>
): string[] {
  const lines: string[] = []
  if (user.status === 'active') lines.push(`Active since ${formatDateTime(user.activeSince, 'an unknown date')}`)
  if (user.status === 'pending') lines.push(deadlineLine(user))
  lines.push(`Last successful 2FA login: ${formatDateTime(user.lastTwoFactorLoginAt)}`)
  lines.push(ENFORCEMENT_SOURCE_LABEL[user.enforcementSource])
  if (user.locked) lines.push('Account locked after too many failed attempts')
  if (user.disabled) lines.push('Account disabled')
  return lines
}

/** When a pending user must activate: "Activation due by DATE", "Overdue since DATE", or at the next login (administrators). */
export function deadlineLine(user: Pick<UserRow, 'deadline' | 'overdue'>): string {
  if (user.deadline === null) return 'Has to activate 2FA at next login'
  return user.overdue ? `Overdue since ${formatDate(user.deadline)}: has to activate 2FA at next login` : `Activation due by ${formatDate(user.deadline)}`
}

export interface DistributionShare {
  status: TwoFactorStatus
  count: number
  /** Exact share, 0..100, for drawing. */
  fraction: number
  /** Whole percent for reading; the three always add up to 100 (or all 0). */
  percent: number
}

/** Shares per status, rounded by largest remainder so the legend adds up to 100 %. */
export function distributionShares(distribution: Distribution): DistributionShare[] {
  const total = distribution.active + distribution.pending + distribution.inactive
  const exact = TWO_FACTOR_STATUSES.map((status) => ({ status, count: distribution[status], fraction: total === 0 ? 0 : (distribution[status] * 100) / total }))
  const floors = exact.map((share) => Math.floor(share.fraction))
  let missing = total === 0 ? 0 : 100 - floors.reduce((sum, n) => sum + n, 0)
  const byRemainder = exact
    .map((share, index) => ({ index, remainder: share.fraction - Math.floor(share.fraction) }))
    .sort((a, b) => b.remainder - a.remainder || a.index - b.index)
  for (const { index } of byRemainder) {
    if (missing <= 0) break
    floors[index] = (floors[index] ?? 0) + 1
    missing -= 1
  }
  return exact.map((share, index) => ({ ...share, percent: floors[index] ?? 0 }))
}

/** "1 user", "20,001 users": counts read with thousands separators. */
export function plural(count: number, one: string, many = `${one}s`): string {
  return `${count.toLocaleString('en-US')} ${count === 1 ? one : many}`
}
