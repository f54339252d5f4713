// One row of an import applied to the directory, inside the import's
// transaction, with the rules of a single change: the last active
// administrator stays one, administrators are always enforced, nobody
// disables themselves, a directory user's name and state come from the
// directory, and what needs a recent password or code (a new or demoted
// administrator, access of an administrator, enforcement taken away) is
// refused without one. One audit entry per user changed.
import type { ImportChange } from '../../../shared/contract/user-import'
import type { Enforcement, Role } from '../../../shared/domain'
import type { Database } from '../../db/connection'
import type { StagedRow } from '../../db/user-import-repo'
import * as usersRepo from '../../db/users-repo'
import type { UserRecord } from '../../db/users-repo'
import { appendAudit } from '../audit/chain'
import { isEnforced, type EnforcementPolicy } from '../enforcement/rules'

export interface ImportActor {
  label: string
  /** The administrator's own account (null: the command line). */
  userId: number | null
  /** Whether the administrator entered their password or a code within the re-authentication window. */
  recentlyAuthenticated: boolean
}

export interface RowTally {
  created: number
  updated: number
  unchanged: number
  newAdmins: number
  /** A row needs a recent password or code the administrator has not given. */
  reauthRequired: boolean
}

export type RowOutcome = { kind: 'done'; change: ImportChange | null } | { kind: 'problem'; message: string }

interface RowContext {
  actor: ImportActor
  now: number
  policy: EnforcementPolicy
}

const ALWAYS_ENFORCED = '2FA is always enforced for administrators: leave enforce empty, or set it to yes or inherit.'

export function applyRow(db: Database, row: StagedRow, context: RowContext, tally: RowTally): RowOutcome {
  const existing = usersRepo.findUserByEmail(db, row.email)
  return existing === null ? createFromRow(db, row, context, tally) : updateFromRow(db, existing, row, context, tally)
}

function createFromRow(db: Database, row: StagedRow, { actor, now }: RowContext, tally: RowTally): RowOutcome {
  const role: Role = row.role ?? 'user'
  const enforcement: Enforcement = row.enforcement ?? 'inherit'
  const disabled = row.disabled ?? false
  if (role === 'admin' && enforcement === 'exempt') return { kind: 'problem', message: ALWAYS_ENFORCED }
  // Another name than the email's would be a guess; the part before the @ is what people recognise.
  const name = row.name ?? row.email.slice(0, row.email.indexOf('@'))
  if (role === 'admin') {
    tally.newAdmins++
    if (!actor.recentlyAuthenticated) tally.reauthRequired = true
  }
  // No password yet: an administrator sets one. Until then nobody can sign in as them.
  const id = usersRepo.insertUser(db, { name, email: row.email, role, passwordHash: null, now, source: 'csv' })
  if (enforcement !== 'inherit') usersRepo.setEnforcementOverride(db, id, enforcement, actor.label, now)
  if (disabled) usersRepo.updateProfile(db, id, { disabled: true }, now)
  const details: Record<string, unknown> = { role, source: 'csv' }
  if (enforcement !== 'inherit') details.enforcement = enforcement
  if (disabled) details.disabled = true
  appendAudit(db, now, { actor: actor.label, action: 'user.created', target: row.email, details })
  tally.created++
  const fields: ImportChange['fields'] = { name: { from: null, to: name }, role: { from: null, to: role } }
  if (enforcement !== 'inherit') fields.enforcement = { from: null, to: enforcement }
  if (disabled) fields.disabled = { from: null, to: 'yes' }
  return { kind: 'done', change: { line: row.line, email: row.email, kind: 'create', fields } }
}

function updateFromRow(db: Database, user: UserRecord, row: StagedRow, { actor, now, policy }: RowContext, tally: RowTally): RowOutcome {
  const name = row.name !== null && row.name !== user.name ? row.name : undefined
  const role = row.role !== null && row.role !== user.role ? row.role : undefined
  const disabled = row.disabled !== null && row.disabled !== user.disabled ? row.disabled : undefined
  const enforcement = row.enforcement !== null && row.enforcement !== user.enforcement ? row.enforcement : undefined
  if (name === undefined && role === undefined && disabled === undefined && enforcement === undefined) {
    tally.unchanged++
    return { kind: 'done', change: null }
  }
  if (user.source === 'ldap' && (name !== undefined || disabled !== undefined)) {
    return { kind: 'problem', message: `${user.email} comes from the directory: change their name or access there, and the next sync brings it here.` }
  }
  const finalRole = role ?? user.role
  const finalEnforcement = enforcement ?? user.enforcement
  if (finalRole === 'admin' && finalEnforcement === 'exempt') return { kind: 'problem', message: ALWAYS_ENFORCED }
  const demoting = user.role === 'admin' && role === 'user'
  const disabling = !user.disabled && disabled === true
  if (disabling && actor.userId === user.id) return { kind: 'problem', message: 'You cannot disable your own account. Ask another administrator.' }
  // The same test as a single change: only administrators who can sign in keep the directory administered.
  const countsAsAdmin = user.role === 'admin' && !user.disabled && !user.demo && (user.passwordHash !== null || user.source === 'ldap')
  if (countsAsAdmin && (demoting || disabling) && usersRepo.countActiveAdmins(db) <= 1) {
    return { kind: 'problem', message: `${user.email} is the last active administrator. Make another user an administrator first.` }
  }
  const changesAdminAccess = user.role === 'admin' && disabled !== undefined
  const takesEnforcementAway = isEnforced(user, policy) && !isEnforced({ ...user, role: finalRole, enforcement: finalEnforcement }, policy)
  if ((role !== undefined || changesAdminAccess || takesEnforcementAway) && !actor.recentlyAuthenticated) tally.reauthRequired = true
  if (role === 'admin') tally.newAdmins++

  const fields: ImportChange['fields'] = {}
  const details: Record<string, unknown> = {}
  if (name !== undefined) {
    fields.name = { from: user.name, to: name }
    details.name = name
  }
  if (role !== undefined) {
    fields.role = { from: user.role, to: role }
    details.role = role
  }
  if (disabled !== undefined) {
    fields.disabled = { from: user.disabled ? 'yes' : 'no', to: disabled ? 'yes' : 'no' }
    details.disabled = disabled
  }
  if (name !== undefined || role !== undefined || disabled !== undefined) usersRepo.updateProfile(db, user.id, { name, role, disabled }, now)
  if (enforcement !== undefined) {
    fields.enforcement = { from: user.enforcement, to: enforcement }
    details.enforcement = { from: user.enforcement, to: enforcement }
    usersRepo.setEnforcementOverride(db, user.id, enforcement, actor.label, now)
  }
  details.source = 'csv'
  appendAudit(db, now, { actor: actor.label, action: 'user.updated', target: user.email, details })
  tally.updated++
  return { kind: 'done', change: { line: row.line, email: user.email, kind: 'update', fields } }
}
