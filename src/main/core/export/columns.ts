// What an export says about each row: the columns of the users export (the 2FA
// report) and of the audit export (each entry with its chain link), the same
// for the command line and the screens. Only these fields leave: never a
// password hash, a TOTP secret or a recovery code.
import type { EnforcementSource, UserRow } from '../../../shared/domain'
import type { AuditRecord } from '../../db/audit-repo'

/** The columns of the users export, in order; the JSON form uses the same names. */
export const USER_EXPORT_COLUMNS = ['email', 'name', 'role', 'status', 'enforcement', 'enforced_by', 'active_since', 'last_2fa_login', 'locked', 'disabled', 'source', 'deadline', 'groups'] as const
export type UserExportRecord = Record<(typeof USER_EXPORT_COLUMNS)[number], string | boolean | null>

/** Why a user is enforced: the role (administrators always are), their own setting, the policy for all, an exemption, or nothing. */
const ENFORCED_BY: Record<EnforcementSource, string> = { role: 'admin', individual: 'individual', group: 'group', policy: 'policy', exempt: 'exempt', none: 'none' }

/** A moment as exports write it: ISO 8601 in UTC, to the second. */
export function isoSeconds(ms: number): string {
  return new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z')
}

const isoOrNull = (ms: number | null): string | null => (ms === null ? null : isoSeconds(ms))

export function userExportRecord(user: UserRow): UserExportRecord {
  return {
    email: user.email,
    name: user.name,
    role: user.role,
    status: user.status,
    enforcement: user.enforcement,
    enforced_by: ENFORCED_BY[user.enforcementSource],
    active_since: isoOrNull(user.activeSince),
    last_2fa_login: isoOrNull(user.lastTwoFactorLoginAt),
    locked: user.locked,
    disabled: user.disabled,
    source: user.source,
    deadline: isoOrNull(user.deadline),
    groups: user.groups.join('; ')
  }
}

export const AUDIT_EXPORT_COLUMNS = ['id', 'time', 'at', 'actor', 'action', 'target', 'details', 'prev_hash', 'hash'] as const
export type AuditExportRecord = Record<(typeof AUDIT_EXPORT_COLUMNS)[number], string | number | null>

/** One entry as exported: `at` and `details` exactly as chained (epoch ms, the JSON text), `time` for people. */
export function auditExportRecord(entry: AuditRecord): AuditExportRecord {
  return {
    id: entry.id,
    time: isoSeconds(entry.at),
    at: entry.at,
    actor: entry.actor,
    action: entry.action,
    target: entry.target,
    details: entry.details,
    prev_hash: entry.prevHash,
    hash: entry.hash
  }
}
