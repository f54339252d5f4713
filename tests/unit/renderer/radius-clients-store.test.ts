// Account > RADIUS clients in the store over a fake window.api: the list
// loaded, a client added with a secret the app made (handed to the screen,
// never kept in the store), one refused with its field marked, a removal, and
// the list fetched again in place when something changed elsewhere.
import { afterEach, describe, expect, it, vi } from 'vitest'
import type { AddRadiusClientInput, RadiusClientView } from '../../../src/shared/contract/radius'
import type { Result } from '../../../src/shared/errors'
import { createAppStore, type AppStore } from '../../../src/renderer/src/store/app-store'
import { fakeApi } from './support/fake-api'

const ok = <T>(value: T): Result<T> => ({ ok: true, value })
const client = (name: string, changes: Partial<RadiusClientView> = {}): RadiusClientView => ({
  name,
  address: '192.0.2.10',
  require2fa: false,
  createdAt: Date.UTC(2026, 2, 1),
  createdBy: 'ada@example.com',
  ...changes
})
const SECRET = 'Zq3vV0c1p9-made-by-the-app_0123'

let store: AppStore | undefined
afterEach(() => {
  store?.getState().changes.actions.stop()
  vi.useRealTimers()
})

function fakeRadius(initial: RadiusClientView[] = []) {
  let clients = [...initial]
  const listRadiusClients = vi.fn(async () => ok([...clients]))
  const addRadiusClient = vi.fn(async (input: AddRadiusClientInput): Promise<Result<{ client: RadiusClientView; secret: string | null }>> => {
    if (clients.some((c) => c.name === input.name)) return { ok: false, error: { code: 'VALIDATION', message: `There is already a RADIUS client named ${input.name}.`, field: 'name' } }
    const added = client(input.name, { address: input.address, require2fa: input.require2fa })
    clients.push(added)
    return ok({ client: added, secret: input.secret === undefined ? SECRET : null })
  })
  const removeRadiusClient = vi.fn(async ({ name }: { name: string }): Promise<Result<null>> => {
    clients = clients.filter((c) => c.name !== name)
    return ok(null)
  })
  return { listRadiusClients, addRadiusClient, removeRadiusClient, set: (next: RadiusClientView[]) => (clients = next) }
}

describe('Account > RADIUS clients in the store', () => {
  it('loads the clients; none is an empty list, loaded', async () => {
    const api = fakeRadius()
    store = createAppStore(fakeApi(api))
    expect(store.getState().radiusClients.loaded).toBe(false)
    await store.getState().radiusClients.actions.open()
    expect(store.getState().radiusClients).toMatchObject({ loaded: true, loading: false, loadError: null, clients: [] })
  })

  it('adds a client without a secret: the secret the app made goes to the caller, not into the store', async () => {
    const api = fakeRadius([client('wifi')])
    store = createAppStore(fakeApi(api))
    await store.getState().radiusClients.actions.open()
    const answer = await store.getState().radiusClients.actions.add({ name: 'vpn-gateway', address: '10.0.0.0/8', require2fa: true })
    expect(api.addRadiusClient).toHaveBeenCalledWith({ name: 'vpn-gateway', address: '10.0.0.0/8', require2fa: true })
    expect(answer).toMatchObject({ client: { name: 'vpn-gateway' }, secret: SECRET })
    const slice = store.getState().radiusClients
    expect(slice.clients.map((c) => c.name)).toEqual(['vpn-gateway', 'wifi'])
    expect(slice.status.add.success).toBe('vpn-gateway was added.')
    expect(JSON.stringify(store.getState())).not.toContain(SECRET)
  })

  it('adds a client with its own secret: nothing to show', async () => {
    const api = fakeRadius()
    store = createAppStore(fakeApi(api))
    await store.getState().radiusClients.actions.open()
    const own = 'our own shared secret 2026'
    const answer = await store.getState().radiusClients.actions.add({ name: 'fw', address: '192.0.2.1', secret: own, require2fa: false })
    expect(answer?.secret).toBeNull()
    expect(api.addRadiusClient.mock.calls[0]?.[0]).toMatchObject({ secret: own })
    expect(JSON.stringify(store.getState())).not.toContain(own)
  })

  it('says why a client was refused and marks the field; a new attempt starts clean', async () => {
    const api = fakeRadius([client('vpn')])
    store = createAppStore(fakeApi(api))
    await store.getState().radiusClients.actions.open()
    expect(await store.getState().radiusClients.actions.add({ name: 'vpn', address: '192.0.2.2', require2fa: false })).toBeNull()
    expect(store.getState().radiusClients.status.add.error).toBe('There is already a RADIUS client named vpn.')
    expect(store.getState().radiusClients.invalidField).toBe('name')
    store.getState().radiusClients.actions.resetAdd()
    expect(store.getState().radiusClients.invalidField).toBeNull()
    expect(store.getState().radiusClients.status.add.error).toBeNull()
  })

  it('removes a client', async () => {
    const api = fakeRadius([client('vpn'), client('wifi')])
    store = createAppStore(fakeApi(api))
    await store.getState().radiusClients.actions.open()
    expect(await store.getState().radiusClients.actions.remove('vpn')).toBe(true)
    expect(api.removeRadiusClient).toHaveBeenCalledWith({ name: 'vpn' })
    expect(store.getState().radiusClients.clients.map((c) => c.name)).toEqual(['wifi'])
    expect(store.getState().radiusClients.status.remove.success).toMatch(/^vpn was removed/)
  })

  it('fetches the list again in place when the change stamp moved on this screen', async () => {
    vi.useFakeTimers()
    const api = fakeRadius([client('vpn')])
    let stamp = 'one'
    store = createAppStore(fakeApi({ ...api, getChangeStamp: async () => ok({ stamp }) }))
    store.getState().nav.actions.navigate({ name: 'radius-clients' })
    store.getState().changes.actions.start(true)
    await store.getState().radiusClients.actions.open()
    await vi.advanceTimersByTimeAsync(0)
    api.listRadiusClients.mockClear()

    // Added from the command line.
    api.set([client('vpn'), client('switch', { address: '198.51.100.0/24' })])
    stamp = 'two'
    await vi.advanceTimersByTimeAsync(2_000)
    expect(api.listRadiusClients).toHaveBeenCalledTimes(1)
    expect(store.getState().radiusClients.clients.map((c) => c.name)).toEqual(['vpn', 'switch'])
  })
})
