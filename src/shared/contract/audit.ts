// Audit: the log of every sign-in and admin action, and the state of its chain.
import type { AuditAction, AuditChainStatus, AuditPage } from '../domain'
import type { ListsEvery, NoInput } from './slice'

export interface ListAuditInput {
  /** Email of the actor or the target. */
  user?: string
  action?: AuditAction
  /** Return entries with an id below this one (newest first). */
  before?: number
  limit?: number
}

export interface AuditApi {
  /** One page, newest first: the same cost at a thousand entries as at ten million. */
  listAudit: { input: ListAuditInput; output: AuditPage }
  /** Where the chain's verification stands (checks the entries written since the last look). */
  getAuditChainStatus: { input: NoInput; output: AuditChainStatus }
  /** Starts checking every entry again, off the thread that answers the screens; poll getAuditChainStatus for progress. */
  verifyWholeAuditLog: { input: NoInput; output: AuditChainStatus }
}

export const AUDIT_METHODS = ['listAudit', 'getAuditChainStatus', 'verifyWholeAuditLog'] as const
const listed: ListsEvery<AuditApi, typeof AUDIT_METHODS> = true
void listed
