// The exact number of users a Users list filter (and search) holds: countUsers.
// Without a search, or with few matches, it is at hand (the class counters, the
// probe of the indexes); a search with many matches is counted in a background
// task (the arms of the term's shape, search-repo.ts countMatches), off the
// thread that answers the screens, and given up when the same client asks for
// another count or another page (each keystroke cancels the last one's work).
import type { UserListFilter } from '../../../shared/contract'
import type * as listingRepo from '../../db/listing-repo'
import type { CoreContext } from '../context'
import { readEnforcementPolicy } from '../enforcement/policy'
import { armSource, countInFilter } from './class-selection'
import { fewMatches } from './search-probe'
import { searchTerm } from './search-term'

export async function countListedUsers(ctx: CoreContext, filter: UserListFilter, signal?: AbortSignal): Promise<number> {
  const now = ctx.clock.now()
  const question = { ...filter, now }
  // One read transaction: the counters and the probe see the same snapshot.
  const known = ctx.db.transaction((): { total: number } | { pending: { term: listingRepo.SearchTerm; filter: listingRepo.ClassFilter } } => {
    const source = armSource(ctx.db, readEnforcementPolicy(ctx.db), question)
    const term = searchTerm(filter.query)
    if (term === null) return { total: countInFilter(ctx.db, source, now) }
    // The page's own question (search-page.ts): few matches are at hand; more are counted in the background.
    const few = fewMatches(ctx.db, term, source.filter)
    return few !== null ? { total: few.length } : { pending: { term, filter: source.filter } }
  })()
  if (!('pending' in known)) return known.total
  return (await ctx.background.run('countUsers', known.pending, undefined, signal)).total
}

interface Work {
  key: string
  controller: AbortController
  /** A count's answer, shared by every count of the same list asked for while it runs. */
  count?: Promise<number>
}

/** The filter part of a listUsers or countUsers input, as one string: work for the same list has the same key. */
export function filterKey(input: UserListFilter): string {
  return JSON.stringify([input.query?.trim() ?? '', input.status, input.groupId, input.role, input.locked, input.disabled, input.enforcementSource, input.source, input.fewRecoveryCodes])
}

/**
 * The background work of each client (a window, a tab, the command line), so
 * that nothing piles up when someone types fast: work for another list (a
 * keystroke, a filter) aborts the client's work for the lists before it. Pages
 * of the same list (a virtualized table loads several at once) and its count
 * go on together, and counts of the same list share one run (the table's count
 * and "Select all N matching" ask for the same number).
 */
export class ClientWork {
  private readonly running = new WeakMap<object, Set<Work>>()

  /** Starts work under a filter key; `done` when it settled. */
  start(client: object, key: string): { signal: AbortSignal; done: () => void; work: Work } {
    let works = this.running.get(client)
    if (works === undefined) this.running.set(client, (works = new Set()))
    for (const work of works) {
      if (work.key !== key) {
        work.controller.abort()
        works.delete(work)
      }
    }
    const work: Work = { key, controller: new AbortController() }
    works.add(work)
    return { signal: work.controller.signal, done: () => works.delete(work), work }
  }

  /** A count of a list: the one of the same list still running, or a new one (aborting work for other lists). */
  count(client: object, key: string, run: (signal: AbortSignal) => Promise<number>): Promise<number> {
    const running = [...(this.running.get(client) ?? [])].find((work) => work.key === key && work.count !== undefined)
    if (running?.count !== undefined) return running.count
    const { signal, done, work } = this.start(client, key)
    work.count = run(signal).finally(done)
    return work.count
  }
}
