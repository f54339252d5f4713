// Sessions live in the memory of the process that owns the window (or the
// preview server): restarting the app signs everyone out, which is the safe default.
import { randomBytes } from 'node:crypto'

export type SessionStage =
  /** Password accepted; waiting for an authentication or recovery code. */
  | 'second-factor'
  /** Password accepted; 2FA is enforced but not active, so enrollment comes first. */
  | 'enrollment'
  | 'signed-in'
  /** Signed in with a temporary access pass: only a first password and enrollment (temporary-pass/). */
  | 'temporary-pass'
  /** An administrator's session, locked while a user enrolls at their desk (in-person-enrollment/). */
  | 'handed-over'
  /** The user's hand-over session at the desk: proving who they are, enrolling, done (only the admin's unlock is left). */
  | 'in-person-identify'
  | 'in-person-enroll'
  | 'in-person-done'

/** The stages of a user's hand-over session at an administrator's desk. */
export const IN_PERSON_STAGES: readonly SessionStage[] = ['in-person-identify', 'in-person-enroll', 'in-person-done']

export interface Session {
  id: string
  userId: number
  stage: SessionStage
  createdAt: number
  lastSeenAt: number
  /** When this person last entered their password or a code: sensitive actions need it recent. */
  authenticatedAt: number
  /** Whether this session completed a second factor (a code, a recovery code, or enrollment): administration needs it. */
  secondFactor: boolean
  /** A session opened with a temporary access pass: the pass's hash. It lasts while that pass is neither revoked nor expired. */
  temporaryPass?: string
  /** A hand-over session: the administrator's session it locked (which it gives back, or ends with it) and who they are. */
  handoverOf?: { sessionId: string; admin: string }
}

/** The default idle timeout; an administrator sets another (5 to 60 minutes, enforcement/idle-timeout.ts). */
export const IDLE_TIMEOUT_MS = 15 * 60 * 1000
/** A half-finished sign-in (between password and code) does not wait forever. */
export const PRE_AUTH_TIMEOUT_MS = 10 * 60 * 1000
export const ABSOLUTE_TIMEOUT_MS = 12 * 60 * 60 * 1000
/** Sensitive admin actions need the password or a code entered within this time. */
export const REAUTH_WINDOW_MS = 5 * 60 * 1000

/**
 * The re-authentication window to use: REAUTH_WINDOW_MS, or a shorter one when
 * asked (the end-to-end tests cannot wait five real minutes). Never longer, so no
 * setting can weaken the rule; anything that is not a number of ms is ignored.
 */
export function reauthWindow(requestedMs?: number): number {
  if (requestedMs === undefined || !Number.isFinite(requestedMs) || requestedMs < 0) return REAUTH_WINDOW_MS
  return Math.min(Math.trunc(requestedMs), REAUTH_WINDOW_MS)
}

/**
 * The idle timeout to apply: the one set for the directory, or a shorter one when
 * asked (TWOFA_ADMIN_IDLE_TIMEOUT_MS: the end-to-end tests cannot wait five real
 * minutes). Never longer, so no setting of the host can weaken the rule.
 */
export function idleTimeoutMs(setMinutes: number, requestedMs?: number): number {
  const set = setMinutes * 60_000
  if (requestedMs === undefined || !Number.isFinite(requestedMs) || requestedMs <= 0) return set
  return Math.min(Math.trunc(requestedMs), set)
}

export type SessionLookup = { kind: 'none' } | { kind: 'expired'; userId: number } | { kind: 'ok'; session: Session }

export class SessionStore {
  private readonly sessions = new Map<string, Session>()

  /** `idleLimitMs`: the idle timeout of signed-in sessions now (read at each look-up: another process may change it). */
  constructor(private readonly idleLimitMs: () => number = () => IDLE_TIMEOUT_MS) {}

  create(userId: number, stage: SessionStage, now: number, links: Pick<Session, 'temporaryPass' | 'handoverOf'> = {}): Session {
    // Every session starts with a password just entered (login, first-run setup).
    const session: Session = { id: randomBytes(32).toString('base64url'), userId, stage, createdAt: now, lastSeenAt: now, authenticatedAt: now, secondFactor: false, ...links }
    this.sessions.set(session.id, session)
    return session
  }

  /** Whether the next look-up of `id` would find it timed out (and record the expiry): a look that changes nothing. */
  timesOut(id: string | null, now: number): boolean {
    const session = id === null ? undefined : this.sessions.get(id)
    return session !== undefined && this.hasTimedOut(session, now)
  }

  /** The user of `id` when it is a live session past its sign-in (with its second factor), else null; without marking it as used. */
  signedInUser(id: string | null, now: number): number | null {
    const session = id === null ? undefined : this.sessions.get(id)
    return session !== undefined && session.stage === 'signed-in' && session.secondFactor && !this.hasTimedOut(session, now) ? session.userId : null
  }

  private hasTimedOut(session: Session, now: number): boolean {
    const idleLimit = session.stage === 'signed-in' || session.stage === 'handed-over' ? this.idleLimitMs() : PRE_AUTH_TIMEOUT_MS
    return now - session.lastSeenAt > idleLimit || now - session.createdAt > ABSOLUTE_TIMEOUT_MS
  }

  /**
   * Finds a live session and marks it as used now; an idle or too old one is dropped.
   * `touch: false` looks without marking: a screen asking whether anything changed is not activity.
   */
  lookup(id: string | null, now: number, { touch = true }: { touch?: boolean } = {}): SessionLookup {
    if (id === null) return { kind: 'none' }
    const session = this.sessions.get(id)
    if (!session) return { kind: 'none' }
    if (this.hasTimedOut(session, now)) {
      this.delete(id)
      return { kind: 'expired', userId: session.userId }
    }
    if (touch) {
      session.lastSeenAt = now
      // The administrator is at the desk while the hand-over is used: their locked session waits.
      const admin = session.handoverOf === undefined ? undefined : this.sessions.get(session.handoverOf.sessionId)
      if (admin) admin.lastSeenAt = now
    }
    return { kind: 'ok', session }
  }

  /** The idle timeout of signed-in sessions now, in ms. */
  idleTimeout(): number {
    return this.idleLimitMs()
  }

  /** The second factor (or enrollment) succeeded just now: the session is signed in with 2FA. */
  completeSecondFactor(id: string, now: number): void {
    const session = this.sessions.get(id)
    if (!session) return
    session.stage = 'signed-in'
    session.secondFactor = true
    session.authenticatedAt = now
  }

  /** The person entered their password or a code just now (second factor, enrollment, re-authentication). */
  markAuthenticated(id: string, now: number): void {
    const session = this.sessions.get(id)
    if (session) session.authenticatedAt = now
  }

  /** A session moves on (a hand-over from proving who they are to enrolling, an admin's session locked or given back). */
  setStage(id: string, stage: SessionStage): void {
    const session = this.sessions.get(id)
    if (session) session.stage = stage
  }

  /** Locks the administrator's session and opens the user's hand-over session at their desk (in-person-enrollment/). */
  handOver(adminSessionId: string, admin: string, userId: number, now: number): Session {
    this.setStage(adminSessionId, 'handed-over')
    return this.create(userId, 'in-person-identify', now, { handoverOf: { sessionId: adminSessionId, admin } })
  }

  /** The administrator unlocked: the hand-over is forgotten and their session given back, signed in, just authenticated. */
  handBack(handoverId: string, now: number): Session | null {
    const handover = this.sessions.get(handoverId)
    const admin = handover?.handoverOf === undefined ? undefined : this.sessions.get(handover.handoverOf.sessionId)
    this.sessions.delete(handoverId)
    if (admin === undefined || admin.stage !== 'handed-over') return null
    admin.stage = 'signed-in'
    admin.authenticatedAt = admin.lastSeenAt = now
    return admin
  }

  /** Forgets a session; an abandoned hand-over takes the administrator's locked session with it. */
  delete(id: string): void {
    const session = this.sessions.get(id)
    this.sessions.delete(id)
    if (session?.handoverOf !== undefined) this.sessions.delete(session.handoverOf.sessionId)
  }

  /**
   * Ends every session of a user (but `except`): after a reset, a lock, a new role, a new password, disabling the account.
   * A hand-over session is only stopped (in-person-done): the screen it holds must still go back to the administrator's unlock.
   */
  deleteForUser(userId: number, except?: string): void {
    for (const [id, session] of this.sessions) {
      if (session.userId !== userId || id === except) continue
      if (session.handoverOf !== undefined) session.stage = 'in-person-done'
      else this.sessions.delete(id)
    }
  }

  clear(): void {
    this.sessions.clear()
  }
}
