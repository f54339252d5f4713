// The store and the address in step, over a fake app and a fake window history:
// a move is one history entry, a typed search one entry, Back and Forward go to
// the place they name, a reload (or a sign-in after one) keeps the place, a place
// one may not open lands on one's own screen, and signing out clears the address.
import { describe, expect, it } from 'vitest'
import type { AuthStep, Me } from '../../../src/shared/domain'
import type { Result } from '../../../src/shared/errors'
import { createAppStore } from '../../../src/renderer/src/store/app-store'
import { syncRoute, type RouteWindow } from '../../../src/renderer/src/store/route-sync'
import { fakeApi } from './support/fake-api'

const ADA: Me = { id: 1, name: 'Ada', email: 'ada@example.com', role: 'admin' }
const TOM: Me = { id: 2, name: 'Tom', email: 'tom@example.com', role: 'user' }

/** A browser's session history for one page: entries, the current one, popstate on Back and Forward. */
class FakeWindow implements RouteWindow {
  entries: string[]
  index = 0
  private listeners = new Map<string, Set<() => void>>()
  location = { hash: '', pathname: '/', search: '' }

  constructor(hash = '') {
    this.entries = [hash]
    this.location.hash = hash
  }

  private show(url: string | undefined): string {
    const at = url?.indexOf('#') ?? -1
    return url === undefined || at === -1 ? '' : url.slice(at)
  }

  history = {
    pushState: (_data: unknown, _unused: string, url?: string) => {
      this.entries = [...this.entries.slice(0, this.index + 1), this.show(url)]
      this.index = this.entries.length - 1
      this.location.hash = this.entries[this.index]!
    },
    replaceState: (_data: unknown, _unused: string, url?: string) => {
      this.entries[this.index] = this.show(url)
      this.location.hash = this.entries[this.index]!
    }
  }

  go(delta: number): void {
    this.index = Math.min(this.entries.length - 1, Math.max(0, this.index + delta))
    this.location.hash = this.entries[this.index]!
    for (const listener of this.listeners.get('popstate') ?? []) listener()
  }

  /** An address typed into the address bar: a new entry, then popstate and hashchange. */
  type(hash: string): void {
    this.history.pushState(null, '', `/${hash}`)
    for (const listener of this.listeners.get('popstate') ?? []) listener()
    for (const listener of this.listeners.get('hashchange') ?? []) listener()
  }

  addEventListener(type: string, listener: () => void): void {
    if (!this.listeners.has(type)) this.listeners.set(type, new Set())
    this.listeners.get(type)!.add(listener)
  }

  removeEventListener(type: string, listener: () => void): void {
    this.listeners.get(type)?.delete(listener)
  }
}

const ok = <T>(value: T): Promise<Result<T>> => Promise.resolve({ ok: true, value })

function app(me: Me | null, hash = '') {
  const win = new FakeWindow(hash)
  let session: AuthStep | null = me ? { step: 'signed-in', me } : null
  const store = createAppStore(
    fakeApi({
      getAppState: () => ok({ needsSetup: false, session, idleTimeoutMinutes: 15 }),
      login: () => {
        session = { step: 'signed-in', me: TOM }
        return ok(session)
      },
      logout: () => ok(null),
      listUsers: () => ok({ users: [], total: 0 }),
      listGroups: () => ok([])
    })
  )
  const stop = syncRoute(store, win)
  return { store, win, stop, state: () => store.getState() }
}

describe('the address follows the store', () => {
  it('opens the place of the address a page was loaded (or reloaded) at, without a new entry', async () => {
    const { win, state } = app(ADA, '#/users/42')
    await state().session.actions.load()
    expect(state().nav.view).toEqual({ name: 'user-details', userId: 42 })
    expect(win.entries).toEqual(['#/users/42'])

    const list = app(ADA, '#/users?q=mar&status=pending&sort=email&dir=desc')
    await list.state().session.actions.load()
    expect(list.state().nav.view).toEqual({ name: 'users' })
    expect(list.state().users).toMatchObject({ query: 'mar', status: 'pending', sort: 'email', direction: 'desc' })
  })

  it('writes the landing screen where the address names no place, and the normal form of a malformed one', async () => {
    const { win, state } = app(ADA, '#token=leftover')
    await state().session.actions.load()
    expect(state().nav.view).toEqual({ name: 'users' })
    expect(win.entries).toEqual(['#/users'])

    const odd = app(ADA, '#/users?status=bogus&q=tom')
    await odd.state().session.actions.load()
    expect(odd.win.entries).toEqual(['#/users?q=tom'])
  })

  it('makes each move to another screen, filter or order one entry, and a search typed key by key one entry', async () => {
    const { win, state } = app(ADA)
    await state().session.actions.load()
    state().nav.actions.navigate({ name: 'security' })
    state().nav.actions.navigate({ name: 'users' })
    await state().users.actions.setStatus('inactive')
    for (const query of ['m', 'ma', 'mar']) await state().users.actions.setQuery(query)
    await state().users.actions.sortBy('email')
    await state().users.actions.setQuery('mari')
    expect(win.entries).toEqual(['#/users', '#/security', '#/users', '#/users?status=inactive', '#/users?q=mar&status=inactive', '#/users?q=mar&status=inactive&sort=email', '#/users?q=mari&status=inactive&sort=email'])
  })

  it('makes "Show these users" (Account > Security) one entry of the filtered list', async () => {
    const { win, state } = app(ADA, '#/security')
    await state().session.actions.load()
    state().nav.actions.navigate({ name: 'users', status: 'pending' })
    expect(state().nav.view).toEqual({ name: 'users' })
    expect(win.entries).toEqual(['#/security', '#/users?status=pending'])
  })
})

describe('Back, Forward and typed addresses move the store', () => {
  it('goes back and forward through screens and the states of a screen', async () => {
    const { win, state } = app(ADA)
    await state().session.actions.load()
    await state().users.actions.setStatus('active')
    state().nav.actions.navigate({ name: 'user-details', userId: 5 })
    state().nav.actions.navigate({ name: 'audit' })
    await state().audit.actions.applyFilter({ user: 'tom', action: null })

    win.go(-1)
    expect(state().nav.view).toEqual({ name: 'audit' })
    expect(state().audit.user).toBe('')
    win.go(-1)
    expect(state().nav.view).toEqual({ name: 'user-details', userId: 5 })
    win.go(-1)
    expect(state().nav.view).toEqual({ name: 'users' })
    expect(state().users.status).toBe('active')
    win.go(-1)
    expect(state().users.status).toBeNull()
    win.go(3)
    expect(state().nav.view).toEqual({ name: 'audit' })
    expect(state().audit.user).toBe('')
    win.go(1)
    expect(state().audit.user).toBe('tom')
    // Moving never wrote an entry of its own.
    expect(win.entries).toEqual(['#/users', '#/users?status=active', '#/users/5', '#/audit', '#/audit?user=tom'])
  })

  it("lands a person who may not open an address on their own screen, and says so in the address", async () => {
    const { win, state } = app(TOM, '#/users/1')
    await state().session.actions.load()
    expect(state().nav.view).toEqual({ name: 'my-account' })
    expect(win.location.hash).toBe('#/my-account')
    win.type('#/audit?user=ada')
    expect(state().nav.view).toEqual({ name: 'my-account' })
    expect(win.location.hash).toBe('#/my-account')
  })

  it('takes an address typed in, and ignores every address while nobody is signed in', async () => {
    const { win, state } = app(null)
    await state().session.actions.load()
    expect(state().session.phase).toBe('login')
    win.type('#/security')
    expect(state().nav.view).toEqual({ name: 'my-account' })
    expect(win.location.hash).toBe('#/security')
  })
})

describe('signing in and out', () => {
  it('restores the place after a sign-in that a reload needed, and clears the address at sign-out', async () => {
    const { win, state } = app(null, '#/my-account/activate-2fa')
    await state().session.actions.load()
    await state().session.actions.login(TOM.email, 'pw')
    expect(state().session.phase).toBe('signed-in')
    expect(state().nav.view).toEqual({ name: 'activate-two-factor' })

    await state().session.actions.logout()
    expect(win.location.hash).toBe('')
    // Back to an entry of the last session while signed out changes nothing.
    win.go(-1)
    expect(state().session.phase).toBe('login')
  })

  it('stops following when stopped', async () => {
    const { win, state, stop } = app(ADA)
    await state().session.actions.load()
    stop()
    state().nav.actions.navigate({ name: 'security' })
    expect(win.entries).toEqual(['#/users'])
  })
})
