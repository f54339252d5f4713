// A sign-in asked for by a RADIUS client (a VPN, a Wi-Fi controller), decided
// with the app's own rules: the same lockout (reserved before any check, so
// parallel attempts cannot pass it), the same replay rule for codes, the same
// enforcement. With 2FA active, the password followed by the current code is
// accepted; the password alone earns a challenge (a single-use State bound to
// the user and the client, valid 2 minutes) answered with the code or a
// recovery code. Unknown users, wrong passwords or codes, disabled and locked
// accounts all get the same reject, after the same work. A fault of ours (the
// directory's file busy with another program's long change, full, damaged; the
// key unreadable) is no answer at all: decide() throws, the service sends
// nothing, and the client asks again (RADIUS retransmits). The guess it had
// reserved is given back and a challenge it had used is kept, so a fault never
// counts against the person or makes them start again.
import { randomBytes } from 'node:crypto'
import { AppError } from '../../../shared/errors'
import * as totpRepo from '../../db/totp-repo'
import * as usersRepo from '../../db/users-repo'
import type { UserRecord } from '../../db/users-repo'
import { appendAudit } from '../audit/chain'
import { unauthenticatedEmail } from '../audit/untrusted'
import { auditAlone, type CoreContext } from '../context'
import { hashPassword, verifyPassword } from '../crypto/passwords'
import { hasPassword, verifyUserPassword } from '../directory-sync/directory-password'
import { readEnforcementPolicy } from '../enforcement/policy'
import { activationDemand } from '../enforcement/rules'
import { confirmGuess, failGuess, isFault, releaseGuess, reserveGuess } from '../lockout'
import { useRecoveryCodeOrFail, verifyTotpOrFail } from '../second-factor'

export const CHALLENGE_TTL_MS = 2 * 60_000
/** At most this many challenges wait at once (a flood of right passwords cannot grow memory). */
const MAX_PENDING_CHALLENGES = 10_000

export const REJECT_MESSAGE = 'Access denied: the user name, password or code is not correct, or the account cannot sign in now.'
export const CODE_PROMPT = 'Enter the 6-digit code from your authenticator app.'
/** The Reply-Message of a sign-in accepted in the grace period: how long is left, and what to do. */
export function graceReminder(deadline: number, daysLeft: number): string {
  const date = new Date(deadline).toISOString().slice(0, 10)
  return `2FA will be required for your account from ${date} (${daysLeft} ${daysLeft === 1 ? 'day' : 'days'} left): activate it in 2FA Admin before then.`
}

export const ACTIVATE_FIRST = '2FA is required for your account: activate it in 2FA Admin first (sign in there once), then connect again.'
export const CLIENT_REQUIRES_2FA = 'This network requires 2FA for everyone: activate 2FA in 2FA Admin first, then connect again.'

export interface RadiusClientIdentity {
  name: string
  require2fa: boolean
}

export type RadiusDecision =
  | { kind: 'accept'; user: string; reply: string | null }
  | { kind: 'reject'; user: string; reply: string; reason: string }
  | { kind: 'challenge'; user: string; reply: string; state: Buffer }

interface PendingChallenge {
  userId: number
  client: string
  expiresAt: number
}

export class RadiusSignIn {
  private readonly challenges = new Map<string, PendingChallenge>()
  private dummyHash: Promise<string> | null = null

  constructor(private readonly ctx: CoreContext) {}

  /** Decides one Access-Request: `password` is the User-Password as sent (the code, when `state` answers a challenge). */
  async decide(client: RadiusClientIdentity, userName: string, password: string, state: Buffer | null): Promise<RadiusDecision> {
    const actor = `radius:${client.name}`
    if (state !== null) return this.answerChallenge(client, actor, state, password)
    const email = userName.trim().toLowerCase()
    const user = email === '' ? null : usersRepo.findUserByEmail(this.ctx.db, email)
    if (user === null || !hasPassword(user) || user.demo) return this.unknownUser(actor, userName, password)
    return this.firstStep(client, actor, user, password)
  }

  private async firstStep(client: RadiusClientIdentity, actor: string, user: UserRecord, typed: string): Promise<RadiusDecision> {
    const { ctx } = this
    let guess
    try {
      guess = reserveGuess(ctx, user, actor)
    } catch (error) {
      if (isFault(error)) throw error
      // Locked: the same work and the same answer as a wrong password.
      await verifyPassword(typed, await this.timingHash())
      return reject(user.email, 'locked', error)
    }
    const credential = user.activeSince === null ? null : totpRepo.findCredential(ctx.db, user.id)
    // With 2FA active the code may follow the password: try that split first, then the whole as the password.
    const digits = credential?.digits ?? 6
    const split = credential !== null && typed.length > digits && /^\d+$/.test(typed.slice(-digits)) ? { password: typed.slice(0, -digits), code: typed.slice(-digits) } : null
    let password: string | null = null
    let code: string | null = null
    try {
      if (split !== null && (await verifyUserPassword(ctx, user, split.password))) {
        password = split.password
        code = split.code
      } else if (await verifyUserPassword(ctx, user, typed)) password = typed
    } catch (error) {
      // The directory could not be asked: no guess was made.
      releaseGuess(ctx, guess)
      if (isFault(error)) throw error
      return reject(user.email, 'directory unavailable', error)
    }
    if (password === null || user.disabled) {
      try {
        failGuess(ctx, guess, 'password')
      } catch (error) {
        // A fault recording it: no answer, as for a right password (silence must not tell which it was); the guess stays counted.
        if (isFault(error)) throw error
        // Locked by this failure: the same answer.
      }
      return { kind: 'reject', user: user.email, reply: REJECT_MESSAGE, reason: user.disabled && password !== null ? 'disabled' : 'wrong password' }
    }
    const now = ctx.clock.now()
    if (credential === null) {
      // No 2FA: the password decides, under the enforcement and the client's own rule.
      const demand = activationDemand(user, false, readEnforcementPolicy(ctx.db), now)
      if (demand.kind === 'required') {
        this.settle(guess, false)
        auditAlone(ctx, { actor, action: 'login.failure', target: user.email, details: { reason: '2fa-not-activated', via: 'radius' } }, now)
        return { kind: 'reject', user: user.email, reply: ACTIVATE_FIRST, reason: '2FA enforced, not activated' }
      }
      if (client.require2fa) {
        this.settle(guess, false)
        auditAlone(ctx, { actor, action: 'login.failure', target: user.email, details: { reason: 'client-requires-2fa', via: 'radius' } }, now)
        return { kind: 'reject', user: user.email, reply: CLIENT_REQUIRES_2FA, reason: 'client requires 2FA' }
      }
      try {
        // A fault writing it gives the guess back (confirmGuess) and is thrown on: no answer.
        confirmGuess(ctx, guess, true, () => {
          const grace = demand.kind === 'grace' ? { gracePeriod: true, deadline: demand.deadline } : {}
          appendAudit(ctx.db, now, { actor, action: 'login.success', target: user.email, details: { secondFactor: false, via: 'radius', ...grace } })
        })
      } catch (error) {
        return rejectUnlessFault(user.email, 'locked meanwhile', error)
      }
      // In the grace period the password alone still connects, with a reminder of the deadline.
      return { kind: 'accept', user: user.email, reply: demand.kind === 'grace' ? graceReminder(demand.deadline, demand.daysLeft) : null }
    }
    // Right password, 2FA active: the count keeps running until the code is right, as in the app.
    if (!this.settle(guess, false)) return { kind: 'reject', user: user.email, reply: REJECT_MESSAGE, reason: 'locked meanwhile' }
    if (code !== null) return this.checkCode(actor, user, code)
    return this.challenge(client, actor, user)
  }

  private challenge(client: RadiusClientIdentity, actor: string, user: UserRecord): RadiusDecision {
    const now = this.ctx.clock.now()
    this.forgetExpired(now)
    if (this.challenges.size >= MAX_PENDING_CHALLENGES) return { kind: 'reject', user: user.email, reply: REJECT_MESSAGE, reason: 'too many pending challenges' }
    const state = randomBytes(16)
    this.challenges.set(state.toString('hex'), { userId: user.id, client: client.name, expiresAt: now + CHALLENGE_TTL_MS })
    auditAlone(this.ctx, { actor, action: 'radius.challenge', target: user.email })
    return { kind: 'challenge', user: user.email, reply: CODE_PROMPT, state }
  }

  private async answerChallenge(client: RadiusClientIdentity, actor: string, state: Buffer, answer: string): Promise<RadiusDecision> {
    const now = this.ctx.clock.now()
    const key = state.toString('hex')
    const pending = this.challenges.get(key)
    // Single use: gone whatever the answer.
    this.challenges.delete(key)
    const bound = pending !== undefined && pending.client === client.name && pending.expiresAt >= now
    const owner = pending === undefined ? null : usersRepo.findUserById(this.ctx.db, pending.userId)
    if (!bound || owner === null || owner.disabled) {
      const reason = pending === undefined ? 'unknown or used State' : owner?.disabled ? 'disabled' : 'expired or foreign State'
      // Audited too: an answer to a challenge that was never given, or given to another device.
      auditAlone(this.ctx, { actor, action: 'login.second-factor-failure', target: owner?.email ?? null, details: { reason, via: 'radius' } }, now)
      return { kind: 'reject', user: owner?.email ?? '', reply: REJECT_MESSAGE, reason }
    }
    const user = owner
    const code = answer.replace(/[\s-]/g, '')
    try {
      if (/^\d{6,8}$/.test(code)) return this.checkCode(actor, user, code)
      try {
        useRecoveryCodeOrFail(this.ctx, user, code.toLowerCase(), actor)
        return { kind: 'accept', user: user.email, reply: null }
      } catch (error) {
        return rejectUnlessFault(user.email, 'wrong recovery code', error)
      }
    } catch (fault) {
      // Not answered: the client's retransmission of this answer finds its challenge again.
      this.challenges.set(key, pending)
      throw fault
    }
  }

  private checkCode(actor: string, user: UserRecord, code: string): RadiusDecision {
    try {
      verifyTotpOrFail(this.ctx, user, code, 'login', () => usersRepo.recordSecondFactorLogin(this.ctx.db, user.id, this.ctx.clock.now()), actor)
      return { kind: 'accept', user: user.email, reply: null }
    } catch (error) {
      return rejectUnlessFault(user.email, (error as AppError).code === 'CODE_REPLAYED' ? 'replayed code' : 'wrong code', error)
    }
  }

  /** Settles a right password that does not complete the sign-in; false when a parallel attempt locked the account meanwhile. A fault gives the guess back and throws. */
  private settle(guess: ReturnType<typeof reserveGuess>, completes: boolean): boolean {
    try {
      confirmGuess(this.ctx, guess, completes, () => undefined)
      return true
    } catch (error) {
      if (!isFault(error)) return false
      throw error
    }
  }

  private async unknownUser(actor: string, userName: string, password: string): Promise<RadiusDecision> {
    const { ctx } = this
    const email = userName.trim().toLowerCase()
    const refusal = ctx.phantoms.reserve(email, ctx.clock.now())
    // As much work as for an account with 2FA: the password-and-code split, then the whole.
    await verifyPassword(password, await this.timingHash())
    if (password.length > 6 && /^\d{6}$/.test(password.slice(-6))) await verifyPassword(password.slice(0, -6), await this.timingHash())
    const recorded = unauthenticatedEmail(ctx, email)
    if (refusal === null) ctx.phantoms.fail(email, ctx.clock.now())
    auditAlone(ctx, { actor, action: refusal === null ? 'login.failure' : 'login.locked', target: recorded, details: { reason: 'invalid-credentials', via: 'radius' } })
    return { kind: 'reject', user: '', reply: REJECT_MESSAGE, reason: 'unknown user' }
  }

  private timingHash(): Promise<string> {
    return (this.dummyHash ??= hashPassword('not a real password', this.ctx.passwordKdf))
  }

  private forgetExpired(now: number): void {
    for (const [key, pending] of this.challenges) if (pending.expiresAt < now) this.challenges.delete(key)
  }
}

/** The reject for a wrong or refused secret; a fault of ours is thrown on: no answer (see the top). */
function rejectUnlessFault(user: string, reason: string, error: unknown): RadiusDecision {
  if (isFault(error)) throw error
  return reject(user, reason, error)
}

function reject(user: string, reason: string, error: unknown): RadiusDecision {
  const detail = error instanceof AppError ? error.code : 'error'
  return { kind: 'reject', user, reply: REJECT_MESSAGE, reason: `${reason} (${detail})` }
}
