// Bulk changes: one action on many users at once, from the Users table's
// selection or the command line (`twofa-admin users enforce|exempt|inherit|unlock`).
// A selection is explicit (ids or emails, at most MAX_BULK_USERS) or everything
// a Users list filter matches, with the same filter semantics as listUsers.
// The preview gives the exact counts the confirmation states; the change is
// one transaction through the rules of the single-user changes, one audit
// entry per changed user.
import type { ListsEvery } from './slice'
import type { UserListFilter } from './users'

/** The most users one bulk change takes (explicit or by filter): more in several changes, by narrower filters. */
export const MAX_BULK_USERS = 100_000

export const BULK_ACTIONS = ['enforce', 'exempt', 'inherit', 'unlock', 'resetTwoFactor', 'disable'] as const
/** enforce / exempt / inherit ("Follow policy") set the enforcement override; the others are the single-user actions of the same names. */
export type BulkAction = (typeof BULK_ACTIONS)[number]

/** The Users list's search and filters, as listUsers takes them (a search is not capped here, up to MAX_BULK_USERS). */
export type BulkFilter = UserListFilter

export type BulkSelection =
  | { userIds: number[] }
  /** Every email must name a user: an unknown one is an error and nothing changes. */
  | { emails: string[] }
  /** "Select all N matching this filter", less the rows unticked afterwards. */
  | { filter: BulkFilter; exceptUserIds?: number[] }

/** Exact counts of what a bulk change does (preview) or did (apply). Every selected user is in exactly one of the first five. */
export interface BulkCounts {
  action: BulkAction
  /** Users in the selection. */
  selected: number
  /** Users the change changes (one audit entry each). */
  willChange: number
  /** Users the change leaves as they are: already in that state. */
  alreadyInThatState: number
  /** Administrators, for enforce / exempt / inherit: 2FA is always enforced for them, so they are unchanged. */
  administratorsUnchanged: number
  /** The caller themself, for disable and reset 2FA (do it on My account, or ask another administrator). */
  blockedSelf: number
  /** disable: the last active administrator, who stays enabled. */
  blockedLastAdmin: number
  /** Of willChange: users without 2FA who will have to activate it (enforce, inherit; after a reset, those enforced). */
  willHaveToActivate: number
  /** Of willChange: users without 2FA who will no longer have to activate it (exempt, inherit). */
  wouldNoLongerHaveTo: number
  /** The confirmation's (or the result's) sentence, from these counts. */
  summary: string
}

export interface BulkInstructions {
  /** The text Copy instructions puts on the clipboard. */
  text: string
  /** Users the text is for. */
  users: number
  /** The earliest activation deadline among them, epoch ms; null when none has one in the future (due at the next sign-in, or not enforced). */
  deadline: number | null
}

export interface BulkApi {
  /** Exact counts of what the action would do to the selection; changes nothing. */
  previewBulkChange: { input: { selection: BulkSelection; action: BulkAction }; output: BulkCounts }
  /**
   * Applies the action in one transaction (needs a recent re-authentication).
   * `expectedChanges`: the preview's willChange the confirmation showed; when the selection now changes another number, nothing changes.
   */
  applyBulkChange: { input: { selection: BulkSelection; action: BulkAction; expectedChanges?: number }; output: BulkCounts }
  /** Copy instructions: for the selection, or (no selection) for all users, with the deadline the enforcement rules give. */
  bulkInstructions: { input: { selection?: BulkSelection }; output: BulkInstructions }
}

export const BULK_METHODS = ['previewBulkChange', 'applyBulkChange', 'bulkInstructions'] as const
const listed: ListsEvery<BulkApi, typeof BULK_METHODS> = true
void listed
