// The rules of a temporary access pass that other paths share: which pass can
// sign in now, whether a typed secret is it, using it up (single use), whether a
// session it opened still holds, and its end when 2FA is activated. The guards,
// the login, the enrollment and the hand-over at the desk call these; the
// contract's handlers for passes are in handlers.ts.
import type { TemporaryPassStatus } from '../../../shared/domain'
import * as passRepo from '../../db/temporary-pass-repo'
import type { TemporaryPassRecord } from '../../db/temporary-pass-repo'
import type { UserRecord } from '../../db/users-repo'
import { appendAudit } from '../audit/chain'
import type { CoreContext } from '../context'
import type { Session } from '../sessions'
import { temporaryPassMatches } from './pass-secret'

/** Whether this pass can still sign its user in at `now`: not expired, and not used if it is single use. */
export function canSignIn(pass: TemporaryPassRecord, now: number): boolean {
  return pass.expiresAt > now && (!pass.singleUse || pass.usedAt === null)
}

/** The user's pass that can sign in now, or null. */
export function usablePass(ctx: CoreContext, userId: number, now: number = ctx.clock.now()): TemporaryPassRecord | null {
  const pass = passRepo.findTemporaryPass(ctx.db, userId)
  return pass !== null && canSignIn(pass, now) ? pass : null
}

/** The user's pass if `typed` is it and it can sign in now; null otherwise (then `typed` is taken for a password). */
export function matchingPass(ctx: CoreContext, user: Pick<UserRecord, 'id'>, typed: string): TemporaryPassRecord | null {
  const pass = usablePass(ctx, user.id)
  return pass !== null && temporaryPassMatches(pass.passHash, user.id, typed) ? pass : null
}

/**
 * Inside the transaction that records a sign-in (or an identification at the
 * desk) with `pass`: checks it again (another attempt, process or administrator
 * may have used, revoked or replaced it meanwhile), uses up a single-use one and
 * audits the use. False when it can no longer sign in.
 */
export function usePassInTransaction(ctx: CoreContext, user: Pick<UserRecord, 'id' | 'email'>, pass: TemporaryPassRecord, via: 'login' | 'in-person', actor: string = user.email): boolean {
  const now = ctx.clock.now()
  const current = passRepo.findTemporaryPass(ctx.db, user.id)
  if (current === null || current.passHash !== pass.passHash || !canSignIn(current, now)) return false
  if (current.singleUse && !passRepo.markTemporaryPassUsed(ctx.db, user.id, current.passHash, now)) return false
  appendAudit(ctx.db, now, { actor, action: 'temporary-pass.used', target: user.email, details: { singleUse: current.singleUse, via, expiresAt: current.expiresAt } })
  return true
}

/** A session opened with a pass lasts while that pass is there, unrevoked, unreplaced and unexpired (checked on every call). */
export function temporaryPassSessionHolds(ctx: CoreContext, session: Pick<Session, 'userId' | 'temporaryPass'>): boolean {
  if (session.temporaryPass === undefined) return false
  const pass = passRepo.findTemporaryPass(ctx.db, session.userId)
  return pass !== null && pass.passHash === session.temporaryPass && pass.expiresAt > ctx.clock.now()
}

/**
 * In the transaction that activates 2FA (any path): the pass has done its work.
 * A pass that could still sign in (a multi-use one, or a single-use one not used)
 * is revoked and audited; a used one is just forgotten.
 */
export function endPassOnActivation(ctx: CoreContext, user: Pick<UserRecord, 'id' | 'email'>, now: number): void {
  const pass = passRepo.findTemporaryPass(ctx.db, user.id)
  if (pass === null) return
  passRepo.deleteTemporaryPass(ctx.db, user.id)
  if (canSignIn(pass, now)) {
    appendAudit(ctx.db, now, { actor: user.email, action: 'temporary-pass.revoked', target: user.email, details: { reason: '2fa-activated', singleUse: pass.singleUse } })
  }
}

/** What User details show of the pass (never the pass): null once it expired. */
export function temporaryPassStatus(ctx: CoreContext, userId: number, now: number): TemporaryPassStatus | null {
  const pass = passRepo.findTemporaryPass(ctx.db, userId)
  if (pass === null || pass.expiresAt <= now) return null
  return { issuedAt: pass.issuedAt, issuedBy: pass.issuedBy, expiresAt: pass.expiresAt, singleUse: pass.singleUse, usedAt: pass.usedAt }
}
