// Domain types shared by every process. Pure TypeScript: no runtime imports.

export type Role = 'admin' | 'user'

/** Where a user comes from: made in this app or its command line, a CSV import, or an LDAP / Active Directory sync. */
export type UserSource = 'local' | 'csv' | 'ldap'
export const ROLES: readonly Role[] = ['admin', 'user']

/**
 * A user's 2FA status as the Users table shows it:
 * - `active`: a confirmed TOTP credential (green shield with check mark)
 * - `pending`: 2FA is enforced but not yet activated; activation at next login (orange shield)
 * - `inactive`: not active and not enforced (red shield)
 */
export type TwoFactorStatus = 'active' | 'pending' | 'inactive'
export const TWO_FACTOR_STATUSES: readonly TwoFactorStatus[] = ['active', 'pending', 'inactive']

/**
 * The part of a user's 2FA status that does not depend on the global policy,
 * kept per user and counted per class so that the distribution and a status
 * filter never scan the directory (the rules: src/main/core/enforcement.ts):
 * - `active`: a confirmed credential
 * - `always`: no credential and enforced whatever the policy (administrators, individual enforcement)
 * - `inherit`: no credential and following the policy
 * - `exempt`: no credential and never enforced
 */
export type TwoFactorClass = 'active' | 'always' | 'inherit' | 'exempt'
export const TWO_FACTOR_CLASSES: readonly TwoFactorClass[] = ['active', 'always', 'inherit', 'exempt']

/** Per-user override of the global enforcement policy. */
export type Enforcement = 'inherit' | 'enforced' | 'exempt'
export const ENFORCEMENTS: readonly Enforcement[] = ['inherit', 'enforced', 'exempt']

/** Why 2FA is (or is not) enforced for a user, for tooltips and the CLI. */
export type EnforcementSource = 'role' | 'individual' | 'policy' | 'exempt' | 'none'

/**
 * The Users table's sort orders. Ties sort by name, then by id: `role` lists
 * administrators first, `status` lists active, then pending, then not active.
 */
export type UserSortKey = 'name' | 'email' | 'role' | 'status'
export type SortDirection = 'asc' | 'desc'

/** One row of the Users table. */
export interface UserRow {
  id: number
  name: string
  email: string
  role: Role
  disabled: boolean
  status: TwoFactorStatus
  enforcement: Enforcement
  /** Effective enforcement: what the "Enforce 2FA activation" checkbox shows. */
  enforced: boolean
  enforcementSource: EnforcementSource
  locked: boolean
  /** Epoch ms; null while 2FA is not active. */
  activeSince: number | null
  /** Epoch ms of the last login completed with a second factor. */
  lastTwoFactorLoginAt: number | null
  source: UserSource
}

export interface UserDetails extends UserRow {
  createdAt: number
  updatedAt: number
  enforcementChangedBy: string | null
  enforcementChangedAt: number | null
  failedAttempts: number
  /** When the account's lock ends, or null while it is not locked. */
  lockedUntil: LockEnd | null
  recoveryCodesRemaining: number
  /**
   * Whether the user has a password of this app. Imported users have none yet
   * ("No password yet"); directory users sign in with their directory password.
   */
  hasPassword: boolean
  /** The user's entry in the directory (source `ldap`), or null. */
  directoryDn: string | null
}

/**
 * When a lock ends: at an epoch ms, or `'unlock'`: only when an administrator
 * unlocks the account (after too many failures in a row, NIST SP 800-63B 5.2.2).
 */
export type LockEnd = number | 'unlock'

export interface UserPage {
  users: UserRow[]
  /** Opaque cursor for the next page, or null on the last page. */
  nextCursor: string | null
  /** The 0-based row of the whole sorted, filtered list at which this page begins (set when asked by `position`). */
  start?: number
  /** Number of users matching the filter (not just this page). Exact unless totalCapped. */
  total: number
  /**
   * True when a search matched more users than a search shows (1,000): `total`
   * is then that limit, the list holds that many of the matches, and the
   * screen should ask for a more specific search.
   */
  totalCapped: boolean
}

export interface Distribution {
  total: number
  active: number
  pending: number
  inactive: number
}

export interface SecurityOverview {
  distribution: Distribution
  enforcedForAll: boolean
  enforcedSince: number | null
  enforcedBy: string | null
  /** Users who would have to activate 2FA at next login if enforcement were turned on now. */
  wouldBecomePending: number
  /** Users who would no longer be required to activate 2FA if enforcement were revoked now. */
  wouldBecomeInactive: number
}

/** The signed-in user as the renderer sees them. */
export interface Me {
  id: number
  name: string
  email: string
  role: Role
}

export interface MyAccount {
  me: Me
  status: TwoFactorStatus
  enforced: boolean
  /** Whether the user may deactivate their own 2FA (false while enforced). */
  canDeactivate: boolean
  activeSince: number | null
  recoveryCodesRemaining: number
}

/** Where a login attempt stands. The session token itself never reaches the renderer. */
export type AuthStep =
  | { step: 'signed-in'; me: Me }
  /** Password accepted; an authentication code or a recovery code is required. */
  | { step: 'second-factor'; email: string }
  /** Password accepted; 2FA is enforced but not active: enrollment must be completed first. */
  | { step: 'enrollment-required'; me: Me }

export interface AppState {
  /** True while the directory has no user: the first-run setup form is shown. */
  needsSetup: boolean
  session: AuthStep | null
  /** Minutes of inactivity after which a session ends. */
  idleTimeoutMinutes: number
  /**
   * Problems with how this installation protects its data (no OS keychain, for
   * instance), for a banner. Only sent to a signed-in administrator.
   */
  warnings?: string[]
}

export interface EnrollmentStart {
  /** PNG data URL of the otpauth:// URI, for the authenticator app to scan. */
  qrDataUrl: string
  otpauthUri: string
  /** The base32 secret in groups of four, for manual entry. */
  secretGroups: string[]
  issuer: string
  accountName: string
  algorithm: TotpAlgorithm
  digits: number
  period: number
  /** Epoch ms after which the pending secret is discarded. */
  expiresAt: number
}

export interface EnrollmentDone {
  recoveryCodes: string[]
  session: AuthStep
}

export type TotpAlgorithm = 'SHA1' | 'SHA256' | 'SHA512'

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
  'account.locked',
  'account.unlocked',
  '2fa.enrolled',
  '2fa.deactivated',
  '2fa.reset',
  '2fa.recovery-codes-regenerated',
  'enforcement.user-changed',
  'enforcement.all-enforced',
  'enforcement.all-revoked',
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
  'audit.chain-keyed'
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
