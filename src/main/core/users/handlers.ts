// Users: the directory as administrators see and change it. The last-admin
// rule lives here; a disabled or demoted user's sessions end at once, and a
// 2FA reset ends the sessions signed in with the lost device. A password an
// administrator sets may be generated here, and is then returned once.
import type { UserWithPassword, UsersApi } from '../../../shared/contract'
import type { UserDetails } from '../../../shared/domain'
import { AppError } from '../../../shared/errors'
import { writeTransaction } from '../../db/connection'
import * as totpRepo from '../../db/totp-repo'
import * as usersRepo from '../../db/users-repo'
import { appendAudit } from '../audit/chain'
import type { CoreContext } from '../context'
import { generateAcceptablePassword } from '../crypto/generated-password'
import { hashPassword, requireAcceptablePassword } from '../crypto/passwords'
import { readEnforcementPolicy } from '../enforcement/policy'
import { enforceNewUser } from '../enforcement/user-override'
import { requireAdmin, requireRecentAuthentication } from '../guards'
import type { HandlersFor } from '../handlers'
import { recordDistributionPoint } from '../history/recorder'
import { listUserPage } from '../listing/user-page'
import { ClientWork, countListedUsers, filterKey } from '../listing/search-count'
import type { Caller } from '../caller'
import { mustFindUser, toUserDetails, userRowMapper } from './user-views'

/** The typed password, judged by the rule, or one the app generates (the schema allows exactly one of the two). */
async function chosenPassword(input: { password?: string; generatePassword?: boolean }, person: { name?: string; email?: string }): Promise<{ password: string; generated: boolean }> {
  if (input.generatePassword === true) return { password: await generateAcceptablePassword(person), generated: true }
  const password = input.password ?? ''
  await requireAcceptablePassword(password, person)
  return { password, generated: false }
}

/** The answer, with a generated password once: the only place it is ever given out. */
function withPassword(user: UserDetails, generated: string | null): UserWithPassword {
  return generated === null ? user : { ...user, generatedPassword: generated }
}

function emailTaken(email: string): AppError {
  return new AppError('EMAIL_TAKEN', `A user with the email ${email} already exists.`, 'email')
}

/** Whose count a new request replaces: the client's session holder (a window, a tab), or the one command line. */
function clientOf(caller: Caller): object {
  return caller.kind === 'session' ? caller.holder : CLI_CLIENT
}
const CLI_CLIENT = {}

export function usersHandlers(ctx: CoreContext) {
  const work = new ClientWork()
  return {
    async listUsers(caller, input) {
      requireAdmin(ctx, caller)
      // A page of another list (a keystroke, a filter) makes the client's work for the last list moot.
      const { signal, done } = work.start(clientOf(caller), filterKey(input))
      let page
      try {
        page = await listUserPage(ctx, input, signal)
      } finally {
        done()
      }
      return {
        users: page.records.map(userRowMapper(ctx, page.policy)),
        nextCursor: page.nextCursor,
        start: page.start,
        total: page.total,
        countPending: page.countPending
      }
    },

    async countUsers(caller, input) {
      requireAdmin(ctx, caller)
      return { total: await work.count(clientOf(caller), filterKey(input), (signal) => countListedUsers(ctx, input, signal)) }
    },

    async getUser(caller, input) {
      requireAdmin(ctx, caller)
      return toUserDetails(ctx, mustFindUser(ctx, input.userId))
    },

    async createUser(caller, input) {
      const actor = requireAdmin(ctx, caller)
      // A new administrator holds every right at once: that needs the admin's recent password or code.
      if (input.role === 'admin') requireRecentAuthentication(ctx, actor)
      if (usersRepo.findUserByEmail(ctx.db, input.email)) throw emailTaken(input.email)
      const { password, generated } = await chosenPassword(input, input)
      const passwordHash = await hashPassword(password, ctx.passwordKdf)
      const now = ctx.clock.now()
      let enforced = false
      const id = writeTransaction(ctx.db, () => {
        if (usersRepo.findUserByEmail(ctx.db, input.email)) throw emailTaken(input.email)
        const userId = usersRepo.insertUser(ctx.db, { name: input.name, email: input.email, role: input.role, passwordHash, now })
        // The audit entry says a password was generated, never the password.
        appendAudit(ctx.db, now, { actor: actor.label, action: 'user.created', target: input.email, details: { role: input.role, ...(generated ? { passwordGenerated: true } : {}) } })
        // "Enforce 2FA activation" ticked in Add user: the checkbox's rule, in the same transaction.
        if (input.enforce === true) enforced = enforceNewUser(ctx, actor.label, mustFindUser(ctx, userId), readEnforcementPolicy(ctx.db), now)
        return userId
      })
      if (enforced) recordDistributionPoint(ctx, now)
      return withPassword(toUserDetails(ctx, mustFindUser(ctx, id)), generated ? password : null)
    },

    async updateUser(caller, input) {
      const actor = requireAdmin(ctx, caller)
      const now = ctx.clock.now()
      const before = mustFindUser(ctx, input.userId)
      const updated = writeTransaction(ctx.db, () => {
        const user = mustFindUser(ctx, input.userId)
        const changesRole = input.role !== undefined && input.role !== user.role
        const changesAdminAccess = user.role === 'admin' && input.disabled !== undefined && input.disabled !== user.disabled
        if (changesRole || changesAdminAccess) requireRecentAuthentication(ctx, actor)
        // The directory owns a directory user's name: a change here would be undone by the next sync.
        if (user.source === 'ldap' && input.name !== undefined && input.name !== user.name) {
          throw new AppError('VALIDATION', `${user.email} comes from the directory: change their name there, and the next sync brings it here.`, 'name')
        }
        const demoting = user.role === 'admin' && input.role === 'user'
        const disabling = !user.disabled && input.disabled === true
        if (disabling && actor.userId === user.id) {
          throw new AppError('FORBIDDEN', 'You cannot disable your own account. Ask another administrator.')
        }
        // Demo users and users without a password (of their own or their directory's) cannot sign in:
        // they never keep the directory administered.
        const countsAsAdmin = user.role === 'admin' && !user.disabled && !user.demo && (user.passwordHash !== null || user.source === 'ldap')
        if (countsAsAdmin && (demoting || disabling) && usersRepo.countActiveAdmins(ctx.db) <= 1) {
          throw new AppError('LAST_ADMIN', `${user.email} is the last active administrator. Make another user an administrator first.`)
        }
        const change: usersRepo.ProfileChange = {}
        const changed: Record<string, unknown> = {}
        if (input.name !== undefined && input.name !== user.name) change.name = changed.name = input.name
        if (input.role !== undefined && input.role !== user.role) change.role = changed.role = input.role
        if (input.disabled !== undefined && input.disabled !== user.disabled) change.disabled = changed.disabled = input.disabled
        if (Object.keys(changed).length === 0) return user
        usersRepo.updateProfile(ctx.db, user.id, change, now)
        appendAudit(ctx.db, now, { actor: actor.label, action: 'user.updated', target: user.email, details: changed })
        return mustFindUser(ctx, user.id)
      })
      // A disabled, demoted or promoted user's open sessions must not keep their old rights
      // (a new administrator signs in again, with 2FA: administrators are always enforced).
      // An administrator who demotes themselves keeps this session, as a user now: the guards read the role
      // on every call, so it has a user's rights at once, and the screen shows them without a sign-out.
      const ownSession = actor.userId === updated.id && !updated.disabled ? actor.session?.id : undefined
      if (updated.disabled || (input.role !== undefined && input.role !== before.role)) ctx.sessions.deleteForUser(updated.id, ownSession)
      return toUserDetails(ctx, updated)
    },

    async resetTwoFactor(caller, input) {
      const actor = requireAdmin(ctx, caller)
      const now = ctx.clock.now()
      const user = writeTransaction(ctx.db, () => {
        const target = mustFindUser(ctx, input.userId)
        if (target.id !== actor.userId) requireRecentAuthentication(ctx, actor)
        const hadCredential = totpRepo.deleteCredential(ctx.db, target.id)
        totpRepo.deleteRecoveryCodes(ctx.db, target.id)
        totpRepo.deleteEnrollment(ctx.db, target.id)
        appendAudit(ctx.db, now, { actor: actor.label, action: '2fa.reset', target: target.email, details: { hadCredential } })
        return target
      })
      // Sessions signed in with the lost device end now.
      if (actor.userId !== user.id) ctx.sessions.deleteForUser(user.id)
      return toUserDetails(ctx, mustFindUser(ctx, user.id))
    },

    async setUserPassword(caller, input) {
      const actor = requireAdmin(ctx, caller)
      // Whoever sets a password can sign in as that user (with their 2FA): confirm it is the administrator.
      requireRecentAuthentication(ctx, actor)
      const target = mustFindUser(ctx, input.userId)
      if (target.source === 'ldap') {
        throw new AppError('FORBIDDEN', `${target.email} signs in with their directory password. Change it in the directory.`, 'password')
      }
      if (target.demo) throw new AppError('FORBIDDEN', `${target.email} is a demo user: demo users never sign in.`, 'password')
      const { password, generated } = await chosenPassword(input, target)
      const passwordHash = await hashPassword(password, ctx.passwordKdf)
      const now = ctx.clock.now()
      writeTransaction(ctx.db, () => {
        const user = mustFindUser(ctx, input.userId)
        usersRepo.updatePasswordHash(ctx.db, user.id, passwordHash, now)
        appendAudit(ctx.db, now, {
          actor: actor.label,
          action: 'user.password-changed',
          target: user.email,
          details: { by: 'administrator', first: user.passwordHash === null, ...(generated ? { generated: true } : {}) }
        })
      })
      // Sessions signed in with the old password end (never the administrator's own, who is here).
      ctx.sessions.deleteForUser(target.id, actor.session?.id)
      return withPassword(toUserDetails(ctx, mustFindUser(ctx, target.id)), generated ? password : null)
    },

    async unlockUser(caller, input) {
      const actor = requireAdmin(ctx, caller)
      // An unlock gives a guesser ten more tries: confirm it is the administrator who asks.
      requireRecentAuthentication(ctx, actor)
      const now = ctx.clock.now()
      writeTransaction(ctx.db, () => {
        const user = mustFindUser(ctx, input.userId)
        usersRepo.clearFailedAttempts(ctx.db, user.id)
        appendAudit(ctx.db, now, { actor: actor.label, action: 'account.unlocked', target: user.email })
      })
      return toUserDetails(ctx, mustFindUser(ctx, input.userId))
    }
  } satisfies HandlersFor<UsersApi>
}
