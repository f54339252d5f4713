// A screen that follows changes made elsewhere fetches its data again in place
// (each slice's `refresh`). An answer to a refresh asked for before an action
// or a load of the same screen answered is older than what that action showed,
// and must not overwrite it: not for a moment, not until the next poll. Each
// test holds the refresh's answer, lets the action go through, then releases it.
import { afterEach, describe, expect, it } from 'vitest'
import type { RadiusClientView } from '../../../src/shared/contract/radius'
import type { GroupSummary, MyAccount, SecurityOverview } from '../../../src/shared/domain'
import type { Result } from '../../../src/shared/errors'
import { createAppStore, type AppStore } from '../../../src/renderer/src/store/app-store'
import { fakeApi } from './support/fake-api'

const ok = <T>(value: T): Result<T> => ({ ok: true, value })

/** A fetch whose answers are immediate, except the one asked for after `hold()`: it waits for `release`. */
function heldFetch<T>(current: () => T) {
  let holding = false
  let release: () => void = () => {}
  return {
    fetch: (): Promise<Result<T>> => {
      const answer = ok(current())
      if (!holding) return Promise.resolve(answer)
      holding = false
      return new Promise((resolve) => (release = () => resolve(answer)))
    },
    hold: () => (holding = true),
    release: () => release()
  }
}

let store: AppStore | undefined
afterEach(() => store?.getState().changes.actions.stop())

describe('a refresh asked for before an action answered', () => {
  it('does not put a created group’s list back as it was (Groups)', async () => {
    const group = (id: number, name: string) => ({ id, name }) as unknown as GroupSummary
    let groups = [group(1, 'Finance')]
    const list = heldFetch(() => groups)
    store = createAppStore(
      fakeApi({
        listGroups: list.fetch,
        createGroup: async () => {
          const created = group(2, 'Sales')
          groups = [...groups, created]
          return ok(created)
        }
      })
    )
    const { open, refresh, create } = store.getState().groups.actions
    await open()
    list.hold()
    const refreshing = refresh()
    await create('Sales')
    list.release()
    // Not followed: the next question asks the screen again.
    expect(await refreshing).toBe(false)
    expect(store.getState().groups.groups.map((g) => g.name)).toEqual(['Finance', 'Sales'])
  })

  it('does not bring back a removed RADIUS client, nor drop an added one', async () => {
    const client = (name: string) => ({ name, address: '192.0.2.10', require2fa: false, createdAt: 1, createdBy: 'ada@example.com' }) as RadiusClientView
    let clients = [client('vpn')]
    const list = heldFetch(() => clients)
    store = createAppStore(
      fakeApi({
        listRadiusClients: list.fetch,
        removeRadiusClient: async () => {
          clients = []
          return ok(null)
        },
        addRadiusClient: async () => {
          clients = [client('wifi')]
          return ok({ client: client('wifi'), secret: null })
        }
      })
    )
    const { open, refresh, remove, add } = store.getState().radiusClients.actions
    await open()
    list.hold()
    const refreshing = refresh()
    expect(await remove('vpn')).toBe(true)
    list.release()
    // Not followed: the next question asks the screen again.
    expect(await refreshing).toBe(false)
    expect(store.getState().radiusClients.clients).toEqual([])

    list.hold()
    const again = refresh()
    await add({ name: 'wifi', address: '192.0.2.10', require2fa: false })
    list.release()
    expect(await again).toBe(false)
    expect(store.getState().radiusClients.clients.map((c) => c.name)).toEqual(['wifi'])
  })

  it('does not show the counts before “Enforce 2FA for all users” after it went through (Security)', async () => {
    const before = { enforcedForAll: false, total: 3 } as unknown as SecurityOverview
    const after = { enforcedForAll: true, total: 3 } as unknown as SecurityOverview
    let overview = before
    const fetch = heldFetch(() => overview)
    store = createAppStore(
      fakeApi({
        getSecurityOverview: fetch.fetch,
        enforceForAllUsers: async () => {
          overview = after
          return ok(after)
        }
      })
    )
    const { load, refresh, enforceForAllUsers } = store.getState().security.actions
    await load()
    fetch.hold()
    const refreshing = refresh()
    expect(await enforceForAllUsers()).toBe(true)
    fetch.release()
    // Not followed: the next question asks the screen again.
    expect(await refreshing).toBe(false)
    expect(store.getState().security.overview).toBe(after)
  })

  it('does not offer Deactivate again after 2FA was deactivated (My account)', async () => {
    const active = { twoFactor: { status: 'active' } } as unknown as MyAccount
    const inactive = { twoFactor: { status: 'inactive' } } as unknown as MyAccount
    let account = active
    const fetch = heldFetch(() => account)
    store = createAppStore(
      fakeApi({
        getMyAccount: fetch.fetch,
        deactivateMyTwoFactor: async () => {
          account = inactive
          return ok(inactive)
        }
      })
    )
    const { load, refresh, deactivate } = store.getState().myAccount.actions
    await load()
    fetch.hold()
    const refreshing = refresh()
    expect(await deactivate('123456')).toBe(true)
    fetch.release()
    // Not followed: the next question asks the screen again.
    expect(await refreshing).toBe(false)
    expect(store.getState().myAccount.account).toBe(inactive)
  })
})

describe('a refresh asked for before a refusal brought the account as it is', () => {
  it('does not offer Deactivate again over the refusal (My account)', async () => {
    const active = { twoFactor: { status: 'active' } } as unknown as MyAccount
    const enforced = { twoFactor: { status: 'active', enforced: true } } as unknown as MyAccount
    let account = active
    const fetch = heldFetch(() => account)
    store = createAppStore(
      fakeApi({
        getMyAccount: fetch.fetch,
        deactivateMyTwoFactor: async () => {
          // An administrator enforced 2FA meanwhile: the core refuses.
          account = enforced
          return { ok: false, error: { code: 'ENFORCED_BY_ADMIN', message: '2FA is enforced for your account: it cannot be deactivated.' } }
        }
      })
    )
    const { load, refresh, deactivate } = store.getState().myAccount.actions
    await load()
    fetch.hold()
    const refreshing = refresh()
    expect(await deactivate('123456')).toBe(false)
    fetch.release()
    expect(await refreshing).toBe(false)
    expect(store.getState().myAccount.account).toBe(enforced)
  })
})

describe('a refresh asked for before a load answered', () => {
  it('is older than the load, and dropped (RADIUS clients)', async () => {
    let clients = [{ name: 'vpn' } as RadiusClientView]
    const list = heldFetch(() => clients)
    store = createAppStore(fakeApi({ listRadiusClients: list.fetch }))
    const { open, refresh } = store.getState().radiusClients.actions
    await open()
    list.hold()
    const refreshing = refresh()
    clients = []
    await open()
    list.release()
    expect(await refreshing).toBe(false)
    expect(store.getState().radiusClients.clients).toEqual([])
  })

  it('is older than the load, and dropped (Security)', async () => {
    const first = { enforcedForAll: false } as unknown as SecurityOverview
    const second = { enforcedForAll: true } as unknown as SecurityOverview
    let overview = first
    const fetch = heldFetch(() => overview)
    store = createAppStore(fakeApi({ getSecurityOverview: fetch.fetch }))
    const { load, refresh } = store.getState().security.actions
    await load()
    fetch.hold()
    const refreshing = refresh()
    overview = second
    await load()
    fetch.release()
    // Not followed: the next question asks the screen again.
    expect(await refreshing).toBe(false)
    expect(store.getState().security.overview).toBe(second)
  })

  it('is older than the load, and dropped (Groups)', async () => {
    let groups = [{ id: 1, name: 'Finance' } as unknown as GroupSummary]
    const list = heldFetch(() => groups)
    store = createAppStore(fakeApi({ listGroups: list.fetch }))
    const { open, refresh } = store.getState().groups.actions
    await open()
    list.hold()
    const refreshing = refresh()
    groups = []
    await open()
    list.release()
    // Not followed: the next question asks the screen again.
    expect(await refreshing).toBe(false)
    expect(store.getState().groups.groups).toEqual([])
  })
})

describe('a refresh with nothing else under way', () => {
  it('still shows a change made elsewhere, on every screen that follows changes', async () => {
    let groups: GroupSummary[] = []
    let clients: RadiusClientView[] = []
    let overview = { enforcedForAll: false } as unknown as SecurityOverview
    let account = { twoFactor: { status: 'inactive' } } as unknown as MyAccount
    store = createAppStore(
      fakeApi({
        listGroups: async () => ok(groups),
        listRadiusClients: async () => ok(clients),
        getSecurityOverview: async () => ok(overview),
        getMyAccount: async () => ok(account)
      })
    )
    const state = () => store!.getState()
    await Promise.all([state().groups.actions.open(), state().radiusClients.actions.open(), state().security.actions.load(), state().myAccount.actions.load()])
    groups = [{ id: 1, name: 'Finance' } as unknown as GroupSummary]
    clients = [{ name: 'vpn' } as RadiusClientView]
    overview = { enforcedForAll: true } as unknown as SecurityOverview
    account = { twoFactor: { status: 'enforced' } } as unknown as MyAccount
    expect(await Promise.all([state().groups.actions.refresh(), state().radiusClients.actions.refresh(), state().security.actions.refresh(), state().myAccount.actions.refresh()])).toEqual([true, true, true, true])
    expect(state().groups.groups).toBe(groups)
    expect(state().radiusClients.clients).toBe(clients)
    expect(state().security.overview).toBe(overview)
    expect(state().myAccount.account).toBe(account)
  })
})
