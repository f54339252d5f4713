// The Users list's block cache over a fake window.api: which blocks are fetched,
// and that answers to a superseded search are dropped.
import { renderToStaticMarkup } from 'react-dom/server'
import { describe, expect, it, vi } from 'vitest'
import type { ListUsersInput } from '../../../src/shared/contract'
import type { UserPage, UserRow } from '../../../src/shared/domain'
import type { Result } from '../../../src/shared/errors'
import { UsersTable } from '../../../src/renderer/src/components/UsersTable'
import { HEADER_HEIGHT, ROW_HEIGHT, rowAt } from '../../../src/renderer/src/lib/virtual-rows'
import { createAppStore } from '../../../src/renderer/src/store/app-store'
import { MAX_CACHED_BLOCKS } from '../../../src/renderer/src/store/slices/users'
import { fakeApi } from './support/fake-api'

function user(id: number, name = `User ${id}`): UserRow {
  return {
    id,
    name,
    email: `user${id}@example.com`,
    role: 'user',
    disabled: false,
    status: 'inactive',
    enforcement: 'inherit',
    enforced: false,
    enforcementSource: 'none',
    deadline: null,
    overdue: false,
    groups: [],
    locked: false,
    activeSince: null,
    lastTwoFactorLoginAt: null,
    source: 'local'
  }
}

/** A directory of `size` users; each call's answer waits until released. */
function fakeDirectory(size: number) {
  const calls: { input: ListUsersInput; release: () => void }[] = []
  const listUsers = vi.fn(
    (input: ListUsersInput) =>
      new Promise<Result<UserPage>>((resolve) => {
        const start = input.position ?? 0
        const limit = input.limit ?? 50
        const matching = input.query ? Math.min(3, size) : size
        const users = Array.from({ length: Math.max(0, Math.min(limit, matching - start)) }, (_, i) => user(start + i, input.query ? `${input.query} ${start + i}` : undefined))
        calls.push({ input, release: () => resolve({ ok: true, value: { users, nextCursor: null, start, total: matching, countPending: false } }) })
      })
  )
  const releaseAll = async () => {
    while (calls.length > 0) calls.shift()!.release()
    await new Promise((resolve) => setTimeout(resolve, 0))
  }
  return { calls, listUsers, releaseAll, api: fakeApi({ listUsers }) }
}

/** The Users slice of a fresh app store over the fake directory. */
function createUsersStore(directory: ReturnType<typeof fakeDirectory>) {
  const store = createAppStore(directory.api)
  return { getState: () => store.getState().users, actions: store.getState().users.actions }
}

describe('Users list blocks', () => {
  it('fetches the first block by position on open, with the sort and no cursor', async () => {
    const api = fakeDirectory(1_000_000)
    const store = createUsersStore(api)
    const opened = store.actions.open()
    expect(store.getState().loading).toBe(true)
    expect(api.calls.map((c) => c.input)).toEqual([{ sort: 'name', direction: 'asc', position: 0, limit: 100 }])
    await api.releaseAll()
    await opened
    const state = store.getState()
    expect(state.loading).toBe(false)
    expect(state.total).toBe(1_000_000)
    expect(rowAt(state.blocks, 99)?.id).toBe(99)
  })

  it('fetches only the blocks of the rows in view after a jump, each once', async () => {
    const api = fakeDirectory(1_000_000)
    const store = createUsersStore(api)
    void store.actions.open()
    await api.releaseAll()
    api.calls.length = 0
    // A jump to 90%: rows 899,990..900,010 straddle blocks 8,999 and 9,000.
    void store.actions.showRows(899_990, 900_010)
    void store.actions.showRows(899_991, 900_011)
    expect(api.calls.map((c) => c.input.position)).toEqual([899_900, 900_000])
    await api.releaseAll()
    expect(rowAt(store.getState().blocks, 900_005)?.id).toBe(900_005)
    void store.actions.showRows(899_995, 900_015)
    expect(api.calls).toHaveLength(0)
  })

  it('does not ask for blocks past the end of the list', async () => {
    const api = fakeDirectory(150)
    const store = createUsersStore(api)
    void store.actions.open()
    await api.releaseAll()
    void store.actions.showRows(120, 160)
    void store.actions.showRows(190, 230)
    expect(api.calls.map((c) => c.input.position)).toEqual([100])
  })

  it('drops the answers to a superseded search: a slow "m" cannot overwrite "mar"', async () => {
    const api = fakeDirectory(1_000_000)
    const store = createUsersStore(api)
    void store.actions.open()
    await api.releaseAll()
    void store.actions.setQuery('m')
    void store.actions.setQuery('ma')
    void store.actions.setQuery('mar')
    expect(api.calls.map((c) => c.input.query)).toEqual(['m', 'ma', 'mar'])
    // The answers arrive newest first; the older ones must change nothing.
    const [m, ma, mar] = api.calls.splice(0)
    mar!.release()
    await new Promise((resolve) => setTimeout(resolve, 0))
    ma!.release()
    m!.release()
    await new Promise((resolve) => setTimeout(resolve, 0))
    const state = store.getState()
    expect(state.total).toBe(3)
    expect(rowAt(state.blocks, 0)?.name).toBe('mar 0')
    expect(state.loading).toBe(false)
  })

  it('keeps the previous rows on screen until the first answer of a new search, then shows only the new ones', async () => {
    const api = fakeDirectory(1_000_000)
    const store = createUsersStore(api)
    void store.actions.open()
    await api.releaseAll()
    void store.actions.showRows(500, 520)
    await api.releaseAll()
    void store.actions.setQuery('x')
    expect(store.getState().listVersion).toBe(2)
    expect(rowAt(store.getState().blocks, 0)?.name).toBe('User 0')
    await api.releaseAll()
    expect(rowAt(store.getState().blocks, 0)?.name).toBe('x 0')
    expect(rowAt(store.getState().blocks, 510)).toBeUndefined()
  })

  it('holds at most MAX_CACHED_BLOCKS blocks, however far it scrolls', async () => {
    const api = fakeDirectory(1_000_000)
    const store = createUsersStore(api)
    void store.actions.open()
    await api.releaseAll()
    for (let row = 0; row < 1_000_000; row += 25_000) {
      void store.actions.showRows(row, row + 20)
      await api.releaseAll()
    }
    expect(Object.keys(store.getState().blocks).length).toBeLessThanOrEqual(MAX_CACHED_BLOCKS)
    expect(rowAt(store.getState().blocks, 975_010)?.id).toBe(975_010)
  })
})

describe('UsersTable', () => {
  const props = {
    sort: 'name' as const,
    direction: 'asc' as const,
    onSort: () => {},
    onOpenUser: () => {},
    onShowRows: () => {},
    resetKey: 0,
    emptyState: 'No users',
    totalLabel: '1,000,000 users',
    busy: false,
    initialViewportHeight: 440
  }

  it('renders a real table with row counts for screen readers and only the rows in view, skeletons for those not fetched', () => {
    const html = renderToStaticMarkup(<UsersTable {...props} rowCount={1_000_000} rowAt={(i) => (i < 5 ? user(i) : undefined)} />)
    expect(html).toContain('<table')
    expect(html).toContain('aria-rowcount="1000001"')
    expect(html).toContain('aria-rowindex="2"')
    const rows = html.match(/<tr /g) ?? []
    // The header, 10 rows in 440 px, one partly shown and the overscan below.
    expect(rows.length).toBeLessThan(20)
    expect(html.match(/row-skeleton/g)?.length).toBe(rows.length - 1 - 5)
    expect(html).toContain('>User 4</button>')
    expect(html).toContain('Rows 1–10 of 1,000,000 users')
    expect(html).not.toContain('Load more')
  })

  it('hands the row and header heights the scrolling counts with to its stylesheet', async () => {
    const html = renderToStaticMarkup(<UsersTable {...props} rowCount={10} rowAt={(i) => user(i)} />)
    expect(html).toContain(`style="--row-height:${ROW_HEIGHT}px;--header-height:${HEADER_HEIGHT}px"`)
    // ...and the stylesheet draws with them, not with numbers of its own. (Read as a
    // file: the renderer's type checking knows no node modules, and vitest empties CSS imports.)
    const fs = (await import('node:fs' as string)) as { readFileSync: (path: string, encoding: 'utf8') => string }
    const css = fs.readFileSync('src/renderer/src/components/UsersTable.css', 'utf8')
    expect(css).toContain('height: var(--row-height);')
    expect(css).toContain('height: var(--header-height);')
    expect(css).not.toMatch(new RegExp(`\\b(${ROW_HEIGHT}|${HEADER_HEIGHT})px`))
  })

  it('shows the empty state without a scroll region', () => {
    const html = renderToStaticMarkup(<UsersTable {...props} rowCount={0} rowAt={() => undefined} />)
    expect(html).toContain('No users')
    expect(html).not.toContain('tabindex="0"')
  })
})
