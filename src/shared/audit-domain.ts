// The audit log's domain types, shared by every process (re-exported by domain.ts). Pure TypeScript.

/** Every action the audit log records, in the order the Audit screen's filter lists them. */
export const AUDIT_ACTIONS = [
  'setup.first-admin',
  'login.success',
  'login.failure',
  'login.locked',
  'login.second-factor-failure',
  'login.replay-rejected',
  'login.recovery-code-used',
  'logout',
  'session.expired',
  'session.reauthenticated',
  'settings.idle-timeout-changed',
  'account.locked',
  'account.unlocked',
  '2fa.enrolled',
  '2fa.deactivated',
  '2fa.reset',
  '2fa.recovery-codes-regenerated',
  'enforcement.user-changed',
  'enforcement.all-enforced',
  'enforcement.all-revoked',
  'enforcement.deadline-changed',
  'enforcement.group-enforced',
  'enforcement.group-revoked',
  'enforcement.exemption-group-changed',
  'group.created',
  'group.deleted',
  'group.members-changed',
  'user.created',
  'user.updated',
  'user.password-changed',
  'users.imported',
  'directory.connection-changed',
  'directory.synced',
  'radius.client-added',
  'radius.client-removed',
  'radius.challenge',
  'users.exported',
  'audit.exported',
  'audit.anchor-created',
  'audit.chain-keyed',
  'temporary-pass.issued',
  'temporary-pass.revoked',
  'temporary-pass.used',
  'enrollment.in-person-started',
  'enrollment.in-person-identified',
  'enrollment.in-person-cancelled',
  'enrollment.in-person-ended'
] as const

export type AuditAction = (typeof AUDIT_ACTIONS)[number]

export interface AuditEntry {
  id: number
  at: number
  actor: string
  action: AuditAction
  target: string | null
  details: Record<string, unknown>
}

export interface AuditPage {
  entries: AuditEntry[]
  nextCursor: number | null
  chain: AuditChainStatus
}

/**
 * Where the verification of the audit chain stands. Entries are checked once
 * as they arrive (everything up to `verifiedThrough`); a full verification
 * checks every entry again, off the thread that answers the screens.
 */
export interface AuditChainStatus {
  /** Entries in the log. */
  entries: number
  /** Every entry up to this id has been checked and holds (0: none yet). */
  verifiedThrough: number
  /** The first link found broken, or null while none is. */
  broken: { at: number; reason: string } | null
  /** The last verification of every entry, or null if there was none yet. */
  lastFullVerification: { at: number; entries: number; valid: boolean } | null
  /** A full verification under way in this process, with how far it got. */
  verifying: { checked: number; total: number } | null
}
