// The one IPC wrapper: only our window on our page gets through, each window
// has its own session holder, payloads are validated, nothing is thrown.
import { describe, expect, it, vi } from 'vitest'

vi.mock('electron', () => ({ ipcMain: { handle: vi.fn(), removeHandler: vi.fn() } }))

import { API_METHODS } from '../../../src/shared/contract'
import { ipcChannel } from '../../../src/shared/transport'
import type { Caller } from '../../../src/main/core/caller'
import { createDispatch, type Dispatch, type ServiceHandlers } from '../../../src/main/core/dispatch'
import { isTrustedUrl, trustedOrigins } from '../../../src/main/electron/app-origin'
import { isTrustedSender, WindowSessions, type IpcInvokeEventLike } from '../../../src/main/ipc/ipc-handler'
import { registerIpc } from '../../../src/main/ipc/register-ipc'

const MAIN_WINDOW_ID = 7
const origins = trustedOrigins(undefined)

class FakeSender {
  private readonly destroyedListeners: Array<() => void> = []
  constructor(readonly id: number) {}
  once(_event: 'destroyed', listener: () => void): this {
    this.destroyedListeners.push(listener)
    return this
  }
  destroy(): void {
    for (const listener of this.destroyedListeners.splice(0)) listener()
  }
}

function event(sender: FakeSender, url: string | null = 'app://twofa-admin/index.html'): IpcInvokeEventLike {
  return { sender, senderFrame: url === null ? null : { url } }
}

/** Handlers that record who called; every method answers with the caller's session id. */
function recordingHandlers(calls: Array<{ method: string; caller: Caller; input: unknown }>): ServiceHandlers {
  const handlers: Record<string, (caller: Caller, input: unknown) => Promise<unknown>> = {}
  for (const method of API_METHODS) {
    handlers[method] = async (caller, input) => {
      calls.push({ method, caller, input })
      if (method === 'login' && caller.kind === 'session') caller.holder.sessionId = `session-${calls.length}`
      return caller.kind === 'session' ? caller.holder.sessionId : null
    }
  }
  return handlers as unknown as ServiceHandlers
}

function setUp(dispatchOverride?: Dispatch) {
  const handles = new Map<string, (event: unknown, payload: unknown) => Promise<unknown>>()
  const ipcMain = {
    handle: vi.fn((channel: string, listener: (event: unknown, payload: unknown) => Promise<unknown>) => {
      handles.set(channel, listener)
    }),
    removeHandler: vi.fn((channel: string) => {
      handles.delete(channel)
    })
  }
  const calls: Array<{ method: string; caller: Caller; input: unknown }> = []
  const windowGone = vi.fn()
  const sessions = new WindowSessions(windowGone)
  const dispatch = dispatchOverride ?? createDispatch(recordingHandlers(calls))
  const unregister = registerIpc(ipcMain as never, {
    dispatch,
    isTrustedSender: (e) => isTrustedSender(e, { mainWebContentsId: () => MAIN_WINDOW_ID, isTrustedUrl: (url) => isTrustedUrl(url, origins) }),
    holderFor: (sender) => sessions.holderFor(sender)
  })
  const invoke = (method: string, e: IpcInvokeEventLike, payload: unknown) => {
    const listener = handles.get(ipcChannel(method as never))
    if (!listener) throw new Error(`no handler for ${method}`)
    return listener(e, payload)
  }
  return { ipcMain, handles, calls, sessions, windowGone, invoke, unregister }
}

describe('registerIpc', () => {
  it('registers exactly one channel per contract method, and removes them again', () => {
    const { ipcMain, handles, unregister } = setUp()
    expect([...handles.keys()].sort()).toEqual(API_METHODS.map((method) => ipcChannel(method)).sort())
    expect(ipcMain.handle).toHaveBeenCalledTimes(API_METHODS.length)
    unregister()
    expect(handles.size).toBe(0)
  })

  it('passes a call from our window on our page to the core with that window’s session', async () => {
    const { invoke, calls } = setUp()
    const window = new FakeSender(MAIN_WINDOW_ID)
    const result = await invoke('login', event(window), { email: 'Ada@Example.com', password: 'secret password' })
    expect(result).toEqual({ ok: true, value: 'session-1' })
    // The payload arrives validated and normalised by the contract's schema.
    expect(calls[0]).toMatchObject({ method: 'login', input: { email: 'ada@example.com', password: 'secret password' } })
    expect(calls[0]?.caller.kind).toBe('session')
  })

  it('refuses a call from a foreign frame with FORBIDDEN, without reaching the core', async () => {
    const { invoke, calls } = setUp()
    const window = new FakeSender(MAIN_WINDOW_ID)
    for (const url of ['https://evil.example/', 'file:///tmp/page.html', 'app://other/index.html', 'about:blank', null]) {
      const result = await invoke('listUsers', event(window, url), {})
      expect(result, String(url)).toMatchObject({ ok: false, error: { code: 'FORBIDDEN' } })
    }
    expect(calls).toHaveLength(0)
  })

  it('refuses a call from any other WebContents, even one showing our page', async () => {
    const { invoke, calls } = setUp()
    const result = await invoke('getAppState', event(new FakeSender(99)), {})
    expect(result).toMatchObject({ ok: false, error: { code: 'FORBIDDEN' } })
    expect(calls).toHaveLength(0)
  })

  it('answers a bad payload with a VALIDATION error, without reaching the handler', async () => {
    const { invoke, calls } = setUp()
    const window = new FakeSender(MAIN_WINDOW_ID)
    expect(await invoke('login', event(window), { email: 42, password: 'x' })).toMatchObject({ ok: false, error: { code: 'VALIDATION' } })
    expect(await invoke('getUser', event(window), { userId: 'me' })).toMatchObject({ ok: false, error: { code: 'VALIDATION', field: 'userId' } })
    expect(await invoke('logout', event(window), { sessionId: 'forged' })).toMatchObject({ ok: false, error: { code: 'VALIDATION' } })
    expect(await invoke('listUsers', event(window), 'not an object')).toMatchObject({ ok: false, error: { code: 'VALIDATION' } })
    expect(calls).toHaveLength(0)
  })

  it('keeps one session holder per window and drops it when the window is destroyed', async () => {
    const { invoke, calls, sessions, windowGone } = setUp()
    const window = new FakeSender(MAIN_WINDOW_ID)
    await invoke('login', event(window), { email: 'a@example.com', password: 'pw' })
    expect(await invoke('getMyAccount', event(window), {})).toEqual({ ok: true, value: 'session-1' })
    expect(calls[1]?.caller).toEqual(calls[0]?.caller)
    expect(sessions.size).toBe(1)
    window.destroy()
    expect(sessions.size).toBe(0)
    expect(windowGone).toHaveBeenCalledWith({ sessionId: 'session-1' })
    // A new WebContents reusing the id starts signed out.
    expect(await invoke('getMyAccount', event(new FakeSender(MAIN_WINDOW_ID)), {})).toEqual({ ok: true, value: null })
  })

  it('never throws across the bridge, even when the core does', async () => {
    const throwing: Dispatch = () => {
      throw new Error('boom')
    }
    const { invoke } = setUp(throwing)
    const result = await invoke('getAppState', event(new FakeSender(MAIN_WINDOW_ID)), {})
    expect(result).toMatchObject({ ok: false, error: { code: 'INTERNAL' } })
    expect(JSON.stringify(result)).not.toContain('boom')
  })

  it('refuses everything while there is no main window', async () => {
    const e = event(new FakeSender(MAIN_WINDOW_ID))
    expect(isTrustedSender(e, { mainWebContentsId: () => undefined, isTrustedUrl: () => true })).toBe(false)
  })
})
