// The Users table's count of a search with many matches (issue 14): the rows
// come at once with `countPending`, the table asks countUsers once for the
// list, and shows the exact number when it comes; an answer for an earlier
// list is dropped, a CANCELLED one of the list still shown is asked again (a
// request of an earlier keystroke overtook it), and a failure says so with a
// retry. Over a fake window.api whose answers the test releases.
import { afterEach, describe, expect, it, vi } from 'vitest'
import type { UserListFilter } from '../../../src/shared/contract'
import type { UserPage, UserRow } from '../../../src/shared/domain'
import type { Result } from '../../../src/shared/errors'
import { createAppStore, type AppStore } from '../../../src/renderer/src/store/app-store'
import { BLOCK_SIZE } from '../../../src/renderer/src/lib/virtual-rows'
import { fakeApi } from './support/fake-api'

let store: AppStore | undefined
afterEach(() => {
  store?.getState().users.actions.close()
  store = undefined
})

const row = (id: number): UserRow => ({ id, name: `User ${id}`, email: `u${id}@example.com` }) as UserRow

/** A fake api: listUsers answers at once (many matches, count pending); countUsers waits to be released. */
function counting() {
  const counts: { input: UserListFilter; answer: (result: Result<{ total: number }>) => void }[] = []
  const api = fakeApi({
    listUsers: (async (input: { position?: number; limit?: number }): Promise<Result<UserPage>> => {
      const start = input.position ?? 0
      const users = Array.from({ length: input.limit ?? 50 }, (_, i) => row(start + i + 1))
      return { ok: true, value: { users, nextCursor: null, start, total: 1001, countPending: true } }
    }) as never,
    countUsers: ((input: UserListFilter) => new Promise<Result<{ total: number }>>((answer) => counts.push({ input, answer }))) as never
  })
  return { api, counts }
}

const users = () => store!.getState().users

describe('the count of a search with many matches', () => {
  it('shows the rows at once, asks countUsers once for the list, then shows the exact number', async () => {
    const { api, counts } = counting()
    store = createAppStore(api)
    await users().actions.setQuery('example')
    expect(users().blocks[0]).toHaveLength(BLOCK_SIZE)
    expect(users()).toMatchObject({ countPending: true, total: 1001, counted: true })
    await users().actions.showRows(60, 90)
    // One count for the list, whatever the pages asked.
    expect(counts).toHaveLength(1)
    expect(counts[0]?.input).toEqual({ query: 'example' })
    counts[0]?.answer({ ok: true, value: { total: 333_000 } })
    await vi.waitFor(() => expect(users()).toMatchObject({ countPending: false, total: 333_000, countError: null }))
    // A later page of the same list keeps the exact number.
    await users().actions.showRows(200, 230)
    expect(users().total).toBe(333_000)
    expect(counts).toHaveLength(1)
  })

  it('drops the count of an earlier search, and counts the new one', async () => {
    const { api, counts } = counting()
    store = createAppStore(api)
    await users().actions.setQuery('exam')
    await users().actions.setQuery('example')
    expect(counts.map((count) => count.input.query)).toEqual(['exam', 'example'])
    counts[0]?.answer({ ok: true, value: { total: 999_999 } })
    counts[1]?.answer({ ok: true, value: { total: 5000 } })
    await vi.waitFor(() => expect(users()).toMatchObject({ countPending: false, total: 5000 }))
    // The earlier search's answer, whenever it came, never showed.
    expect(users().total).toBe(5000)
  })

  it('asks again when the count of the list still shown was cancelled (an earlier request overtook it), and offers a retry when it failed', async () => {
    const { api, counts } = counting()
    store = createAppStore(api)
    await users().actions.setQuery('example')
    counts[0]?.answer({ ok: false, error: { code: 'CANCELLED', message: 'A newer request replaced this one.' } })
    await vi.waitFor(() => expect(counts).toHaveLength(2))
    expect(counts[1]?.input).toEqual({ query: 'example' })
    expect(users()).toMatchObject({ countPending: true, countError: null })
    counts[1]?.answer({ ok: false, error: { code: 'DATABASE_BUSY', message: 'The database is busy with another program. Try again in a moment.' } })
    await vi.waitFor(() => expect(users()).toMatchObject({ countPending: false, countError: 'The database is busy with another program. Try again in a moment.' }))
    const again = users().actions.retryCount()
    expect(users()).toMatchObject({ countPending: true, countError: null })
    counts[2]?.answer({ ok: true, value: { total: 4242 } })
    await again
    expect(users()).toMatchObject({ countPending: false, total: 4242 })
  })

  it('does not ask again for a cancelled count of a list no longer shown', async () => {
    const { api, counts } = counting()
    store = createAppStore(api)
    await users().actions.setQuery('exam')
    await users().actions.setQuery('example')
    counts[0]?.answer({ ok: false, error: { code: 'CANCELLED', message: 'A newer request replaced this one.' } })
    await new Promise((resolve) => setTimeout(resolve, 10))
    expect(counts.map((count) => count.input.query)).toEqual(['exam', 'example'])
  })

  it('shows the failure once a count was cancelled again and again, rather than counting forever', async () => {
    const countUsers = vi.fn(async (): Promise<Result<{ total: number }>> => ({ ok: false, error: { code: 'CANCELLED', message: 'A newer request replaced this one.' } }))
    store = createAppStore(fakeApi({ listUsers: counting().api.listUsers as never, countUsers: countUsers as never }))
    await users().actions.setQuery('example')
    await vi.waitFor(() => expect(users()).toMatchObject({ countPending: false, countError: 'A newer request replaced this one.' }))
    expect(countUsers).toHaveBeenCalledTimes(4)
  })
})

describe('a page of the list still shown that the core cancelled', () => {
  it('is asked again, so an earlier keystroke\'s request that overtook it leaves no error and the rows show', async () => {
    let cancelled = 0
    const listUsers = vi.fn(async (input: { query?: string; position?: number }): Promise<Result<UserPage>> => {
      // The first page asked for "example" meets a late request of "exampl" in the core.
      if (input.query === 'example' && cancelled++ === 0) return { ok: false, error: { code: 'CANCELLED', message: 'A newer request replaced this one.' } }
      return { ok: true, value: { users: [row(1), row(2)], nextCursor: null, start: input.position ?? 0, total: 2, countPending: false } }
    })
    store = createAppStore(fakeApi({ listUsers: listUsers as never }))
    await users().actions.setQuery('example')
    expect(users()).toMatchObject({ error: null, total: 2, loaded: true })
    expect(users().blocks[0]).toHaveLength(2)
    expect(listUsers.mock.calls.filter(([input]) => input.query === 'example')).toHaveLength(2)
  })

  it('shows the error when every ask was cancelled', async () => {
    const listUsers = vi.fn(async (): Promise<Result<UserPage>> => ({ ok: false, error: { code: 'CANCELLED', message: 'A newer request replaced this one.' } }))
    store = createAppStore(fakeApi({ listUsers: listUsers as never }))
    await users().actions.setQuery('example')
    expect(users()).toMatchObject({ error: 'A newer request replaced this one.', loading: false })
    expect(listUsers).toHaveBeenCalledTimes(4)
  })
})
