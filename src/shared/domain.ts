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
export type BaseTwoFactorClass = 'active' | 'always' | 'inherit' | 'exempt'
export const TWO_FACTOR_CLASSES: readonly BaseTwoFactorClass[] = ['active', 'always', 'inherit', 'exempt']
/**
 * The class of a user in groups is their base class and their group set (one
 * combination of groups, migration 8): `inherit@12`. Users in no group keep the
 * base class alone, so a directory without groups has the four classes above.
 */
export type TwoFactorClass = BaseTwoFactorClass | `${BaseTwoFactorClass}@${number}`

/** Per-user override of the global enforcement policy. */
export type Enforcement = 'inherit' | 'enforced' | 'exempt'
export const ENFORCEMENTS: readonly Enforcement[] = ['inherit', 'enforced', 'exempt']

/** Why 2FA is (or is not) enforced for a user, for tooltips and the CLI. */
export type EnforcementSource = 'role' | 'individual' | 'group' | 'policy' | 'exempt' | 'none'

/**
 * The Users table's 2FA filter: a status, or `overdue`: pending users whose
 * activation deadline has passed (they must activate at their next sign-in).
 */
export type TwoFactorFilter = TwoFactorStatus | 'overdue'
export const TWO_FACTOR_FILTERS: readonly TwoFactorFilter[] = ['active', 'pending', 'overdue', 'inactive']

/**
 * The Users table's filter by why 2FA is enforced: `admin` (administrators,
 * always), `individual` (enforced for the user alone), `policy` (following the
 * policy or a group that enforces), `exempt` (exempted individually).
 */
export type EnforcementSourceFilter = 'admin' | 'individual' | 'policy' | 'exempt'
export const ENFORCEMENT_SOURCE_FILTERS: readonly EnforcementSourceFilter[] = ['admin', 'individual', 'policy', 'exempt']
export const USER_SOURCES: readonly UserSource[] = ['local', 'csv', 'ldap']
/** "Few recovery codes left": 2FA active and at most this many unused codes. */
export const FEW_RECOVERY_CODES = 3

/** Grace periods are whole days, from none (activation at the next sign-in) to a year. */
export const MAX_GRACE_DAYS = 365
export const DAY_MS = 86_400_000

/**
 * The Users table's sort orders. Ties sort by name, then by id: `role` lists
 * administrators first, `status` lists active, then pending, then not active.
 * The times of the optional columns (TIME_SORT_KEYS) sort by the time, ties by
 * id, and users without one (never signed in with 2FA, 2FA not active, not
 * enforced individually, not locked) last in either direction, by id.
 */
export type UserSortKey = 'name' | 'email' | 'role' | 'status' | TimeSortKey
/** Last successful 2FA login, 2FA active since, enforced individually since, locked until. */
export type TimeSortKey = 'lastTwoFactorLogin' | 'activeSince' | 'enforcedSince' | 'lockedUntil'
export const TIME_SORT_KEYS: readonly TimeSortKey[] = ['lastTwoFactorLogin', 'activeSince', 'enforcedSince', 'lockedUntil']
export const USER_SORT_KEYS: readonly UserSortKey[] = ['name', 'email', 'role', 'status', ...TIME_SORT_KEYS]
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
  /**
   * While enforced: when activation is (or was) due, epoch ms; null when 2FA
   * is not enforced, or enforced for an administrator (due at once, always).
   */
  deadline: number | null
  /** Pending and past the deadline (or an administrator): activation is required at the next sign-in. */
  overdue: boolean
  /** Names of the user's groups, in name order. */
  groups: string[]
  locked: boolean
  /** Epoch ms; null while 2FA is not active. */
  activeSince: number | null
  /** Epoch ms of the last login completed with a second factor. */
  lastTwoFactorLoginAt: number | null
  source: UserSource
  /** While enforced individually: when that enforcement was set (epoch ms); otherwise null. Always set by listUsers. */
  enforcedSince?: number | null
  /** When the account's lock ends, or null while it is not locked. Always set by listUsers. */
  lockedUntil?: LockEnd | null
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
  /** The user's temporary access pass (never the pass itself), or null when they have none that is still valid. */
  temporaryPass: TemporaryPassStatus | null
}

/** A temporary access pass as administrators see it: the pass itself is shown once, when issued. */
export interface TemporaryPassStatus {
  issuedAt: number
  issuedBy: string
  expiresAt: number
  /** Used up by the sign-in that uses it; otherwise it lasts until it expires or 2FA is activated. */
  singleUse: boolean
  /** When a single-use pass signed its user in (it signs no one in again), or null. */
  usedAt: number | null
}

/** What issuing a pass answers, once: the pass, and the user as they are now. */
export interface IssuedTemporaryPass {
  pass: string
  status: TemporaryPassStatus
  user: UserDetails
}

/** How far an enrollment at the administrator's desk got: proving who they are, enrolling, done (the admin unlocks). */
export type InPersonStage = 'identify' | 'enroll' | 'done'

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
  /** Number of users matching the filter (not just this page): exact unless countPending. */
  total: number
  /**
   * True when a search matched many users and counting them exactly takes
   * longer than the page: `total` is then only a lower bound (the matches known
   * so far), the pages still hold every match in order, and countUsers with
   * the same filter returns the exact number.
   */
  countPending: boolean
}

export interface Distribution {
  total: number
  active: number
  pending: number
  inactive: number
  /** Of the pending users, those past their deadline: they must activate at their next sign-in. */
  overdue: number
}

/** What an enforcement would change, for its confirmation: exact counts. */
export interface EnforcementPreview {
  /** Users without 2FA who would have to activate it (and do not have to now). */
  willHaveToActivate: number
  /** Of those, how many would be overdue at once (no grace period, or another deadline that passed). */
  overdueAtOnce: number
  /** Users who would no longer have to activate 2FA (for a revocation). */
  wouldNoLongerHaveTo: number
  /**
   * Users who have to activate already and would be overdue at once (a deadline
   * moved to an earlier date, or a group with an earlier deadline).
   */
  newlyOverdue: number
}

export interface GroupSummary {
  id: number
  name: string
  source: 'local' | 'ldap'
  members: number
  enforced: boolean
  /** While enforced: activation due by, epoch ms. */
  deadline: number | null
  enforcedBy: string | null
  enforcedAt: number | null
  /** The exemption group of the global policy. */
  exemptFromPolicy: boolean
  /** Members by status under the current enforcement: exact. */
  distribution: Distribution
}

export interface SecurityOverview {
  distribution: Distribution
  enforcedForAll: boolean
  enforcedSince: number | null
  enforcedBy: string | null
  /** While enforced for all users: activation due by, epoch ms. */
  deadline: number | null
  /** The group whose members the global policy leaves out, or null. */
  exemptionGroup: { id: number; name: string } | null
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
  /** Why 2FA is enforced for this person (or not): worded as everywhere else (ENFORCEMENT_SOURCE_LABEL). */
  enforcementSource: EnforcementSource
  /** While enforced: when activation is (or was) due; null when not enforced or due at once (administrators). */
  deadline: number | null
  /** Whether the user may deactivate their own 2FA (false while enforced). */
  canDeactivate: boolean
  activeSince: number | null
  recoveryCodesRemaining: number
}

/** Where a login attempt stands. The session token itself never reaches the renderer. */
export type AuthStep =
  | {
      step: 'signed-in'
      me: Me
      /**
       * 2FA is enforced but not active and the grace period runs: the screen
       * shows this at every sign-in, with "Activate 2FA now" and "Later".
       */
      activationDue?: { deadline: number; daysLeft: number }
    }
  /** Password accepted; an authentication code or a recovery code is required. */
  | { step: 'second-factor'; email: string }
  /** Password accepted; 2FA is enforced but not active: enrollment must be completed first. */
  | { step: 'enrollment-required'; me: Me }
  /**
   * Signed in with a temporary access pass: only a first password (`canSetPassword`)
   * and activating 2FA (replacing the old authenticator, if any) are open.
   */
  | { step: 'temporary-pass'; me: Me; canSetPassword: boolean; replacesAuthenticator: boolean }
  /** The user's hand-over session at an administrator's desk; `admin` names who unlocks it. */
  | { step: 'in-person'; stage: InPersonStage; me: Me; admin: string }

export interface AppState {
  /** True while the directory has no user: the first-run setup form is shown. */
  needsSetup: boolean
  session: AuthStep | null
  /** Minutes of inactivity after which a session ends, as set on Account > Security (5 to 60). */
  idleTimeoutMinutes: number
  /** The idle timeout this process applies, in ms: the setting, or shorter where the host asked (the end-to-end tests). */
  idleTimeoutMs: number
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

export { AUDIT_ACTIONS, type AuditAction, type AuditChainStatus, type AuditEntry, type AuditPage } from './audit-domain'
