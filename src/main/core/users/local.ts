// What the command line does with users beyond the screens' contract: name
// them by email, and stream the whole list in constant memory.
import type { TwoFactorStatus, UserRow, UserSortKey } from '../../../shared/domain'
import { AppError } from '../../../shared/errors'
import * as usersRepo from '../../db/users-repo'
import type { CoreContext } from '../context'
import { listUserPage } from '../listing/user-listing'
import { toUserRow } from './user-views'

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

    /** Every user with the status (or all), in the sort order, one keyset page at a time: memory stays constant at any size. */
    async *streamUsers(filter: { status?: TwoFactorStatus; sort?: UserSortKey }): AsyncGenerator<UserRow> {
      let cursor: string | undefined
      do {
        const page = await listUserPage(ctx, { status: filter.status, sort: filter.sort ?? 'email', limit: STREAM_PAGE, cursor })
        const now = ctx.clock.now()
        for (const user of page.records) yield toUserRow(user, page.enforcedForAll, now)
        cursor = page.nextCursor ?? undefined
      } while (cursor !== undefined)
    }
  }
}
