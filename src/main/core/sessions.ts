// Sessions live in the memory of the process that owns the window (or the
// preview server): restarting the app signs everyone out, which is the safe default.
import { randomBytes } from 'node:crypto'

export type SessionStage =
  /** Password accepted; waiting for an authentication or recovery code. */
  | 'second-factor'
  /** Password accepted; 2FA is enforced but not active, so enrollment comes first. */
  | 'enrollment'
  | 'signed-in'

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
}

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

export type SessionLookup = { kind: 'none' } | { kind: 'expired'; userId: number } | { kind: 'ok'; session: Session }

export class SessionStore {
  private readonly sessions = new Map<string, Session>()

  create(userId: number, stage: SessionStage, now: number): Session {
    // Every session starts with a password just entered (login, first-run setup).
    const session: Session = { id: randomBytes(32).toString('base64url'), userId, stage, createdAt: now, lastSeenAt: now, authenticatedAt: now, secondFactor: false }
    this.sessions.set(session.id, session)
    return session
  }

  /**
   * Finds a live session and marks it as used now; an idle or too old one is dropped.
   * `touch: false` looks without marking: a screen asking whether anything changed is not activity.
   */
  lookup(id: string | null, now: number, { touch = true }: { touch?: boolean } = {}): SessionLookup {
    if (id === null) return { kind: 'none' }
    const session = this.sessions.get(id)
    if (!session) return { kind: 'none' }
    const idleLimit = session.stage === 'signed-in' ? IDLE_TIMEOUT_MS : PRE_AUTH_TIMEOUT_MS
    if (now - session.lastSeenAt > idleLimit || now - session.createdAt > ABSOLUTE_TIMEOUT_MS) {
      this.sessions.delete(id)
      return { kind: 'expired', userId: session.userId }
    }
    if (touch) session.lastSeenAt = now
    return { kind: 'ok', session }
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

  delete(id: string): void {
    this.sessions.delete(id)
  }

  /** Ends every session of a user (but `except`): after a reset, a lock, a new role, a new password, disabling the account. */
  deleteForUser(userId: number, except?: string): void {
    for (const [id, session] of this.sessions) if (session.userId === userId && id !== except) this.sessions.delete(id)
  }

  clear(): void {
    this.sessions.clear()
  }
}
