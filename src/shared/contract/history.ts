// Progress over time: the 2FA distribution of each day and the enforcement
// changes in between, for the trend on Account > Security and for
// `twofa-admin status --history`.
import type { AuditAction } from '../domain'
import type { ListsEvery } from './slice'

/** How far back the trend looks unless asked otherwise, and the most it keeps (the core forgets older days). */
export const HISTORY_DEFAULT_DAYS = 90
export const HISTORY_MAX_DAYS = 400

/** The 2FA distribution of one UTC day, as the day's last recording saw it. */
export interface DistributionPoint {
  /** The UTC day, YYYY-MM-DD. */
  day: string
  total: number
  active: number
  pending: number
  inactive: number
  /** Of the pending users, those past their deadline; null for a day recorded without that count. */
  overdue: number | null
}

/** A change of enforcement from the audit log: for all users, for a group, or of a deadline. */
export interface EnforcementEvent {
  /** The audit entry's id. */
  id: number
  at: number
  action: AuditAction
  actor: string
  /** What the entry names (a group), or null for all users. */
  target: string | null
}

/** The deadline of an enforcement in effect, when it gave a grace period. */
export interface EnforcementDeadline {
  at: number
  /** The group whose deadline it is, or null for the enforcement for all users. */
  group: string | null
}

export interface TwoFactorHistory {
  /** The first and the last UTC day asked for (YYYY-MM-DD): `days` days ending today. */
  from: string
  to: string
  days: number
  /** One per recorded day, oldest first; days without a recording are missing. */
  points: DistributionPoint[]
  /** Oldest first, from the start of `from` until now. */
  events: EnforcementEvent[]
  /** Deadlines of the enforcements in effect, from the start of `from` on (later ones too). */
  deadlines: EnforcementDeadline[]
}

export interface HistoryApi {
  /** Account > Security's trend: the last `days` days (default 90, at most 400). Administrators only. */
  getTwoFactorHistory: { input: { days?: number }; output: TwoFactorHistory }
}

export const HISTORY_METHODS = ['getTwoFactorHistory'] as const
const listed: ListsEvery<HistoryApi, typeof HISTORY_METHODS> = true
void listed
