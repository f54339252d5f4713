// Everything that must hold for a directory after any crash or race, checked
// from the outside: SQLite's own integrity, the audit chain, the service's
// counts against a recount written here from the rules, and one consistent
// state per user. Returns the problems found (none is the only good answer).
import type { Distribution } from '../../../src/shared/domain'
import { chainKeying, walkWholeChain } from '../../../src/main/core/audit/verification'
import { CLI_CALLER } from '../../../src/main/core/caller'
import { fileKeyProvider } from '../../../src/main/core/crypto/keys'
import { contextOf, databaseOf, openCore } from '../../../src/main/core/open-core'
import type { Database } from '../../../src/main/db/connection'
import { RECOVERY_CODE_COUNT, decryptSecret } from '../../../src/main/core/crypto/secrets'
import { SECRET_BYTES } from '../../../src/main/core/crypto/totp'

export interface DirectoryFacts {
  users: number
  /** Users with 2FA active now. */
  activeUsers: number
  /** Enrollments ever confirmed (2fa.enrolled entries), including those reset since. */
  enrollments: number
  auditEntries: number
  bulkBatches: number
  emails: Set<string>
}

interface UserFacts {
  id: number
  email: string
  role: string
  enforcement: string
  has_credential: number
  has_enrollment: number
  recovery_codes: number
  /** The deadline of an individual enforcement (epoch ms), or null. */
  enforcement_deadline: number | null
  /** The earliest deadline of the user's enforced groups, or null when none of their groups is enforced. */
  group_deadline: number | null
  /** Whether the user is in the group the global policy leaves out. */
  in_exempt_group: number
}

interface PolicyFacts {
  enforcedForAll: boolean
  /** While enforced for all: activation due by (epoch ms). */
  deadline: number
}

/** Whether an inheriting user without 2FA is enforced by the global policy alone (not by a group, not left out by the exemption group). */
function coveredByPolicyOnly(user: UserFacts): boolean {
  return !user.has_credential && user.role !== 'admin' && user.enforcement === 'inherit' && user.group_deadline === null && !user.in_exempt_group
}

/**
 * The 2FA status by the rules of src/main/core/enforcement/rules.ts, restated on
 * purpose rather than imported: a confirmed credential is active; otherwise
 * admins, individually enforced users and inheriting users in an enforced
 * group or (under the global policy, unless in its exemption group) are
 * pending; everyone else is inactive. A pending user is overdue once the
 * deadline of what enforces them has passed (administrators: at once).
 */
function recountedStatus(user: UserFacts, policy: PolicyFacts, now: number): { status: 'active' | 'pending' | 'inactive'; overdue: boolean } {
  if (user.has_credential) return { status: 'active', overdue: false }
  if (user.role === 'admin') return { status: 'pending', overdue: true }
  if (user.enforcement === 'enforced') return { status: 'pending', overdue: (user.enforcement_deadline ?? 0) <= now }
  // Groups and the policy (unless in its exemption group) together: due by the earliest of their deadlines.
  const policyDeadline = user.enforcement === 'inherit' && policy.enforcedForAll && !user.in_exempt_group ? policy.deadline : null
  const groupDeadline = user.enforcement === 'inherit' ? user.group_deadline : null
  if (groupDeadline !== null || policyDeadline !== null) return { status: 'pending', overdue: Math.min(groupDeadline ?? Infinity, policyDeadline ?? Infinity) <= now }
  return { status: 'inactive', overdue: false }
}

function hasColumn(db: Database, table: string, column: string): boolean {
  return (db.prepare(`SELECT count(*) FROM pragma_table_xinfo(?) WHERE name = ?`).pluck().get(table, column) as number) > 0
}

export async function checkDirectory(dbPath: string, acknowledged: Iterable<string> = []): Promise<{ problems: string[]; facts: DirectoryFacts }> {
  const problems: string[] = []
  const core = openCore({ dbPath, keyProvider: fileKeyProvider(dbPath), passwordKdf: { N: 2 ** 10, r: 8, p: 1 } })
  try {
    const db = databaseOf(core)
    const integrity = db.pragma('integrity_check') as { integrity_check: string }[]
    if (integrity.length !== 1 || integrity[0]?.integrity_check !== 'ok') problems.push(`integrity_check: ${JSON.stringify(integrity)}`)
    const foreignKeys = db.pragma('foreign_key_check') as unknown[]
    if (foreignKeys.length > 0) problems.push(`foreign_key_check: ${JSON.stringify(foreignKeys.slice(0, 5))}`)

    const chain = walkWholeChain(db, chainKeying(contextOf(core)))
    if (!chain.valid) problems.push(`audit chain: ${chain.reason}`)

    const policyRow = db.prepare('SELECT enforced_for_all, deadline, changed_at, exempt_group_id FROM enforcement_policy WHERE id = 1').get() as {
      enforced_for_all: number
      deadline: number | null
      changed_at: number | null
      exempt_group_id: number | null
    }
    const enforcedForAll = policyRow.enforced_for_all === 1
    const policy: PolicyFacts = { enforcedForAll, deadline: policyRow.deadline ?? policyRow.changed_at ?? 0 }
    const users = db
      .prepare(
        `SELECT u.id, u.email, u.role, u.enforcement, u.enforcement_deadline,
           EXISTS (SELECT 1 FROM totp_credentials c WHERE c.user_id = u.id) AS has_credential,
           EXISTS (SELECT 1 FROM totp_enrollments e WHERE e.user_id = u.id) AS has_enrollment,
           (SELECT count(*) FROM recovery_codes r WHERE r.user_id = u.id) AS recovery_codes,
           (SELECT min(g.deadline) FROM group_members m JOIN groups g ON g.id = m.group_id WHERE m.user_id = u.id AND g.enforced = 1) AS group_deadline,
           EXISTS (SELECT 1 FROM group_members m WHERE m.user_id = u.id AND m.group_id = @exemptGroup) AS in_exempt_group
         FROM users u`
      )
      .all({ exemptGroup: policyRow.exempt_group_id }) as UserFacts[]

    // The service's counts against a full recount.
    const now = Date.now()
    const recount: Distribution = { total: users.length, active: 0, pending: 0, inactive: 0, overdue: 0 }
    for (const user of users) {
      const { status, overdue } = recountedStatus(user, policy, now)
      recount[status]++
      if (overdue) recount.overdue++
    }
    const inheritingWithoutTwoFactor = users.filter(coveredByPolicyOnly).length
    const overview = await core.dispatch('getSecurityOverview', CLI_CALLER, {})
    if (!overview.ok) problems.push(`getSecurityOverview: ${overview.error.code} ${overview.error.message}`)
    else {
      const expected = {
        distribution: recount,
        enforcedForAll,
        wouldBecomePending: enforcedForAll ? 0 : inheritingWithoutTwoFactor,
        wouldBecomeInactive: enforcedForAll ? inheritingWithoutTwoFactor : 0
      }
      const actual = {
        distribution: overview.value.distribution,
        enforcedForAll: overview.value.enforcedForAll,
        wouldBecomePending: overview.value.wouldBecomePending,
        wouldBecomeInactive: overview.value.wouldBecomeInactive
      }
      if (JSON.stringify(actual) !== JSON.stringify(expected)) problems.push(`counts: service ${JSON.stringify(actual)} != recount ${JSON.stringify(expected)}`)
    }

    // One consistent state per user.
    const key = fileKeyProvider(dbPath).getDataKey()
    const credentials = db.prepare('SELECT user_id, secret_enc FROM totp_credentials').all() as { user_id: number; secret_enc: Buffer }[]
    for (const credential of credentials) {
      try {
        const secret = decryptSecret(key, credential.user_id, credential.secret_enc)
        if (secret.length !== SECRET_BYTES) problems.push(`user ${credential.user_id}: secret of ${secret.length} bytes`)
      } catch (error) {
        problems.push(`user ${credential.user_id}: credential secret unreadable (${(error as Error).message})`)
      }
    }
    for (const user of users) {
      if (user.has_credential && user.has_enrollment) problems.push(`${user.email}: a confirmed credential and a pending enrollment at once`)
      if (user.has_credential && user.recovery_codes !== RECOVERY_CODE_COUNT) problems.push(`${user.email}: active 2FA with ${user.recovery_codes} recovery codes`)
      if (!user.has_credential && user.recovery_codes > 0) problems.push(`${user.email}: ${user.recovery_codes} recovery codes without a credential`)
    }
    const orphanCodes = db.prepare('SELECT count(*) FROM recovery_codes WHERE user_id NOT IN (SELECT id FROM users)').pluck().get() as number
    if (orphanCodes > 0) problems.push(`${orphanCodes} recovery codes of no user`)

    // Facts kept beside the rows (schema 2): they must agree with the rows.
    if (hasColumn(db, 'users', 'has_totp')) {
      const wrong = db
        .prepare('SELECT count(*) FROM users u WHERE u.has_totp <> EXISTS (SELECT 1 FROM totp_credentials c WHERE c.user_id = u.id)')
        .pluck()
        .get() as number
      if (wrong > 0) problems.push(`${wrong} users whose has_totp disagrees with their credential`)
    }
    const hasClassCounts = (db.prepare("SELECT count(*) FROM sqlite_schema WHERE name = 'class_counts'").pluck().get() as number) > 0
    if (hasClassCounts && hasColumn(db, 'users', 'tfa_class')) {
      const kept = db.prepare('SELECT tfa_class, users FROM class_counts ORDER BY 1').all() as { tfa_class: string; users: number }[]
      const counted = new Map((db.prepare('SELECT tfa_class, count(*) AS n FROM users GROUP BY 1').all() as { tfa_class: string; n: number }[]).map((row) => [row.tfa_class, row.n]))
      for (const row of kept) if (row.users !== (counted.get(row.tfa_class) ?? 0)) problems.push(`class_counts ${row.tfa_class}: kept ${row.users}, counted ${counted.get(row.tfa_class) ?? 0}`)
      // The rows are one per class in use (migration 8): a class with users must have its row too.
      const keptClasses = new Set(kept.map((row) => row.tfa_class))
      for (const [twoFactor, n] of counted) if (!keptClasses.has(twoFactor)) problems.push(`class_counts ${twoFactor}: no row, counted ${n}`)
    }

    // Every change is in the audit log with the change, never one without the other.
    const created = new Map(
      (db.prepare("SELECT target, count(*) AS n FROM audit_log WHERE action IN ('user.created', 'setup.first-admin') GROUP BY target").all() as { target: string; n: number }[]).map(
        (row) => [row.target, row.n]
      )
    )
    const emails = new Set(users.map((user) => user.email))
    for (const user of users) if (created.get(user.email) !== 1) problems.push(`${user.email}: ${created.get(user.email) ?? 0} creation entries in the audit log`)
    for (const target of created.keys()) if (!emails.has(target)) problems.push(`${target}: audited as created but not in the directory`)

    const lastTwoFactorAction = new Map(
      (
        db
          .prepare(
            `SELECT target, action FROM audit_log WHERE id IN (
               SELECT max(id) FROM audit_log WHERE action IN ('2fa.enrolled', '2fa.reset', '2fa.deactivated') GROUP BY target)`
          )
          .all() as { target: string; action: string }[]
      ).map((row) => [row.target, row.action])
    )
    const lastEnforcement = new Map(
      (
        db
          .prepare(
            // A single change records 'enforcement.user-changed'; an import records the enforcement in
            // the one entry it writes per user (created with it, or updated from and to).
            `SELECT target, CASE action
                 WHEN 'enforcement.user-changed' THEN json_extract(details, '$.to')
                 WHEN 'user.updated' THEN json_extract(details, '$.enforcement.to')
                 ELSE coalesce(json_extract(details, '$.enforcement'), 'inherit') END AS enforcement
             FROM audit_log WHERE id IN (
               SELECT max(id) FROM audit_log
               WHERE action = 'enforcement.user-changed' OR action = 'user.created'
                  OR (action = 'user.updated' AND json_extract(details, '$.enforcement') IS NOT NULL)
               GROUP BY target)`
          )
          .all() as { target: string; enforcement: string }[]
      ).map((row) => [row.target, row.enforcement])
    )
    for (const user of users) {
      const enrolledLast = lastTwoFactorAction.get(user.email) === '2fa.enrolled'
      if (enrolledLast !== Boolean(user.has_credential)) {
        problems.push(`${user.email}: credential ${user.has_credential ? 'present' : 'absent'} but the last 2FA audit entry is ${lastTwoFactorAction.get(user.email) ?? 'none'}`)
      }
      const audited = lastEnforcement.get(user.email) ?? 'inherit'
      if (audited !== user.enforcement) problems.push(`${user.email}: enforcement ${user.enforcement} but the audit log last says ${audited}`)
    }

    const policyEntries = db
      .prepare("SELECT action FROM audit_log WHERE action IN ('enforcement.all-enforced', 'enforcement.all-revoked') ORDER BY id")
      .pluck()
      .all() as string[]
    policyEntries.forEach((action, index) => {
      // Each entry is a real change: enforced and revoked alternate, starting from "not enforced".
      const expected = index % 2 === 0 ? 'enforcement.all-enforced' : 'enforcement.all-revoked'
      if (action !== expected) problems.push(`policy audit entry ${index + 1} is ${action}, expected ${expected}`)
    })
    if ((policyEntries.length % 2 === 1) !== enforcedForAll) problems.push(`policy is ${enforcedForAll} but the audit log has ${policyEntries.length} changes`)

    const batches = db
      .prepare(
        `SELECT json_extract(details, '$.batch') AS batch, json_extract(details, '$.size') AS size, count(*) AS n
         FROM audit_log WHERE action = 'enforcement.user-changed' AND json_extract(details, '$.batch') IS NOT NULL GROUP BY 1, 2`
      )
      .all() as { batch: string; size: number; n: number }[]
    for (const batch of batches) if (batch.n !== batch.size) problems.push(`bulk change ${batch.batch}: ${batch.n} of ${batch.size} users applied`)

    for (const email of acknowledged) if (!emails.has(email)) problems.push(`${email}: reported created, but missing`)

    const enrollments = db.prepare("SELECT count(*) FROM audit_log WHERE action = '2fa.enrolled'").pluck().get() as number

    return {
      problems,
      facts: {
        users: users.length,
        activeUsers: credentials.length,
        enrollments,
        auditEntries: chain.checked,
        bulkBatches: batches.length,
        emails
      }
    }
  } finally {
    core.close()
  }
}
