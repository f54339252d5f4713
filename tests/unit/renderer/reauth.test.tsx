// "Confirm it's you" in the screens: any action that answers REAUTH_REQUIRED
// opens one dialog, and once the person re-authenticates the action is sent again, once.
import { renderToStaticMarkup } from 'react-dom/server'
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import type { AdminApi } from '../../../src/shared/contract'
import type { ApiError, Result } from '../../../src/shared/errors'
import { callApi } from '../../../src/renderer/src/api/call-api'
import { ReauthDialog } from '../../../src/renderer/src/components/ReauthDialog'
import { WarningBanner } from '../../../src/renderer/src/components/Messages'
import { useReauthStore } from '../../../src/renderer/src/stores/reauth-store'
import { useSessionStore } from '../../../src/renderer/src/stores/session-store'

const REAUTH: ApiError = { code: 'REAUTH_REQUIRED', message: "Confirm it's you." }
const OVERVIEW = { distribution: { total: 1, active: 1, pending: 0, inactive: 0 }, enforcedForAll: true, enforcedSince: 1, enforcedBy: 'a', wouldBecomePending: 0, wouldBecomeInactive: 0 }

/** A fake app: enforceForAllUsers answers from a script; reauthenticate accepts 123456 or the right password. */
function fakeApi(enforceAnswers: Result<unknown>[]) {
  const calls: { method: string; input: unknown }[] = []
  const reauthenticate = vi.fn(async (input: { password?: string; code?: string }): Promise<Result<null>> => {
    calls.push({ method: 'reauthenticate', input })
    if (input.code === '123456' || input.password === 'right password') return { ok: true, value: null }
    if (input.code === '999999') return { ok: false, error: { code: 'ACCOUNT_LOCKED', message: 'Too many failed attempts.' } }
    return { ok: false, error: { code: 'INVALID_CODE', message: 'That code is not correct.' } }
  })
  const enforceForAllUsers = vi.fn(async () => {
    calls.push({ method: 'enforceForAllUsers', input: {} })
    return enforceAnswers.shift() ?? { ok: true, value: OVERVIEW }
  })
  vi.stubGlobal('window', { api: { reauthenticate, enforceForAllUsers } as unknown as AdminApi })
  return { calls, enforceForAllUsers, reauthenticate }
}

async function dialogOpened(): Promise<void> {
  await vi.waitFor(() => expect(useReauthStore.getState().open).toBe(true))
}

beforeEach(() => {
  useSessionStore.setState({ phase: 'signed-in', notice: null })
})
afterEach(() => {
  if (useReauthStore.getState().open) useReauthStore.getState().cancel()
  vi.unstubAllGlobals()
})

describe('an action that needs a fresh password or code', () => {
  it('opens "Confirm it\'s you", re-authenticates with a code, then sends the action once more', async () => {
    const api = fakeApi([{ ok: false, error: REAUTH }])
    const pending = callApi('enforceForAllUsers', {})
    await dialogOpened()
    expect(useReauthStore.getState().method).toBe('code')
    await useReauthStore.getState().submit('123456')
    await expect(pending).resolves.toEqual({ ok: true, value: OVERVIEW })
    expect(api.calls.map((call) => call.method)).toEqual(['enforceForAllUsers', 'reauthenticate', 'enforceForAllUsers'])
    expect(api.calls[1]?.input).toEqual({ code: '123456' })
    expect(useReauthStore.getState().open).toBe(false)
  })

  it('keeps the dialog open after a wrong answer, and accepts the password instead', async () => {
    const api = fakeApi([{ ok: false, error: REAUTH }])
    const pending = callApi('enforceForAllUsers', {})
    await dialogOpened()
    await useReauthStore.getState().submit('000000')
    expect(useReauthStore.getState()).toMatchObject({ open: true, pending: false, error: 'That code is not correct.' })
    expect(api.enforceForAllUsers).toHaveBeenCalledTimes(1)
    useReauthStore.getState().switchMethod('password')
    expect(useReauthStore.getState().error).toBeNull()
    await useReauthStore.getState().submit('right password')
    expect(api.calls[2]).toEqual({ method: 'reauthenticate', input: { password: 'right password' } })
    await expect(pending).resolves.toMatchObject({ ok: true })
  })

  it('Cancel sends nothing more and leaves the refusal for the screen to show', async () => {
    const api = fakeApi([{ ok: false, error: REAUTH }])
    const pending = callApi('enforceForAllUsers', {})
    await dialogOpened()
    useReauthStore.getState().cancel()
    await expect(pending).resolves.toEqual({ ok: false, error: REAUTH })
    expect(api.enforceForAllUsers).toHaveBeenCalledTimes(1)
    expect(api.reauthenticate).not.toHaveBeenCalled()
  })

  it('retries only once: a second refusal is returned, not asked again', async () => {
    const api = fakeApi([
      { ok: false, error: REAUTH },
      { ok: false, error: REAUTH }
    ])
    const pending = callApi('enforceForAllUsers', {})
    await dialogOpened()
    await useReauthStore.getState().submit('123456')
    await expect(pending).resolves.toEqual({ ok: false, error: REAUTH })
    expect(api.enforceForAllUsers).toHaveBeenCalledTimes(2)
    expect(useReauthStore.getState().open).toBe(false)
  })

  it('two refused actions share one dialog and both go again', async () => {
    const api = fakeApi([
      { ok: false, error: REAUTH },
      { ok: false, error: REAUTH }
    ])
    const first = callApi('enforceForAllUsers', {})
    const second = callApi('enforceForAllUsers', {})
    await dialogOpened()
    await vi.waitFor(() => expect(api.enforceForAllUsers).toHaveBeenCalledTimes(2))
    await useReauthStore.getState().submit('123456')
    await expect(first).resolves.toMatchObject({ ok: true })
    await expect(second).resolves.toMatchObject({ ok: true })
    expect(api.reauthenticate).toHaveBeenCalledTimes(1)
  })

  it('a lockout closes the dialog and returns to Log in with the reason', async () => {
    fakeApi([{ ok: false, error: REAUTH }])
    const pending = callApi('enforceForAllUsers', {})
    await dialogOpened()
    await useReauthStore.getState().submit('999999')
    await expect(pending).resolves.toEqual({ ok: false, error: REAUTH })
    expect(useReauthStore.getState().open).toBe(false)
    expect(useSessionStore.getState()).toMatchObject({ phase: 'login', notice: 'Too many failed attempts.' })
  })

  it('signing out while the dialog is open cancels it', async () => {
    fakeApi([{ ok: false, error: REAUTH }])
    const pending = callApi('enforceForAllUsers', {})
    await dialogOpened()
    useSessionStore.setState({ phase: 'login' })
    await expect(pending).resolves.toEqual({ ok: false, error: REAUTH })
    expect(useReauthStore.getState().open).toBe(false)
  })
})

describe('ReauthDialog', () => {
  const noop = () => {}
  it('asks "Confirm it\'s you" for an authentication code, with the password as the alternative', () => {
    const html = renderToStaticMarkup(<ReauthDialog method="code" pending={false} error={null} onSubmit={noop} onSwitchMethod={noop} onCancel={noop} />)
    expect(html).toContain('Confirm it&#x27;s you')
    expect(html).toContain('Authentication code')
    expect(html).toContain('Use your password instead')
  })

  it('asks for the password, and shows what went wrong', () => {
    const html = renderToStaticMarkup(
      <ReauthDialog method="password" pending={false} error="That password is not correct." onSubmit={noop} onSwitchMethod={noop} onCancel={noop} />
    )
    expect(html).toContain('Your password')
    expect(html).toContain('type="password"')
    expect(html).toContain('role="alert"')
    expect(html).toContain('That password is not correct.')
    expect(html).toContain('Use an authentication code instead')
  })
})

describe('WarningBanner', () => {
  it('shows each installation warning as an alert, and nothing when there is none', () => {
    expect(renderToStaticMarkup(<WarningBanner warnings={[]} />)).toBe('')
    const html = renderToStaticMarkup(<WarningBanner warnings={['Warning: no OS keychain was found (basic_text).']} />)
    expect(html).toContain('role="alert"')
    expect(html).toContain('basic_text')
  })
})
