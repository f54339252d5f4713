// What the command line does with users beyond the screens' contract: name
// them by email, and stream the whole list in constant memory.
import type { TwoFactorFilter, UserRow, UserSortKey } from '../../../shared/domain'
import { AppError } from '../../../shared/errors'
import * as groupsRepo from '../../db/groups-repo'
import * as usersRepo from '../../db/users-repo'
import type { CoreContext } from '../context'
import { listUserPage } from '../listing/user-page'
import { userRowMapper } from './user-views'

/** Rows read per keyset page when streaming: large enough to amortise, small enough to stay constant in memory. */
const STREAM_PAGE = 500

export function usersLocal(ctx: CoreContext) {
  return {
    /** The id of the user with this email (any case); NOT_FOUND otherwise. */
    findUserIdByEmail(email: string): number {
      const user = usersRepo.findUserByEmail(ctx.db, email.trim().toLowerCase())
      if (!user) throw new AppError('NOT_FOUND', `No user with the email ${email}.`)
      return user.id
    },

    /** The id of the group with this name (any case); NOT_FOUND otherwise. */
    findGroupIdByName(name: string): number {
      const group = groupsRepo.findGroupByName(ctx.db, name.trim())
      if (!group) throw new AppError('NOT_FOUND', `No group named ${name}. List them with twofa-admin group list.`)
      return group.id
    },

    /** Every user with the status (or all), in the sort order, one keyset page at a time: memory stays constant at any size. */
    async *streamUsers(filter: { status?: TwoFactorFilter; groupId?: number; sort?: UserSortKey }): AsyncGenerator<UserRow> {
      let cursor: string | undefined
      do {
        const page = await listUserPage(ctx, { status: filter.status, groupId: filter.groupId, sort: filter.sort ?? 'email', limit: STREAM_PAGE, cursor })
        const toRow = userRowMapper(ctx, page.policy)
        for (const user of page.records) yield toRow(user)
        cursor = page.nextCursor ?? undefined
      } while (cursor !== undefined)
    }
  }
}
