// Typed errors: every failure that crosses a process boundary is one of these codes.

export type ErrorCode =
  | 'VALIDATION'
  | 'UNAUTHENTICATED'
  | 'SESSION_EXPIRED'
  /** A sensitive admin action needs the password or a code entered within the last 5 minutes: call reauthenticate, then retry. */
  | 'REAUTH_REQUIRED'
  | 'FORBIDDEN'
  | 'NOT_FOUND'
  | 'INVALID_CREDENTIALS'
  | 'ACCOUNT_LOCKED'
  | 'INVALID_CODE'
  | 'CODE_REPLAYED'
  | 'ENROLLMENT_EXPIRED'
  | 'ENROLLMENT_REQUIRED'
  /** An enrollment at this administrator's desk is under way: the admin's session does nothing until the admin unlocks it. */
  | 'HANDOVER_IN_PROGRESS'
  | 'ALREADY_ACTIVE'
  | 'NOT_ACTIVE'
  | 'ENFORCED_BY_ADMIN'
  | 'ADMIN_ALWAYS_ENFORCED'
  | 'LAST_ADMIN'
  | 'EMAIL_TAKEN'
  | 'GROUP_EXISTS'
  /** The group comes from the directory (a sync brings its members): its members are changed there, not here. */
  | 'GROUP_FROM_DIRECTORY'
  | 'ALREADY_SET_UP'
  | 'WEAK_PASSWORD'
  | 'DATABASE_TOO_NEW'
  | 'DATABASE_NOT_OURS'
  | 'DATABASE_CORRUPT'
  /** The schema is not the one our migrations create (an added trigger, a changed index): changed outside the app. */
  | 'DATABASE_TAMPERED'
  | 'DATABASE_BUSY'
  | 'DISK_FULL'
  | 'KEY_UNAVAILABLE'
  /** The database or key file is a symbolic link, or readable or owned by someone else. */
  | 'UNSAFE_FILE'
  | 'TRANSPORT'
  /** The work was given up because a newer request replaced it (a count of a search typed over): nothing to show, nothing changed. */
  | 'CANCELLED'
  /** The app closed (quit, a restore) while the request waited or ran: open it again and check, then retry. */
  | 'CLOSED'
  | 'INTERNAL'
  /** The LDAP directory did not answer, or the connection broke mid-read: nothing was changed; try again later. */
  | 'DIRECTORY_UNAVAILABLE'
  /** The directory refused the bind (wrong bind DN or password, or it requires an encrypted connection). */
  | 'DIRECTORY_BIND_FAILED'
  /** The directory refused or cut short the search (base DN missing, no right to read, a limit hit). */
  | 'DIRECTORY_SEARCH_FAILED'
  /** The encrypted connection failed: the certificate is not trusted (give the CA file) or StartTLS is not offered. */
  | 'DIRECTORY_TLS_FAILED'

export interface ApiError {
  code: ErrorCode
  /** A sentence for the person at the screen: what happened and what to do. */
  message: string
  /** For VALIDATION: which field was wrong. */
  field?: string
  /** For a wrong password or code of a known account (INVALID_CODE, CODE_REPLAYED, INVALID_CREDENTIALS at re-authentication): guesses left before the lock. */
  attemptsLeft?: number
}

export type Result<T> = { ok: true; value: T } | { ok: false; error: ApiError }

/** Thrown inside the main process; turned into `{ ok: false, error }` at every boundary. */
export class AppError extends Error {
  readonly code: ErrorCode
  readonly field: string | undefined
  readonly attemptsLeft: number | undefined

  constructor(code: ErrorCode, message: string, field?: string, details: { attemptsLeft?: number } = {}) {
    super(message)
    this.name = 'AppError'
    this.code = code
    this.field = field
    this.attemptsLeft = details.attemptsLeft
  }

  toApiError(): ApiError {
    const error: ApiError = { code: this.code, message: this.message }
    if (this.field !== undefined) error.field = this.field
    if (this.attemptsLeft !== undefined) error.attemptsLeft = this.attemptsLeft
    return error
  }
}

export function isApiError(value: unknown): value is ApiError {
  return (
    typeof value === 'object' &&
    value !== null &&
    typeof (value as { code?: unknown }).code === 'string' &&
    typeof (value as { message?: unknown }).message === 'string'
  )
}
