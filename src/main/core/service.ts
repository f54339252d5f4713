// The application core: every 2FA rule, sign-in step and admin action, with
// authorization decided here from the caller, never by a screen.
import QRCode from 'qrcode'
import type {
  AppState,
  AuditPage,
  AuthStep,
  Distribution,
  Enforcement,
  EnrollmentDone,
  EnrollmentStart,
  Me,
  MyAccount,
  SecurityOverview,
  UserDetails,
  UserPage,
  UserRow
} from '../../shared/domain'
import { TWO_FACTOR_CLASSES } from '../../shared/domain'
import type { ApiInput } from '../../shared/contract'
import { AppError } from '../../shared/errors'
import { writeTransaction, type Database } from '../db/connection'
import { listAuditEntries } from '../db/audit-repo'
import { readMeta, writeMeta } from '../db/meta-repo'
import { readPolicy, writePolicy } from '../db/policy-repo'
import * as totpRepo from '../db/totp-repo'
import * as usersRepo from '../db/users-repo'
import type { UserRecord } from '../db/users-repo'
import { appendAudit, toAuditEntry, verifyAuditChain, type AuditEvent } from './audit'
import type { Caller } from './caller'
import type { Clock } from './clock'
import type { ServiceHandlers } from './dispatch'
import { enforcementSource, isEnforced, overrideForCheckbox, statusOfClass, twoFactorStatus } from './enforcement'
import type { KeyProvider } from './keys'
import { hashPassword, needsRehash, OWASP_SCRYPT, verifyPassword, type ScryptParams } from './passwords'
import { IDLE_TIMEOUT_MS, PhantomThrottle, reauthWindow, SessionStore, type Session, type SessionStage } from './sessions'
import {
  decryptSecret,
  encryptSecret,
  hashRecoveryCode,
  keyCheckValue,
  newRecoveryCode,
  RECOVERY_CODE_COUNT
} from './secrets'
import { base32Encode, checkTotp, DEFAULT_TOTP, groupsOfFour, ISSUER, newSecret, otpauthUri } from './totp'
import { JumpSignposts } from './jump-signposts'
import { jumpRanges, listUserRecords, type ListRequest } from './user-listing'
import { seedDemoDirectory, type SeedDemoResult } from './demo-seed'

export const LOCK_THRESHOLD = 10
export const LOCK_DURATION_MS = 10 * 60 * 1000
export const ENROLLMENT_TTL_MS = 10 * 60 * 1000
export const DEFAULT_PAGE_SIZE = 50

export interface ServiceOptions {
  db: Database
  keyProvider: KeyProvider
  clock: Clock
  passwordKdf?: ScryptParams
  /** Shortens (never lengthens) the 5-minute re-authentication window; see reauthWindow(). */
  reauthWindowMs?: number
  /** How this installation protects its data falls short (no OS keychain): shown to administrators. */
  warnings?: readonly string[]
}

/** The acting party of an admin operation, as written to the audit log. */
interface Actor {
  label: string
  userId: number | null
  /** The screen's session; null for the command line, which acts as the local administrator. */
  session: Session | null
}

const MESSAGES = {
  invalidCredentials: 'The email or password is not correct. Check both and try again.',
  locked:
    'Too many failed attempts: sign-in is locked for 10 minutes. Try again later, or ask an administrator to unlock the account.',
  invalidCode: 'That code is not correct. Enter the current code from your authenticator app.',
  replayed: 'That code was already used. Wait for the next code in your authenticator app and enter it.',
  unauthenticated: 'You are not signed in. Log in to continue.',
  expired: 'You were signed out after 15 minutes of inactivity. Log in again.',
  adminsOnly: 'Only administrators can do this.',
  enforcedByAdmin: '2FA is enforced for your account by an administrator, so you cannot deactivate it.',
  reauthRequired:
    "Confirm it's you: this change needs your password or an authentication code entered within the last 5 minutes. Enter one, then try again."
} as const

export class AdminService {
  private readonly db: Database
  private readonly keys: KeyProvider
  private readonly clock: Clock
  private readonly kdf: ScryptParams
  private readonly reauthWindowMs: number
  private readonly warnings: readonly string[]
  private readonly sessions = new SessionStore()
  private readonly phantoms = new PhantomThrottle()
  private dummyHash: Promise<string> | null = null
  private keyChecked = false
  /** Where the Users table can jump to any row; built on the first jump, rebuilt after writes. */
  readonly signposts = new JumpSignposts()

  constructor(options: ServiceOptions) {
    this.db = options.db
    this.keys = options.keyProvider
    this.clock = options.clock
    this.kdf = options.passwordKdf ?? OWASP_SCRYPT
    this.reauthWindowMs = reauthWindow(options.reauthWindowMs)
    this.warnings = [...(options.warnings ?? [])]
  }

  dispose(): void {
    this.sessions.clear()
    this.signposts.clear()
  }

  /** The contract's methods bound to this service, for the dispatcher. */
  handlers(): ServiceHandlers {
    return {
      getAppState: (caller) => this.getAppState(caller),
      setupFirstAdmin: (caller, input) => this.setupFirstAdmin(caller, input as never),
      login: (caller, input) => this.login(caller, input as never),
      verifyCode: (caller, input) => this.verifyCode(caller, input as never),
      verifyRecoveryCode: (caller, input) => this.verifyRecoveryCode(caller, input as never),
      logout: (caller) => this.logout(caller),
      reauthenticate: (caller, input) => this.reauthenticate(caller, input as never),
      startEnrollment: (caller) => this.startEnrollment(caller),
      confirmEnrollment: (caller, input) => this.confirmEnrollment(caller, input as never),
      getMyAccount: (caller) => this.getMyAccount(caller),
      deactivateMyTwoFactor: (caller, input) => this.deactivateMyTwoFactor(caller, input as never),
      regenerateRecoveryCodes: (caller, input) => this.regenerateRecoveryCodes(caller, input as never),
      changePassword: (caller, input) => this.changePassword(caller, input as never),
      listUsers: (caller, input) => this.listUsers(caller, input as never),
      getUser: (caller, input) => this.getUser(caller, input as never),
      createUser: (caller, input) => this.createUser(caller, input as never),
      updateUser: (caller, input) => this.updateUser(caller, input as never),
      setEnforce2faActivation: (caller, input) => this.setEnforce2faActivation(caller, input as never),
      setEnforcement: (caller, input) => this.setEnforcement(caller, input as never),
      resetTwoFactor: (caller, input) => this.resetTwoFactor(caller, input as never),
      unlockUser: (caller, input) => this.unlockUser(caller, input as never),
      getSecurityOverview: (caller) => this.getSecurityOverview(caller),
      enforceForAllUsers: (caller) => this.enforceForAllUsers(caller),
      revokeEnforcement: (caller) => this.revokeEnforcement(caller),
      listAudit: (caller, input) => this.listAudit(caller, input as never)
    }
  }

  // ---------------------------------------------------------------- sign-in

  async getAppState(caller: Caller): Promise<AppState> {
    const needsSetup = !usersRepo.hasAnyUser(this.db)
    let session: AuthStep | null = null
    let isAdmin = false
    if (caller.kind === 'session') {
      const found = this.sessions.lookup(caller.holder.sessionId, this.clock.now())
      if (found.kind === 'ok') {
        const user = usersRepo.findUserById(this.db, found.session.userId)
        if (user && !user.disabled) {
          session = this.authStep(found.session.stage, user)
          isAdmin = session.step === 'signed-in' && user.role === 'admin'
        } else this.endSession(caller)
      } else {
        caller.holder.sessionId = null
      }
    }
    const state: AppState = { needsSetup, session, idleTimeoutMinutes: IDLE_TIMEOUT_MS / 60_000 }
    // How the installation is protected is the administrators' business, not every visitor's.
    if (isAdmin && this.warnings.length > 0) state.warnings = [...this.warnings]
    return state
  }

  async setupFirstAdmin(caller: Caller, input: ApiInput<'setupFirstAdmin'>): Promise<AuthStep> {
    const holder = this.requireScreen(caller)
    if (usersRepo.hasAnyUser(this.db)) throw this.alreadySetUp()
    const passwordHash = await hashPassword(input.password, this.kdf)
    const now = this.clock.now()
    const userId = writeTransaction(this.db, () => {
      // Checked again inside the transaction: two first-run forms may race.
      if (usersRepo.hasAnyUser(this.db)) throw this.alreadySetUp()
      const id = usersRepo.insertUser(this.db, { name: input.name, email: input.email, role: 'admin', passwordHash, now })
      appendAudit(this.db, now, { actor: input.email, action: 'setup.first-admin', target: input.email })
      return id
    })
    const user = this.mustFindUser(userId)
    holder.sessionId = this.sessions.create(userId, 'enrollment', now).id
    return this.authStep('enrollment', user)
  }

  async login(caller: Caller, input: ApiInput<'login'>): Promise<AuthStep> {
    const holder = this.requireScreen(caller)
    this.endSession(caller)
    const email = input.email
    let user = usersRepo.findUserByEmail(this.db, email)
    let now = this.clock.now()

    if (!user || user.passwordHash === null) {
      // Spend the same time as a real check so timing does not reveal which emails exist.
      await verifyPassword(input.password, await this.timingDummyHash())
      now = this.clock.now()
      if (this.phantoms.isLocked(email, now)) throw new AppError('ACCOUNT_LOCKED', MESSAGES.locked)
      const locked = this.phantoms.fail(email, now, LOCK_THRESHOLD, LOCK_DURATION_MS)
      this.audit(now, { actor: email, action: 'login.failure', target: email, details: { reason: 'invalid-credentials' } })
      throw new AppError(locked ? 'ACCOUNT_LOCKED' : 'INVALID_CREDENTIALS', locked ? MESSAGES.locked : MESSAGES.invalidCredentials)
    }

    const passwordHash = user.passwordHash
    user = this.expireLock(user, now)
    if (this.isLocked(user, now)) {
      this.audit(now, { actor: email, action: 'login.locked', target: email })
      throw new AppError('ACCOUNT_LOCKED', MESSAGES.locked)
    }

    const passwordOk = await verifyPassword(input.password, passwordHash)
    now = this.clock.now()
    if (!passwordOk) {
      this.failAttempt(user, now, 'password')
      // failAttempt threw if this failure locked the account.
      throw new AppError('INVALID_CREDENTIALS', MESSAGES.invalidCredentials)
    }
    if (user.disabled) {
      this.audit(now, { actor: email, action: 'login.failure', target: email, details: { reason: 'disabled' } })
      throw new AppError('FORBIDDEN', 'This account is disabled. Ask an administrator to enable it.')
    }
    if (needsRehash(passwordHash, this.kdf)) {
      const upgraded = await hashPassword(input.password, this.kdf)
      writeTransaction(this.db, () => usersRepo.updatePasswordHash(this.db, user!.id, upgraded, now))
    }

    const policy = readPolicy(this.db)
    let stage: SessionStage
    if (user.activeSince !== null) stage = 'second-factor'
    else if (isEnforced(user, policy.enforcedForAll)) stage = 'enrollment'
    else stage = 'signed-in'

    if (stage === 'signed-in') {
      // Without 2FA the password completes the sign-in; with 2FA the counter keeps
      // running until the second factor succeeds, so re-entering the password
      // cannot buy unlimited code guesses.
      writeTransaction(this.db, () => {
        usersRepo.clearFailedAttempts(this.db, user!.id)
        appendAudit(this.db, now, { actor: email, action: 'login.success', target: email, details: { secondFactor: false } })
      })
    }
    holder.sessionId = this.sessions.create(user.id, stage, now).id
    return this.authStep(stage, user)
  }

  async verifyCode(caller: Caller, input: ApiInput<'verifyCode'>): Promise<AuthStep> {
    const { session, user } = this.requireSession(caller, ['second-factor'])
    this.verifyTotpOrFail(user, input.code, 'login', () => {
      usersRepo.recordSecondFactorLogin(this.db, user.id, this.clock.now())
    })
    this.sessions.setStage(session.id, 'signed-in')
    this.sessions.markAuthenticated(session.id, this.clock.now())
    return this.authStep('signed-in', this.mustFindUser(user.id))
  }

  async verifyRecoveryCode(caller: Caller, input: ApiInput<'verifyRecoveryCode'>): Promise<AuthStep> {
    const { session, user } = this.requireSession(caller, ['second-factor'])
    const now = this.clock.now()
    this.assertNotLocked(user, now)
    const hash = hashRecoveryCode(this.dataKey(), user.id, input.code)
    const used = writeTransaction(this.db, () => {
      if (!totpRepo.consumeRecoveryCode(this.db, user.id, hash, now)) return false
      usersRepo.recordSecondFactorLogin(this.db, user.id, now)
      appendAudit(this.db, now, {
        actor: user.email,
        action: 'login.recovery-code-used',
        target: user.email,
        details: { remaining: totpRepo.countUnusedRecoveryCodes(this.db, user.id) }
      })
      return true
    })
    if (!used) {
      this.failAttempt(user, now, 'recovery-code')
      throw new AppError('INVALID_CODE', 'That recovery code is not valid or was already used. Each code works once.')
    }
    this.sessions.setStage(session.id, 'signed-in')
    this.sessions.markAuthenticated(session.id, now)
    return this.authStep('signed-in', this.mustFindUser(user.id))
  }

  async logout(caller: Caller): Promise<null> {
    if (caller.kind !== 'session') return null
    const found = this.sessions.lookup(caller.holder.sessionId, this.clock.now())
    if (found.kind === 'ok') {
      const user = usersRepo.findUserById(this.db, found.session.userId)
      if (user) this.audit(this.clock.now(), { actor: user.email, action: 'logout', target: user.email })
    }
    this.endSession(caller)
    return null
  }

  /**
   * Confirms the signed-in person's identity again, with their password or a
   * TOTP code, for the sensitive admin actions. Failures count toward the same
   * lockout as sign-in, a used time step is refused as at sign-in, and both
   * outcomes are audited.
   */
  async reauthenticate(caller: Caller, input: ApiInput<'reauthenticate'>): Promise<null> {
    const { session, user: found } = this.requireSession(caller, ['signed-in'])
    let now = this.clock.now()
    const user = this.expireLock(found, now)
    if (this.isLocked(user, now)) {
      // Locked meanwhile (by failures in another process): this session goes too, as a lock here would end it.
      this.endSession(caller)
      throw new AppError('ACCOUNT_LOCKED', MESSAGES.locked)
    }
    const method = input.password !== undefined ? 'password' : 'totp'
    const succeeded = (): void => {
      // The session already passed both factors: success ends a run of typos, as a completed sign-in does.
      usersRepo.clearFailedAttempts(this.db, user.id)
      appendAudit(this.db, this.clock.now(), { actor: user.email, action: 'session.reauthenticated', target: user.email, details: { method } })
    }
    if (input.password !== undefined) {
      const ok = user.passwordHash !== null && (await verifyPassword(input.password, user.passwordHash))
      now = this.clock.now()
      if (!ok) {
        this.failAttempt(user, now, 'reauth-password')
        throw new AppError('INVALID_CREDENTIALS', 'That password is not correct.', 'password')
      }
      writeTransaction(this.db, succeeded)
    } else {
      this.verifyTotpOrFail(user, input.code ?? '', 'reauth', succeeded)
    }
    this.sessions.markAuthenticated(session.id, this.clock.now())
    return null
  }

  // ------------------------------------------------------------ own account

  async startEnrollment(caller: Caller): Promise<EnrollmentStart> {
    const { user } = this.requireSession(caller, ['enrollment', 'signed-in'])
    if (user.activeSince !== null) throw new AppError('ALREADY_ACTIVE', '2FA is already active for your account.')
    const now = this.clock.now()
    const secret = newSecret()
    const config = DEFAULT_TOTP
    const key = this.dataKey()
    writeTransaction(this.db, () => {
      // Checked again inside the transaction: another process may have activated 2FA for this person meanwhile.
      if (totpRepo.findCredential(this.db, user.id)) throw new AppError('ALREADY_ACTIVE', '2FA is already active for your account.')
      totpRepo.deleteExpiredEnrollments(this.db, now)
      totpRepo.upsertEnrollment(this.db, {
        userId: user.id,
        secretEnc: encryptSecret(key, user.id, secret),
        ...config,
        createdAt: now,
        expiresAt: now + ENROLLMENT_TTL_MS
      })
    })
    const uri = otpauthUri(secret, user.email, config)
    return {
      qrDataUrl: await QRCode.toDataURL(uri, { errorCorrectionLevel: 'M', margin: 2, width: 240 }),
      otpauthUri: uri,
      secretGroups: groupsOfFour(base32Encode(secret)),
      issuer: ISSUER,
      accountName: user.email,
      ...config,
      expiresAt: now + ENROLLMENT_TTL_MS
    }
  }

  async confirmEnrollment(caller: Caller, input: ApiInput<'confirmEnrollment'>): Promise<EnrollmentDone> {
    const { session, user } = this.requireSession(caller, ['enrollment', 'signed-in'])
    if (user.activeSince !== null) throw new AppError('ALREADY_ACTIVE', '2FA is already active for your account.')
    const now = this.clock.now()
    const enrollment = totpRepo.findEnrollment(this.db, user.id)
    if (!enrollment || enrollment.expiresAt <= now) {
      throw new AppError('ENROLLMENT_EXPIRED', 'The QR code expired after 10 minutes. Start again to get a new one.')
    }
    const key = this.dataKey()
    const secret = decryptSecret(key, user.id, enrollment.secretEnc)
    const check = checkTotp(secret, input.code, now, enrollment, null)
    if (!check.valid) throw new AppError('INVALID_CODE', MESSAGES.invalidCode)

    const codes = Array.from({ length: RECOVERY_CODE_COUNT }, () => newRecoveryCode())
    const completesSignIn = session.stage === 'enrollment'
    writeTransaction(this.db, () => {
      // Checked again inside the transaction: another window or process may have
      // confirmed, or started over, this person's enrollment since it was read.
      if (totpRepo.findCredential(this.db, user.id)) throw new AppError('ALREADY_ACTIVE', '2FA is already active for your account.')
      const current = totpRepo.findEnrollment(this.db, user.id)
      if (!current || !current.secretEnc.equals(enrollment.secretEnc)) {
        throw new AppError('ENROLLMENT_EXPIRED', 'This QR code was replaced or used elsewhere. Start again to get a new one.')
      }
      totpRepo.insertCredential(this.db, {
        userId: user.id,
        secretEnc: enrollment.secretEnc,
        algorithm: enrollment.algorithm,
        digits: enrollment.digits,
        period: enrollment.period,
        confirmedAt: now,
        // The confirming code's step counts as used: it cannot sign in a second time.
        lastUsedStep: check.step
      })
      totpRepo.deleteEnrollment(this.db, user.id)
      totpRepo.replaceRecoveryCodes(
        this.db,
        user.id,
        codes.map((code) => hashRecoveryCode(key, user.id, code))
      )
      if (completesSignIn) usersRepo.recordSecondFactorLogin(this.db, user.id, now)
      appendAudit(this.db, now, { actor: user.email, action: '2fa.enrolled', target: user.email })
      if (completesSignIn) {
        appendAudit(this.db, now, { actor: user.email, action: 'login.success', target: user.email, details: { secondFactor: true, enrolled: true } })
      }
    })
    this.sessions.setStage(session.id, 'signed-in')
    this.sessions.markAuthenticated(session.id, now)
    return { recoveryCodes: codes, session: this.authStep('signed-in', this.mustFindUser(user.id)) }
  }

  async getMyAccount(caller: Caller): Promise<MyAccount> {
    const { user } = this.requireSession(caller, ['signed-in'])
    return this.myAccount(user)
  }

  async deactivateMyTwoFactor(caller: Caller, input: ApiInput<'deactivateMyTwoFactor'>): Promise<MyAccount> {
    const { user } = this.requireSession(caller, ['signed-in'])
    if (user.activeSince === null) throw new AppError('NOT_ACTIVE', '2FA is not active for your account.')
    if (isEnforced(user, readPolicy(this.db).enforcedForAll)) throw new AppError('ENFORCED_BY_ADMIN', MESSAGES.enforcedByAdmin)
    this.verifyTotpOrFail(user, input.code, 'confirm', () => {
      // Checked again in the transaction: an admin may have enforced 2FA meanwhile.
      const fresh = this.mustFindUser(user.id)
      if (isEnforced(fresh, readPolicy(this.db).enforcedForAll)) throw new AppError('ENFORCED_BY_ADMIN', MESSAGES.enforcedByAdmin)
      totpRepo.deleteCredential(this.db, user.id)
      totpRepo.deleteRecoveryCodes(this.db, user.id)
      appendAudit(this.db, this.clock.now(), { actor: user.email, action: '2fa.deactivated', target: user.email })
    })
    return this.myAccount(this.mustFindUser(user.id))
  }

  async regenerateRecoveryCodes(caller: Caller, input: ApiInput<'regenerateRecoveryCodes'>): Promise<{ recoveryCodes: string[] }> {
    const { user } = this.requireSession(caller, ['signed-in'])
    if (user.activeSince === null) throw new AppError('NOT_ACTIVE', 'Activate 2FA first: recovery codes belong to an active authenticator.')
    const key = this.dataKey()
    const codes = Array.from({ length: RECOVERY_CODE_COUNT }, () => newRecoveryCode())
    this.verifyTotpOrFail(user, input.code, 'confirm', () => {
      totpRepo.replaceRecoveryCodes(
        this.db,
        user.id,
        codes.map((code) => hashRecoveryCode(key, user.id, code))
      )
      appendAudit(this.db, this.clock.now(), { actor: user.email, action: '2fa.recovery-codes-regenerated', target: user.email })
    })
    return { recoveryCodes: codes }
  }

  async changePassword(caller: Caller, input: ApiInput<'changePassword'>): Promise<null> {
    const { user } = this.requireSession(caller, ['signed-in'])
    const ok = user.passwordHash !== null && (await verifyPassword(input.currentPassword, user.passwordHash))
    const now = this.clock.now()
    if (!ok) {
      this.failAttempt(user, now, 'password')
      throw new AppError('INVALID_CREDENTIALS', 'The current password is not correct.', 'currentPassword')
    }
    const hash = await hashPassword(input.newPassword, this.kdf)
    writeTransaction(this.db, () => {
      usersRepo.updatePasswordHash(this.db, user.id, hash, now)
      usersRepo.clearFailedAttempts(this.db, user.id)
      appendAudit(this.db, now, { actor: user.email, action: 'user.password-changed', target: user.email })
    })
    return null
  }

  // ---------------------------------------------------------- administration

  async listUsers(caller: Caller, input: ApiInput<'listUsers'>): Promise<UserPage> {
    this.requireAdmin(caller)
    let { enforcedForAll } = readPolicy(this.db)
    const request = (): ListRequest => ({
      sort: input.sort ?? 'name',
      direction: input.direction ?? 'asc',
      limit: input.limit ?? DEFAULT_PAGE_SIZE,
      enforcedForAll,
      ...(input.status ? { status: input.status } : {}),
      ...(input.query !== undefined ? { query: input.query } : {}),
      ...(input.cursor !== undefined ? { cursor: input.cursor } : {}),
      ...(input.position !== undefined ? { position: input.position } : {})
    })
    const ranges = jumpRanges(request())
    if (ranges.length > 0) {
      // The first jump into a range waits for its signposts, built in slices that leave the event loop free.
      await this.signposts.ready(this.db, ranges)
      // The policy may have changed while waiting; it decides which classes a status holds.
      enforcedForAll = readPolicy(this.db).enforcedForAll
    }
    const result = listUserRecords(this.db, request(), this.signposts)
    const now = this.clock.now()
    return {
      users: result.records.map((user) => this.userRow(user, enforcedForAll, now)),
      nextCursor: result.nextCursor,
      ...(result.start !== undefined ? { start: result.start } : {}),
      total: result.total,
      ...(result.totalCapped ? { totalCapped: true } : {})
    }
  }

  async getUser(caller: Caller, input: ApiInput<'getUser'>): Promise<UserDetails> {
    this.requireAdmin(caller)
    return this.userDetails(this.mustFindUser(input.userId))
  }

  /** For the CLI, which names users by email. */
  async findUserIdByEmail(caller: Caller, email: string): Promise<number> {
    this.requireAdmin(caller)
    const user = usersRepo.findUserByEmail(this.db, email.trim().toLowerCase())
    if (!user) throw new AppError('NOT_FOUND', `No user with the email ${email}.`)
    return user.id
  }

  async createUser(caller: Caller, input: ApiInput<'createUser'>): Promise<UserDetails> {
    const actor = this.requireAdmin(caller)
    if (usersRepo.findUserByEmail(this.db, input.email)) throw this.emailTaken(input.email)
    const passwordHash = await hashPassword(input.password, this.kdf)
    const now = this.clock.now()
    const id = writeTransaction(this.db, () => {
      if (usersRepo.findUserByEmail(this.db, input.email)) throw this.emailTaken(input.email)
      const userId = usersRepo.insertUser(this.db, { name: input.name, email: input.email, role: input.role, passwordHash, now })
      appendAudit(this.db, now, { actor: actor.label, action: 'user.created', target: input.email, details: { role: input.role } })
      return userId
    })
    return this.userDetails(this.mustFindUser(id))
  }

  async updateUser(caller: Caller, input: ApiInput<'updateUser'>): Promise<UserDetails> {
    const actor = this.requireAdmin(caller)
    const now = this.clock.now()
    const updated = writeTransaction(this.db, () => {
      const user = this.mustFindUser(input.userId)
      if (input.role !== undefined && input.role !== user.role) this.requireRecentAuthentication(actor)
      const demoting = user.role === 'admin' && input.role === 'user'
      const disabling = !user.disabled && input.disabled === true
      if (disabling && actor.userId === user.id) {
        throw new AppError('FORBIDDEN', 'You cannot disable your own account. Ask another administrator.')
      }
      if (user.role === 'admin' && !user.disabled && (demoting || disabling) && usersRepo.countActiveAdmins(this.db) <= 1) {
        throw new AppError('LAST_ADMIN', `${user.email} is the last active administrator. Make another user an administrator first.`)
      }
      const change: usersRepo.ProfileChange = {}
      const changed: Record<string, unknown> = {}
      if (input.name !== undefined && input.name !== user.name) change.name = changed.name = input.name
      if (input.role !== undefined && input.role !== user.role) change.role = changed.role = input.role
      if (input.disabled !== undefined && input.disabled !== user.disabled) change.disabled = changed.disabled = input.disabled
      if (Object.keys(changed).length === 0) return user
      usersRepo.updateProfile(this.db, user.id, change, now)
      appendAudit(this.db, now, { actor: actor.label, action: 'user.updated', target: user.email, details: changed })
      return this.mustFindUser(user.id)
    })
    // A disabled or demoted user's open sessions must not keep their old rights.
    if (updated.disabled || input.role === 'user') this.sessions.deleteForUser(updated.id)
    return this.userDetails(updated)
  }

  async setEnforce2faActivation(caller: Caller, input: ApiInput<'setEnforce2faActivation'>): Promise<UserDetails> {
    const actor = this.requireAdmin(caller)
    return this.changeEnforcement(actor, input.userId, (user, enforcedForAll) => {
      if (user.role === 'admin' && !input.enforce) throw this.adminAlwaysEnforced(user)
      return overrideForCheckbox(user, enforcedForAll, input.enforce)
    })
  }

  async setEnforcement(caller: Caller, input: ApiInput<'setEnforcement'>): Promise<UserDetails> {
    const actor = this.requireAdmin(caller)
    return this.changeEnforcement(actor, input.userId, (user) => {
      if (user.role === 'admin' && input.enforcement === 'exempt') throw this.adminAlwaysEnforced(user)
      return input.enforcement as Enforcement
    })
  }

  async resetTwoFactor(caller: Caller, input: ApiInput<'resetTwoFactor'>): Promise<UserDetails> {
    const actor = this.requireAdmin(caller)
    const now = this.clock.now()
    const user = writeTransaction(this.db, () => {
      const target = this.mustFindUser(input.userId)
      if (target.id !== actor.userId) this.requireRecentAuthentication(actor)
      const hadCredential = totpRepo.deleteCredential(this.db, target.id)
      totpRepo.deleteRecoveryCodes(this.db, target.id)
      totpRepo.deleteEnrollment(this.db, target.id)
      appendAudit(this.db, now, { actor: actor.label, action: '2fa.reset', target: target.email, details: { hadCredential } })
      return target
    })
    // Sessions signed in with the lost device end now.
    if (actor.userId !== user.id) this.sessions.deleteForUser(user.id)
    return this.userDetails(this.mustFindUser(user.id))
  }

  async unlockUser(caller: Caller, input: ApiInput<'unlockUser'>): Promise<UserDetails> {
    const actor = this.requireAdmin(caller)
    const now = this.clock.now()
    writeTransaction(this.db, () => {
      const user = this.mustFindUser(input.userId)
      usersRepo.clearFailedAttempts(this.db, user.id)
      appendAudit(this.db, now, { actor: actor.label, action: 'account.unlocked', target: user.email })
    })
    return this.userDetails(this.mustFindUser(input.userId))
  }

  async getSecurityOverview(caller: Caller): Promise<SecurityOverview> {
    this.requireAdmin(caller)
    return this.securityOverview()
  }

  async enforceForAllUsers(caller: Caller): Promise<SecurityOverview> {
    const actor = this.requireAdmin(caller)
    this.requireRecentAuthentication(actor)
    return this.setPolicy(actor, true)
  }

  async revokeEnforcement(caller: Caller): Promise<SecurityOverview> {
    const actor = this.requireAdmin(caller)
    this.requireRecentAuthentication(actor)
    return this.setPolicy(actor, false)
  }

  async listAudit(caller: Caller, input: ApiInput<'listAudit'>): Promise<AuditPage> {
    this.requireAdmin(caller)
    const limit = input.limit ?? DEFAULT_PAGE_SIZE
    const records = listAuditEntries(this.db, {
      limit: limit + 1,
      ...(input.user ? { user: input.user.trim() } : {}),
      ...(input.action ? { action: input.action } : {}),
      ...(input.before ? { before: input.before } : {})
    })
    const page = records.slice(0, limit)
    const last = page[page.length - 1]
    return {
      entries: page.map(toAuditEntry),
      nextCursor: records.length > limit && last ? last.id : null,
      chain: verifyAuditChain(this.db)
    }
  }

  /**
   * For the CLI's `seed-demo`: fills the directory with generated demo users in
   * one transaction. Not part of the screens' contract: a million-row load
   * belongs to a command run on purpose, not to a click.
   */
  async seedDemoDirectory(caller: Caller, options: { users: number; seed: number; force: boolean }): Promise<SeedDemoResult> {
    const actor = this.requireAdmin(caller)
    this.requireRecentAuthentication(actor)
    return seedDemoDirectory(this.db, this.dataKey(), { ...options, now: this.clock.now(), actor: actor.label })
  }

  /** For the CLI's `audit --verify`. */
  async verifyAudit(caller: Caller): Promise<ReturnType<typeof verifyAuditChain>> {
    this.requireAdmin(caller)
    return verifyAuditChain(this.db)
  }

  // ------------------------------------------------------------- internals

  private setPolicy(actor: Actor, enforce: boolean): SecurityOverview {
    const now = this.clock.now()
    writeTransaction(this.db, () => {
      if (readPolicy(this.db).enforcedForAll === enforce) return
      // One row: the click costs the same at 10 users as at a million. Statuses are derived.
      writePolicy(this.db, enforce, actor.label, now)
      appendAudit(this.db, now, { actor: actor.label, action: enforce ? 'enforcement.all-enforced' : 'enforcement.all-revoked' })
    })
    return this.securityOverview()
  }

  private securityOverview(): SecurityOverview {
    const policy = readPolicy(this.db)
    // Four rows kept exact by triggers: the same cost at 10 users as at a million.
    const counts = usersRepo.readClassCounts(this.db)
    const distribution: Distribution = { total: 0, active: 0, pending: 0, inactive: 0 }
    for (const twoFactor of TWO_FACTOR_CLASSES) {
      distribution[statusOfClass(twoFactor, policy.enforcedForAll)] += counts[twoFactor]
      distribution.total += counts[twoFactor]
    }
    // Only users who follow the policy without an active credential change status with it.
    const inheriting = counts.inherit
    return {
      distribution,
      enforcedForAll: policy.enforcedForAll,
      enforcedSince: policy.enforcedForAll ? policy.changedAt : null,
      enforcedBy: policy.enforcedForAll ? policy.changedBy : null,
      wouldBecomePending: policy.enforcedForAll ? 0 : inheriting,
      wouldBecomeInactive: policy.enforcedForAll ? inheriting : 0
    }
  }

  private changeEnforcement(actor: Actor, userId: number, decide: (user: UserRecord, enforcedForAll: boolean) => Enforcement): UserDetails {
    const now = this.clock.now()
    const user = writeTransaction(this.db, () => {
      const target = this.mustFindUser(userId)
      const enforcedForAll = readPolicy(this.db).enforcedForAll
      const next = decide(target, enforcedForAll)
      if (next === target.enforcement) return target
      // Only the override changes: credentials and recovery codes are never touched here.
      usersRepo.setEnforcementOverride(this.db, target.id, next, actor.label, now)
      appendAudit(this.db, now, {
        actor: actor.label,
        action: 'enforcement.user-changed',
        target: target.email,
        details: { from: target.enforcement, to: next, enforced: isEnforced({ role: target.role, enforcement: next }, enforcedForAll) }
      })
      return this.mustFindUser(target.id)
    })
    return this.userDetails(user)
  }

  /**
   * Verifies a TOTP code for the signed-in (or signing-in) user; on success runs
   * `onSuccess` in the same transaction that records the used time step, so a
   * code can be accepted only once even by two processes at the same moment.
   */
  private verifyTotpOrFail(user: UserRecord, code: string, purpose: 'login' | 'confirm' | 'reauth', onSuccess: () => void): void {
    const now = this.clock.now()
    this.assertNotLocked(user, now)
    const credential = totpRepo.findCredential(this.db, user.id)
    if (!credential) throw new AppError('NOT_ACTIVE', '2FA is not active for this account.')
    const secret = decryptSecret(this.dataKey(), user.id, credential.secretEnc)
    const check = checkTotp(secret, code, now, credential, credential.lastUsedStep)
    secret.fill(0)
    let outcome: 'ok' | 'replay' | 'invalid' = check.valid ? 'ok' : check.replay ? 'replay' : 'invalid'
    if (check.valid) {
      outcome = writeTransaction(this.db, () => {
        if (!totpRepo.advanceLastUsedStep(this.db, user.id, check.step)) return 'replay'
        onSuccess()
        if (purpose === 'login') {
          appendAudit(this.db, now, { actor: user.email, action: 'login.success', target: user.email, details: { secondFactor: true } })
        }
        return 'ok'
      })
    }
    if (outcome === 'ok') return
    if (outcome === 'replay') {
      this.audit(now, { actor: user.email, action: 'login.replay-rejected', target: user.email, ...(purpose === 'reauth' ? { details: { reauthentication: true } } : {}) })
      this.failAttempt(user, now, purpose === 'reauth' ? 'reauth-totp-replay' : 'totp-replay', false)
      throw new AppError('CODE_REPLAYED', MESSAGES.replayed)
    }
    this.failAttempt(user, now, purpose === 'reauth' ? 'reauth-totp' : 'totp')
    throw new AppError('INVALID_CODE', MESSAGES.invalidCode)
  }

  /** Counts a failed attempt; throws ACCOUNT_LOCKED (and ends the user's sessions) when this one locks the account. */
  private failAttempt(user: UserRecord, now: number, kind: FailureKind, audit = true): void {
    const result = writeTransaction(this.db, () => {
      const counted = usersRepo.recordFailedAttempt(this.db, user.id, LOCK_THRESHOLD, now + LOCK_DURATION_MS)
      if (audit) {
        appendAudit(this.db, now, {
          actor: user.email,
          action: kind === 'password' || kind === 'reauth-password' ? 'login.failure' : 'login.second-factor-failure',
          target: user.email,
          details: { kind, failedAttempts: counted.failedAttempts }
        })
      }
      if (counted.locked) {
        appendAudit(this.db, now, { actor: user.email, action: 'account.locked', target: user.email, details: { until: now + LOCK_DURATION_MS } })
      }
      return counted
    })
    if (result.locked) {
      this.sessions.deleteForUser(user.id)
      throw new AppError('ACCOUNT_LOCKED', MESSAGES.locked)
    }
  }

  private isLocked(user: UserRecord, now: number): boolean {
    return user.lockedUntil !== null && user.lockedUntil > now
  }

  private assertNotLocked(user: UserRecord, now: number): void {
    if (this.isLocked(user, now)) throw new AppError('ACCOUNT_LOCKED', MESSAGES.locked)
  }

  /** After a lock runs out the count starts again, rather than relocking on the next typo. */
  private expireLock(user: UserRecord, now: number): UserRecord {
    if (user.lockedUntil === null || user.lockedUntil > now) return user
    writeTransaction(this.db, () => usersRepo.clearFailedAttempts(this.db, user.id))
    return { ...user, lockedUntil: null, failedAttempts: 0 }
  }

  private requireScreen(caller: Caller): { sessionId: string | null } {
    if (caller.kind !== 'session') throw new AppError('FORBIDDEN', 'The command line has no sign-in of its own.')
    return caller.holder
  }

  private requireSession(caller: Caller, stages: readonly SessionStage[]): { session: Session; user: UserRecord } {
    if (caller.kind !== 'session') throw new AppError('FORBIDDEN', 'The command line has no account of its own.')
    const found = this.sessions.lookup(caller.holder.sessionId, this.clock.now())
    if (found.kind === 'expired') {
      caller.holder.sessionId = null
      throw new AppError('SESSION_EXPIRED', MESSAGES.expired)
    }
    if (found.kind === 'none') throw new AppError('UNAUTHENTICATED', MESSAGES.unauthenticated)
    const user = usersRepo.findUserById(this.db, found.session.userId)
    if (!user || user.disabled) {
      this.endSession(caller)
      throw new AppError('UNAUTHENTICATED', MESSAGES.unauthenticated)
    }
    if (!stages.includes(found.session.stage)) {
      if (found.session.stage === 'enrollment') {
        throw new AppError('ENROLLMENT_REQUIRED', 'Activate 2FA first: it is required for your account.')
      }
      throw new AppError('UNAUTHENTICATED', MESSAGES.unauthenticated)
    }
    return { session: found.session, user }
  }

  private requireAdmin(caller: Caller): Actor {
    if (caller.kind === 'cli') return { label: 'cli', userId: null, session: null }
    const { session, user } = this.requireSession(caller, ['signed-in'])
    if (user.role !== 'admin') throw new AppError('FORBIDDEN', MESSAGES.adminsOnly)
    return { label: user.email, userId: user.id, session }
  }

  /**
   * Sensitive admin actions (enforce or revoke for all, reset another user's 2FA,
   * change a role) need a password or code entered within the last 5 minutes, so
   * a screen left unlocked is not enough. The command line is the local
   * administrator and is exempt. Call before anything is written.
   */
  private requireRecentAuthentication(actor: Actor): void {
    if (actor.session === null) return
    if (this.clock.now() - actor.session.authenticatedAt > this.reauthWindowMs) {
      throw new AppError('REAUTH_REQUIRED', MESSAGES.reauthRequired)
    }
  }

  private endSession(caller: Caller): void {
    if (caller.kind !== 'session') return
    if (caller.holder.sessionId !== null) this.sessions.delete(caller.holder.sessionId)
    caller.holder.sessionId = null
  }

  /** Creates (or checks) the secrets key now rather than at the first enrollment: `twofa-admin init` calls it. */
  ensureDataKey(): void {
    this.dataKey()
  }

  private dataKey(): Buffer {
    const key = this.keys.getDataKey()
    if (this.keyChecked) return key
    const expected = keyCheckValue(key)
    writeTransaction(this.db, () => {
      const stored = readMeta(this.db, 'key_check')
      if (stored === null) writeMeta(this.db, 'key_check', expected)
      else if (stored !== expected) {
        throw new AppError(
          'KEY_UNAVAILABLE',
          `The secrets key (${this.keys.description}) does not belong to this database. Use the key that was created with it.`
        )
      }
    })
    this.keyChecked = true
    return key
  }

  private timingDummyHash(): Promise<string> {
    this.dummyHash ??= hashPassword('not a real password', this.kdf)
    return this.dummyHash
  }

  private audit(at: number, event: AuditEvent): void {
    writeTransaction(this.db, () => appendAudit(this.db, at, event))
  }

  private mustFindUser(id: number): UserRecord {
    const user = usersRepo.findUserById(this.db, id)
    if (!user) throw new AppError('NOT_FOUND', 'That user does not exist (any more). Reload the list.')
    return user
  }

  private authStep(stage: SessionStage, user: UserRecord): AuthStep {
    if (stage === 'second-factor') return { step: 'second-factor', email: user.email }
    if (stage === 'enrollment') return { step: 'enrollment-required', me: toMe(user) }
    return { step: 'signed-in', me: toMe(user) }
  }

  private myAccount(user: UserRecord): MyAccount {
    const enforced = isEnforced(user, readPolicy(this.db).enforcedForAll)
    const active = user.activeSince !== null
    return {
      me: toMe(user),
      status: active ? 'active' : enforced ? 'pending' : 'inactive',
      enforced,
      canDeactivate: active && !enforced,
      activeSince: user.activeSince,
      recoveryCodesRemaining: active ? totpRepo.countUnusedRecoveryCodes(this.db, user.id) : 0
    }
  }

  private userRow(user: UserRecord, enforcedForAll: boolean, now = this.clock.now()): UserRow {
    return {
      id: user.id,
      name: user.name,
      email: user.email,
      role: user.role,
      disabled: user.disabled,
      status: twoFactorStatus(user, user.activeSince !== null, enforcedForAll),
      enforcement: user.enforcement,
      enforced: isEnforced(user, enforcedForAll),
      enforcementSource: enforcementSource(user, enforcedForAll),
      locked: this.isLocked(user, now),
      activeSince: user.activeSince,
      last2faLoginAt: user.last2faLoginAt
    }
  }

  private userDetails(user: UserRecord): UserDetails {
    const now = this.clock.now()
    return {
      ...this.userRow(user, readPolicy(this.db).enforcedForAll),
      createdAt: user.createdAt,
      updatedAt: user.updatedAt,
      enforcementChangedBy: user.enforcementBy,
      enforcementChangedAt: user.enforcementAt,
      failedAttempts: user.lockedUntil !== null && user.lockedUntil <= now ? 0 : user.failedAttempts,
      lockedUntil: this.isLocked(user, now) ? user.lockedUntil : null,
      recoveryCodesRemaining: totpRepo.countUnusedRecoveryCodes(this.db, user.id)
    }
  }

  private alreadySetUp(): AppError {
    return new AppError('ALREADY_SET_UP', 'The first administrator already exists. Log in instead.')
  }

  private emailTaken(email: string): AppError {
    return new AppError('EMAIL_TAKEN', `A user with the email ${email} already exists.`, 'email')
  }

  private adminAlwaysEnforced(user: UserRecord): AppError {
    return new AppError(
      'ADMIN_ALWAYS_ENFORCED',
      `2FA is always enforced for administrators. To exempt ${user.email}, change their role to user first.`
    )
  }
}

/** What a failed attempt was, in the audit details; the reauth- kinds happened in a signed-in session. */
type FailureKind = 'password' | 'totp' | 'totp-replay' | 'recovery-code' | 'reauth-password' | 'reauth-totp' | 'reauth-totp-replay'

function toMe(user: UserRecord): Me {
  return { id: user.id, name: user.name, email: user.email, role: user.role }
}
