// A page of the Users table for the screens and the command line (listUsers):
// the listing engine (user-listing.ts) on the thread that answers them, but
// for the first jump into a range, which waits for its signposts (built in
// slices that leave the event loop free), and a search page that must sort
// every match, which is read in a background task (cancelled with `signal`).
import type { ListUsersInput } from '../../../shared/contract'
import type { CoreContext } from '../context'
import { armSource } from './class-selection'
import { jumpRanges } from './jumps'
import type { ListRequest } from './list-request'
import { listUserRecords, requestOf, type UserPageRecords } from './user-listing'

/**
 * A page of the Users table. The first jump into a range waits for its
 * signposts, built in slices that leave the event loop free.
 */
export async function listUserPage(ctx: CoreContext, input: ListUsersInput, signal?: AbortSignal): Promise<UserPageRecords> {
  const request = (): ListRequest => requestOf(ctx.db, input, ctx.clock.now())
  const first = request()
  const ranges = jumpRanges(first, armSource(ctx.db, first.policy, first))
  if (ranges.length > 0) await ctx.signposts.ready(ctx.db, ranges)
  // The settings may have changed while waiting: they decide which classes a status holds.
  const final = ranges.length > 0 ? request() : first
  const page = listUserRecords(ctx.db, { ...final, deferSorted: true }, ctx.signposts)
  if (page.searchPlan !== 'deferred') return { ...page, policy: final.policy }
  // Every match sorted: work that grows with the matches, read off the thread that answers the screens
  // (the task reads the settings again in its own snapshot; they say which classes a status holds).
  const records = await ctx.background.run('listUsers', { input, now: final.now }, undefined, signal)
  return { ...records, policy: final.policy }
}
