// Users: the directory as administrators see and change it (admins only).
import type { Role, SortDirection, TwoFactorFilter, UserDetails, UserPage, UserSortKey } from '../domain'
import type { ListsEvery } from './slice'

export interface ListUsersInput {
  /**
   * Matches the name or the email, ignoring ASCII case: terms of one or two
   * characters match the start of either, longer terms anywhere in either. A
   * search lists at most 1,000 users; see UserPage.totalCapped.
   */
  query?: string
  /** A status, or `overdue`: pending users past their deadline. */
  status?: TwoFactorFilter
  /** Only the members of this group. */
  groupId?: number
  sort?: UserSortKey
  direction?: SortDirection
  cursor?: string
  /**
   * Start the page at this 0-based row of the sorted, filtered list instead of
   * after a cursor: how a virtualized table jumps to any scroll position. Never
   * together with `cursor`. The answer's `start` says where the page begins.
   */
  position?: number
  limit?: number
}

export interface UpdateUserInput {
  userId: number
  name?: string
  role?: Role
  disabled?: boolean
}

export interface UsersApi {
  listUsers: { input: ListUsersInput; output: UserPage }
  getUser: { input: { userId: number }; output: UserDetails }
  createUser: { input: { name: string; email: string; role: Role; password: string }; output: UserDetails }
  updateUser: { input: UpdateUserInput; output: UserDetails }
  /** Lost phone: removes the user's authenticator and recovery codes. */
  resetTwoFactor: { input: { userId: number }; output: UserDetails }
  unlockUser: { input: { userId: number }; output: UserDetails }
  /**
   * Sets another user's password (an imported user has none yet). Not for
   * directory users, who sign in with their directory password. Their open
   * sessions end.
   */
  setUserPassword: { input: { userId: number; password: string }; output: UserDetails }
}

export const USERS_METHODS = ['listUsers', 'getUser', 'createUser', 'updateUser', 'resetTwoFactor', 'unlockUser', 'setUserPassword'] as const
const listed: ListsEvery<UsersApi, typeof USERS_METHODS> = true
void listed
