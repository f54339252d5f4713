// Screens that follow changes made elsewhere, over a fake window.api: how often
// the store asks for the change stamp (never two questions at once, never while
// the window is hidden, less often after failures), and what each screen's
// refresh fetches and keeps.
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import type { ListAuditInput, ListUsersInput } from '../../../src/shared/contract'
import type { AuditEntry, AuditPage, UserDetails, UserPage, UserRow } from '../../../src/shared/domain'
import type { Result } from '../../../src/shared/errors'
import { rowAt } from '../../../src/renderer/src/lib/virtual-rows'
import { createAppStore, type AppStore } from '../../../src/renderer/src/store/app-store'
import { CHANGE_POLL_MS, MAX_CHANGE_POLL_MS } from '../../../src/renderer/src/store/slices/changes'
import { fakeApi } from './support/fake-api'

const ok = <T>(value: T): Promise<Result<T>> => Promise.resolve({ ok: true, value })

function userRow(id: number, name = `User ${id}`): UserRow {
  return { id, name, email: `user${id}@example.com`, role: 'user', disabled: false, status: 'inactive', enforcement: 'inherit', enforced: false, enforcementSource: 'none', deadline: null, overdue: false, groups: [], locked: false, activeSince: null, lastTwoFactorLoginAt: null, source: 'local' } as UserRow
}

function userDetails(id: number, changes: Partial<UserDetails> = {}): UserDetails {
  return { ...userRow(id), createdAt: 1, updatedAt: 1, enforcementChangedBy: null, enforcementChangedAt: null, failedAttempts: 0, lockedUntil: null, recoveryCodesRemaining: 0, ...changes } as UserDetails
}

const CHAIN = { entries: 0, verifiedThrough: 0, broken: null, lastFullVerification: null, verifying: null }
const entry = (id: number): AuditEntry => ({ id, at: id, actor: 'cli', action: 'user.created', target: `user${id}@example.com`, details: {} })

/** A directory whose users, stamp and answers a test changes as it goes. */
function fakeApp() {
  const state = { stamp: 'one', size: 1_000, prefix: 'User', stampAnswers: true, failStamp: false }
  const stampCalls: number[] = []
  const listUsers = vi.fn((input: ListUsersInput): Promise<Result<UserPage>> => {
    const start = input.position ?? 0
    const users = Array.from({ length: Math.max(0, Math.min(input.limit ?? 100, state.size - start)) }, (_, i) => userRow(start + i, `${state.prefix} ${start + i}`))
    return ok({ users, nextCursor: null, start, total: state.size, countPending: false })
  })
  const getChangeStamp = vi.fn((): Promise<Result<{ stamp: string }>> => {
    stampCalls.push(Date.now())
    if (!state.stampAnswers) return new Promise(() => {})
    if (state.failStamp) return Promise.resolve({ ok: false, error: { code: 'TRANSPORT', message: 'The app did not answer.' } })
    return ok({ stamp: state.stamp })
  })
  return { state, stampCalls, listUsers, getChangeStamp }
}

let store: AppStore
beforeEach(() => vi.useFakeTimers())
afterEach(() => {
  store?.getState().changes.actions.stop()
  vi.useRealTimers()
})

/** The admin looks at Users, already loaded, with the watch started. */
async function onUsers(app: ReturnType<typeof fakeApp>, extra: Parameters<typeof fakeApi>[0] = {}): Promise<AppStore> {
  store = createAppStore(fakeApi({ listUsers: app.listUsers, getChangeStamp: app.getChangeStamp, ...extra }))
  store.getState().nav.actions.navigate({ name: 'users' })
  store.getState().changes.actions.start(true)
  await store.getState().users.actions.open()
  await vi.advanceTimersByTimeAsync(0)
  app.listUsers.mockClear()
  return store
}

describe('following changes', () => {
  it('asks every 1.5 s and fetches nothing while the stamp stays the same', async () => {
    const app = fakeApp()
    await onUsers(app)
    expect(app.getChangeStamp).toHaveBeenCalledTimes(1)
    await vi.advanceTimersByTimeAsync(CHANGE_POLL_MS * 4)
    expect(app.getChangeStamp).toHaveBeenCalledTimes(5)
    expect(app.listUsers).not.toHaveBeenCalled()
  })

  it('refreshes the rows in view at the same positions when the stamp moves, without going back to the top', async () => {
    const app = fakeApp()
    const store = await onUsers(app)
    const users = () => store.getState().users
    void users().actions.showRows(250, 270)
    await vi.advanceTimersByTimeAsync(0)
    void users().actions.showRows(0, 20)
    void users().actions.showRows(250, 270)
    await vi.advanceTimersByTimeAsync(0)
    const listVersion = users().listVersion
    app.listUsers.mockClear()

    app.state.stamp = 'two'
    app.state.size = 1_005
    app.state.prefix = 'New'
    await vi.advanceTimersByTimeAsync(CHANGE_POLL_MS)
    expect(app.listUsers.mock.calls.map(([input]) => input.position)).toEqual([200])
    expect(users().listVersion).toBe(listVersion)
    expect(users().total).toBe(1_005)
    expect(rowAt(users().blocks, 260)?.name).toBe('New 260')
    // Blocks out of view are not kept stale: fetched again when scrolled back to.
    expect(rowAt(users().blocks, 10)).toBeUndefined()
    expect(users().loading).toBe(false)
  })

  it('keeps the rows on screen until their new version comes', async () => {
    const app = fakeApp()
    const answers: (() => void)[] = []
    const slowList = vi.fn((input: ListUsersInput) => new Promise<Result<UserPage>>((resolve) => answers.push(() => void app.listUsers(input).then(resolve))))
    store = createAppStore(fakeApi({ listUsers: slowList }))
    const users = () => store.getState().users
    const opened = users().actions.open()
    answers.shift()!()
    await opened
    app.state.prefix = 'New'
    const refreshed = users().actions.refresh()
    expect(rowAt(users().blocks, 5)?.name).toBe('User 5')
    answers.shift()!()
    await refreshed
    expect(rowAt(users().blocks, 5)?.name).toBe('New 5')
  })

  it('never has two questions on their way: a slow answer holds the next one back', async () => {
    const app = fakeApp()
    await onUsers(app)
    app.state.stampAnswers = false
    await vi.advanceTimersByTimeAsync(CHANGE_POLL_MS)
    const asked = app.getChangeStamp.mock.calls.length
    await vi.advanceTimersByTimeAsync(CHANGE_POLL_MS * 10)
    expect(app.getChangeStamp).toHaveBeenCalledTimes(asked)
  })

  it('asks nothing while the window is hidden, and at once when it shows again', async () => {
    const app = fakeApp()
    const store = await onUsers(app)
    store.getState().changes.actions.setVisible(false)
    const asked = app.getChangeStamp.mock.calls.length
    await vi.advanceTimersByTimeAsync(CHANGE_POLL_MS * 10)
    expect(app.getChangeStamp).toHaveBeenCalledTimes(asked)
    app.state.stamp = 'two'
    store.getState().changes.actions.setVisible(true)
    await vi.advanceTimersByTimeAsync(0)
    expect(app.getChangeStamp).toHaveBeenCalledTimes(asked + 1)
    expect(app.listUsers).toHaveBeenCalled()
  })

  it('asks less and less often while the app does not answer, shows no error, and is back to 1.5 s once it does', async () => {
    const app = fakeApp()
    const store = await onUsers(app)
    app.state.failStamp = true
    app.stampCalls.length = 0
    await vi.advanceTimersByTimeAsync(60_000)
    const gaps = app.stampCalls.slice(1).map((at, i) => at - app.stampCalls[i]!)
    expect(gaps.slice(0, 4)).toEqual([CHANGE_POLL_MS * 2, CHANGE_POLL_MS * 4, CHANGE_POLL_MS * 8, MAX_CHANGE_POLL_MS])
    expect(store.getState().users.error).toBeNull()
    app.state.failStamp = false
    await vi.advanceTimersByTimeAsync(MAX_CHANGE_POLL_MS)
    app.stampCalls.length = 0
    await vi.advanceTimersByTimeAsync(CHANGE_POLL_MS * 2)
    expect(app.stampCalls).toHaveLength(2)
  })

  it('stops asking when the shell goes away', async () => {
    const app = fakeApp()
    const store = await onUsers(app)
    store.getState().changes.actions.stop()
    const asked = app.getChangeStamp.mock.calls.length
    await vi.advanceTimersByTimeAsync(CHANGE_POLL_MS * 10)
    expect(app.getChangeStamp).toHaveBeenCalledTimes(asked)
  })
})

describe('what each screen refreshes', () => {
  it('user details: the new facts, the forms left as they are (their version moves only with their own change)', async () => {
    let current = userDetails(7, { failedAttempts: 0 })
    const getUser = vi.fn(() => ok(current))
    const updateUser = vi.fn(() => ok((current = { ...current, name: 'Saved', updatedAt: 3 })))
    store = createAppStore(fakeApi({ getUser, updateUser }))
    const details = () => store.getState().userDetails
    await details().actions.load(7)
    current = { ...current, failedAttempts: 2, updatedAt: 2 }
    await details().actions.refresh()
    expect(details().user?.failedAttempts).toBe(2)
    expect(details().formVersion).toEqual({ profile: 0, security: 0 })
    await details().actions.saveProfile({ name: 'Saved' })
    expect(details().formVersion).toEqual({ profile: 1, security: 0 })
  })

  it('user details: a refresh answer older than a save is dropped', async () => {
    let current = userDetails(7)
    let answerRefresh: () => void = () => {}
    const getUser = vi.fn(() => (getUser.mock.calls.length === 1 ? ok(current) : new Promise<Result<UserDetails>>((resolve) => (answerRefresh = () => resolve({ ok: true, value: userDetails(7, { name: 'Old' }) })))))
    const updateUser = vi.fn(() => ok((current = { ...current, name: 'Saved', updatedAt: 3 })))
    store = createAppStore(fakeApi({ getUser, updateUser }))
    const details = () => store.getState().userDetails
    await details().actions.load(7)
    const refreshed = details().actions.refresh()
    await details().actions.saveProfile({ name: 'Saved' })
    answerRefresh()
    await refreshed
    expect(details().user?.name).toBe('Saved')
  })

  it('audit log: new entries on top of those shown, the older pages loaded kept', async () => {
    let newest = 120
    const listAudit = vi.fn((input: ListAuditInput): Promise<Result<AuditPage>> => {
      const top = Math.min(newest, (input.before ?? Infinity) - 1)
      const entries = Array.from({ length: Math.max(0, Math.min(input.limit ?? 50, top)) }, (_, i) => entry(top - i))
      return ok({ entries, nextCursor: top - entries.length > 0 ? entries[entries.length - 1]!.id : null, chain: CHAIN })
    })
    store = createAppStore(fakeApi({ listAudit }))
    const audit = () => store.getState().audit
    await audit().actions.open()
    await audit().actions.loadMore()
    expect(audit().entries).toHaveLength(100)
    newest = 123
    await audit().actions.refresh()
    expect(audit().entries.map((e) => e.id).slice(0, 4)).toEqual([123, 122, 121, 120])
    expect(audit().entries).toHaveLength(103)
    expect(audit().nextCursor).toBe(21)
    // More than a page at once: what lies between is not made up, the list starts again at the newest.
    newest = 300
    await audit().actions.refresh()
    expect(audit().entries[0]?.id).toBe(300)
    expect(audit().entries).toHaveLength(50)
    expect(audit().nextCursor).toBe(251)
    audit().actions.close()
  })

  it('Security: the counts again, without showing a load', async () => {
    let total = 3
    const overview = () => ({ distribution: { total, active: 0, pending: 0, inactive: total, overdue: 0 }, enforcedForAll: false, enforcedSince: null, enforcedBy: null, deadline: null, exemptionGroup: null, wouldBecomePending: total, wouldBecomeInactive: 0 })
    const getSecurityOverview = vi.fn(() => ok(overview()))
    store = createAppStore(fakeApi({ getSecurityOverview: getSecurityOverview as never }))
    await store.getState().security.actions.load()
    total = 5
    const refreshed = store.getState().security.actions.refresh()
    expect(store.getState().security.loading).toBe(false)
    await refreshed
    expect(store.getState().security.overview?.distribution.total).toBe(5)
  })
})

describe('a change a screen could not take at once', () => {
  /** Security open and loaded, the watch started, "Enforce 2FA for all users" held until the test answers it. */
  async function onSecurity() {
    const app = fakeApp()
    let total = 3
    const overview = () => ({ distribution: { total, active: 0, pending: 0, inactive: total, overdue: 0 }, enforcedForAll: false, enforcedSince: null, enforcedBy: null, deadline: null, exemptionGroup: null, wouldBecomePending: total, wouldBecomeInactive: 0 })
    const getSecurityOverview = vi.fn(() => ok(overview()))
    let answerEnforce: (result: Result<unknown>) => void = () => {}
    const enforceForAllUsers = vi.fn(() => new Promise<Result<unknown>>((resolve) => (answerEnforce = resolve)))
    store = createAppStore(fakeApi({ getChangeStamp: app.getChangeStamp, getSecurityOverview: getSecurityOverview as never, enforceForAllUsers: enforceForAllUsers as never }))
    store.getState().nav.actions.navigate({ name: 'security' })
    store.getState().changes.actions.start(true)
    await store.getState().security.actions.load()
    await vi.advanceTimersByTimeAsync(0)
    getSecurityOverview.mockClear()
    return { app, getSecurityOverview, addUsers: (n: number) => (total += n), answerEnforce: (result: Result<unknown>) => answerEnforce(result), total: () => store.getState().security.overview?.distribution.total }
  }

  it('is asked for again at the next question when the screen’s own action was under way, though the stamp did not move again', async () => {
    const screen = await onSecurity()
    const enforcing = store.getState().security.actions.enforceForAllUsers()
    // Two users added elsewhere while the enforcement is on its way: the screen skips the refresh.
    screen.addUsers(2)
    screen.app.state.stamp = 'two'
    await vi.advanceTimersByTimeAsync(CHANGE_POLL_MS)
    expect(screen.getSecurityOverview).not.toHaveBeenCalled()
    // The enforcement is refused (it changed nothing, so the stamp stays 'two').
    screen.answerEnforce({ ok: false, error: { code: 'REAUTH_REQUIRED', message: 'Confirm your password first.' } })
    await enforcing
    expect(screen.total()).toBe(3)
    await vi.advanceTimersByTimeAsync(CHANGE_POLL_MS)
    expect(screen.getSecurityOverview).toHaveBeenCalledTimes(1)
    expect(screen.total()).toBe(5)
  })

  it('is not asked for again once the screen took it', async () => {
    const screen = await onSecurity()
    screen.addUsers(2)
    screen.app.state.stamp = 'two'
    await vi.advanceTimersByTimeAsync(CHANGE_POLL_MS)
    expect(screen.total()).toBe(5)
    await vi.advanceTimersByTimeAsync(CHANGE_POLL_MS * 4)
    expect(screen.getSecurityOverview).toHaveBeenCalledTimes(1)
  })
})
