// Who may call what, decided on every call from the caller and the session the
// core holds for it (never from anything a screen says): a screen, a session at
// a given sign-in stage, an administrator, a recent password or code.
import { AppError } from '../../shared/errors'
import { writeRefusal } from '../db/connection'
import * as usersRepo from '../db/users-repo'
import type { UserRecord } from '../db/users-repo'
import type { AuditEvent } from './audit/chain'
import { auditAlone, type CoreContext } from './context'
import type { Caller, SessionHolder } from './caller'
import { readEnforcementPolicy } from './enforcement/policy'
import { activationDemand } from './enforcement/rules'
import { IN_PERSON_STAGES, type Session, type SessionStage } from './sessions'
import { isActiveAdmin } from './still-admin'
import { temporaryPassSessionHolds } from './temporary-pass/pass-check'

export const UNAUTHENTICATED_MESSAGE = 'You are not signed in. Log in to continue.'
const expiredMessage = (idleMs: number): string => {
  const minutes = Math.max(1, Math.round(idleMs / 60_000))
  return `You were signed out after ${minutes === 1 ? '1 minute' : `${minutes} minutes`} of inactivity. Log in again.`
}
const ADMINS_ONLY_MESSAGE = 'Only administrators can do this.'
const TWO_FACTOR_NOW_REQUIRED_MESSAGE = '2FA is now required for your account. Log in again to activate it.'
const PASS_ENDED_MESSAGE = 'Your temporary access pass was revoked or has expired. Ask your administrator for a new one.'
const PASS_ONLY_MESSAGE = 'You signed in with a temporary access pass: it lets you set a password and activate 2FA, nothing else. Activate 2FA to continue.'
const HANDOVER_MESSAGE = 'An enrollment at the desk is under way: this session does nothing until the administrator unlocks it with their own password or code.'
const REAUTH_REQUIRED_MESSAGE =
  "Confirm it's you: this change needs your password or an authentication code entered within the last 5 minutes. Enter one, then try again."

/** The acting party of an admin operation, as written to the audit log. */
export interface Actor {
  label: string
  userId: number | null
  /** The screen's session; null for the command line, which acts as the local administrator. */
  session: Session | null
}

/** The command line: the local administrator (file access to the database is the root of trust). */
export const CLI_ACTOR: Actor = { label: 'cli', userId: null, session: null }

/** The session holder of a screen; the command line has no sign-in of its own. */
export function requireScreen(caller: Caller): SessionHolder {
  if (caller.kind !== 'session') throw new AppError('FORBIDDEN', 'The command line has no sign-in of its own.')
  return caller.holder
}

/**
 * The caller's live session at one of `stages`, and its user (enabled). `touch: false`
 * for calls a screen makes on its own (asking for changes): they keep no session alive.
 */
export function requireSession(
  ctx: CoreContext,
  caller: Caller,
  stages: readonly SessionStage[],
  options: { touch?: boolean } = {}
): { session: Session; user: UserRecord } {
  if (caller.kind !== 'session') throw new AppError('FORBIDDEN', 'The command line has no account of its own.')
  const found = ctx.sessions.lookup(caller.holder.sessionId, ctx.clock.now(), options)
  if (found.kind === 'expired') {
    caller.holder.sessionId = null
    recordExpiry(ctx, found.userId)
    throw new AppError('SESSION_EXPIRED', expiredMessage(ctx.sessions.idleTimeout()))
  }
  if (found.kind === 'none') throw new AppError('UNAUTHENTICATED', UNAUTHENTICATED_MESSAGE)
  const user = usersRepo.findUserById(ctx.db, found.session.userId)
  if (!user || user.disabled) {
    endSession(ctx, caller)
    throw new AppError('UNAUTHENTICATED', UNAUTHENTICATED_MESSAGE)
  }
  // A session signed in with a password alone keeps no rights once 2FA is required of its user
  // (enforced meanwhile without a grace period, a deadline passed, or made an administrator, here
  // or by another process): enroll at the next sign-in. During a grace period it keeps them.
  if (
    found.session.stage === 'signed-in' &&
    !found.session.secondFactor &&
    activationDemand(user, user.activeSince !== null, readEnforcementPolicy(ctx.db), ctx.clock.now()).kind === 'required'
  ) {
    endSession(ctx, caller)
    throw new AppError('UNAUTHENTICATED', TWO_FACTOR_NOW_REQUIRED_MESSAGE)
  }
  // A session a temporary access pass opened lasts only while that pass does (revoked or replaced here or by another process).
  if (found.session.stage === 'temporary-pass' && !temporaryPassSessionHolds(ctx, found.session)) {
    endSession(ctx, caller)
    throw new AppError('UNAUTHENTICATED', PASS_ENDED_MESSAGE)
  }
  if (!stages.includes(found.session.stage)) {
    if (found.session.stage === 'enrollment') {
      throw new AppError('ENROLLMENT_REQUIRED', 'Activate 2FA first: it is required for your account.')
    }
    if (found.session.stage === 'temporary-pass') throw new AppError('ENROLLMENT_REQUIRED', PASS_ONLY_MESSAGE)
    // The administrator's locked session, and the user's hand-over session at the desk, do nothing else.
    if (found.session.stage === 'handed-over' || IN_PERSON_STAGES.includes(found.session.stage)) throw new AppError('HANDOVER_IN_PROGRESS', HANDOVER_MESSAGE)
    throw new AppError('UNAUTHENTICATED', UNAUTHENTICATED_MESSAGE)
  }
  return { session: found.session, user }
}

/**
 * Whether the caller is the command line or an administrator signed in with 2FA, enabled: a look
 * with no side effects (no session touched or ended), for what a refusal may tell (the write gate's
 * busy message). requireAdmin is the check that grants rights.
 */
export function isAdminCaller(ctx: CoreContext, caller: Caller): boolean {
  if (caller.kind === 'cli') return true
  const userId = ctx.sessions.signedInUser(caller.holder.sessionId, ctx.clock.now())
  return userId !== null && isActiveAdmin(usersRepo.findUserById(ctx.db, userId))
}

/** A signed-in administrator, or the command line. `touch: false`: a look the core makes on its own (a task's turn to write), not activity. */
export function requireAdmin(ctx: CoreContext, caller: Caller, options: { touch?: boolean } = {}): Actor {
  if (caller.kind === 'cli') return CLI_ACTOR
  const { session, user } = requireSession(ctx, caller, ['signed-in'], options)
  if (user.role !== 'admin') throw new AppError('FORBIDDEN', ADMINS_ONLY_MESSAGE)
  // Checked on every call, not once at sign-in: administration is done with 2FA, always.
  if (!session.secondFactor) {
    endSession(ctx, caller)
    throw new AppError('UNAUTHENTICATED', TWO_FACTOR_NOW_REQUIRED_MESSAGE)
  }
  return { label: user.email, userId: user.id, session }
}

/**
 * For a background task an administrator asked for (a bulk change, an import, a directory sync): when
 * it has its turn to write, the administrator still holds a live session signed in with 2FA and the
 * role (BackgroundTasks.run's mayWrite). In the task's write transaction still-admin.ts checks the
 * role again, for a change made by another process meanwhile.
 */
export function stillAdminWhenWriting(ctx: CoreContext, caller: Caller): () => void {
  return () => void requireAdmin(ctx, caller, { touch: false })
}

/**
 * Sensitive admin actions (enforce or revoke for all, reset another user's 2FA,
 * change a role, create an administrator, disable or enable one, exempt a user,
 * unlock a user) need a password or code entered within the last 5 minutes, so
 * a screen left unlocked is not enough. The command line is the local
 * administrator and is exempt. Call before anything is written.
 */
export function requireRecentAuthentication(ctx: CoreContext, actor: Actor): void {
  if (actor.session === null) return
  if (ctx.clock.now() - actor.session.authenticatedAt > ctx.reauthWindowMs) {
    throw new AppError('REAUTH_REQUIRED', REAUTH_REQUIRED_MESSAGE)
  }
}

/** Forgets the caller's session (sign-out, a failed step). */
export function endSession(ctx: CoreContext, caller: Caller): void {
  if (caller.kind !== 'session') return
  if (caller.holder.sessionId !== null) ctx.sessions.delete(caller.holder.sessionId)
  caller.holder.sessionId = null
}

/**
 * A record written after a background task's entries (writeGate.writeSoon) is dated when it is
 * written, so the log's times follow its order, and says when what it records happened.
 */
export function deferredEvent(event: AuditEvent, happenedAt: number, deferred: boolean): AuditEvent {
  return deferred ? { ...event, details: { ...event.details, happenedAt } } : event
}

/** A session that timed out is written to the audit log as such, once: the store forgets it as it reports it. */
export function recordExpiry(ctx: CoreContext, userId: number, details: Record<string, unknown> = { reason: 'timeout' }): void {
  const at = ctx.clock.now()
  // In the caller's turn, or once a background task that holds the write gate is done (a read looks without a turn).
  ctx.writeGate.writeSoon(
    (deferred) => {
      // A damaged database refuses writes: the person must still learn that they were signed out.
      if (writeRefusal(ctx.db) !== null) return
      const user = usersRepo.findUserById(ctx.db, userId)
      if (user) auditAlone(ctx, deferredEvent({ actor: user.email, action: 'session.expired', target: user.email, details }, at, deferred), deferred ? ctx.clock.now() : at)
    },
    (error) => ctx.reportUnexpected('record of a session expiry', error)
  )
}
