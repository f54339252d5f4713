// The preload exposes one object, window.api, built from the contract.
import { beforeEach, describe, expect, it, vi } from 'vitest'

const electron = vi.hoisted(() => ({
  contextBridge: { exposeInMainWorld: vi.fn() },
  ipcRenderer: { invoke: vi.fn(), send: vi.fn(), on: vi.fn() }
}))
vi.mock('electron', () => electron)

import { API_METHODS } from '../../../src/shared/contract'
import { ipcChannel } from '../../../src/shared/transport'
import { buildApi } from '../../../src/preload/build-api'

describe('preload', () => {
  beforeEach(() => {
    vi.resetModules()
    electron.contextBridge.exposeInMainWorld.mockReset()
    electron.ipcRenderer.invoke.mockReset()
  })

  it('exposes exactly one object, "api", whose keys are the contract methods', async () => {
    await import('../../../src/preload/index')
    expect(electron.contextBridge.exposeInMainWorld).toHaveBeenCalledTimes(1)
    const [name, api] = electron.contextBridge.exposeInMainWorld.mock.calls[0] as [string, Record<string, unknown>]
    expect(name).toBe('api')
    expect(Object.keys(api).sort()).toEqual([...API_METHODS].sort())
    for (const method of API_METHODS) expect(typeof api[method], method).toBe('function')
    // Neither ipcRenderer nor any of its functions reach the page.
    expect(Object.values(api)).not.toContain(electron.ipcRenderer)
    expect(Object.values(api)).not.toContain(electron.ipcRenderer.invoke)
  })

  it('invokes the method’s own channel with the input and returns the answer', async () => {
    electron.ipcRenderer.invoke.mockResolvedValue({ ok: true, value: { step: 'done' } })
    await import('../../../src/preload/index')
    const api = electron.contextBridge.exposeInMainWorld.mock.calls[0]?.[1] as Record<string, (input: unknown) => Promise<unknown>>
    const input = { email: 'ada@example.com', password: 'correct horse' }
    await expect(api.login?.(input)).resolves.toEqual({ ok: true, value: { step: 'done' } })
    expect(electron.ipcRenderer.invoke).toHaveBeenCalledWith('twofa-admin:login', input)
    expect(electron.ipcRenderer.invoke).toHaveBeenCalledTimes(1)
  })
})

describe('buildApi', () => {
  it('maps every method to its channel', async () => {
    const invoke = vi.fn(async (channel: string) => ({ ok: true, value: channel }))
    const api = buildApi(invoke)
    for (const method of API_METHODS) {
      await expect((api[method] as (input: unknown) => Promise<unknown>)({})).resolves.toEqual({ ok: true, value: ipcChannel(method) })
    }
    expect(invoke).toHaveBeenCalledTimes(API_METHODS.length)
    expect(Object.isFrozen(api)).toBe(true)
  })

  it('turns a failed bridge into a TRANSPORT error instead of a rejection', async () => {
    const api = buildApi(() => Promise.reject(new Error('No handler registered')))
    await expect(api.getAppState({})).resolves.toMatchObject({ ok: false, error: { code: 'TRANSPORT' } })
  })
})
