// "Confirm it's you" in the screens: any action that answers REAUTH_REQUIRED
// opens one dialog, and once the person re-authenticates the action is sent again, once.
import { renderToStaticMarkup } from 'react-dom/server'
import { describe, expect, it, vi } from 'vitest'
import type { ApiError, Result } from '../../../src/shared/errors'
import { ReauthDialog } from '../../../src/renderer/src/components/ReauthDialog'
import { WarningBanner } from '../../../src/renderer/src/components/Messages'
import { createAppStore, type AppStore } from '../../../src/renderer/src/store/app-store'
import { fakeApi } from './support/fake-api'

const REAUTH: ApiError = { code: 'REAUTH_REQUIRED', message: "Confirm it's you." }
const OVERVIEW = { distribution: { total: 1, active: 1, pending: 0, inactive: 0, overdue: 0 }, enforcedForAll: true, enforcedSince: 1, enforcedBy: 'a', deadline: 1, exemptionGroup: null, wouldBecomePending: 0, wouldBecomeInactive: 0 }

/**
 * A signed-in app store over a fake app: enforceForAllUsers answers from a
 * script; reauthenticate accepts 123456 or the right password.
 */
function fakeApp(enforceAnswers: Result<unknown>[]) {
  const calls: { method: string; input: unknown }[] = []
  const reauthenticate = vi.fn(async (input: { password?: string; code?: string }): Promise<Result<null>> => {
    calls.push({ method: 'reauthenticate', input })
    if (input.code === '123456' || input.password === 'right password') return { ok: true, value: null }
    if (input.code === '999999') return { ok: false, error: { code: 'ACCOUNT_LOCKED', message: 'Too many failed attempts.' } }
    return { ok: false, error: { code: 'INVALID_CODE', message: 'That code is not correct.' } }
  })
  const enforceForAllUsers = vi.fn(async (): Promise<Result<unknown>> => {
    calls.push({ method: 'enforceForAllUsers', input: {} })
    return enforceAnswers.shift() ?? { ok: true, value: OVERVIEW }
  })
  const store = createAppStore(fakeApi({ reauthenticate, enforceForAllUsers }))
  store.setState((state) => ({ session: { ...state.session, phase: 'signed-in', notice: null } }))
  const reauth = () => store.getState().reauth
  /** Account > Security's button, as the screen presses it: true once it went through. */
  const enforceForAll = () => store.getState().security.actions.enforceForAllUsers()
  return { store, calls, enforceForAllUsers, reauthenticate, reauth, enforceForAll }
}

async function dialogOpened(store: AppStore): Promise<void> {
  await vi.waitFor(() => expect(store.getState().reauth.open).toBe(true))
}

describe('an action that needs a fresh password or code', () => {
  it('opens "Confirm it\'s you", re-authenticates with a code, then sends the action once more', async () => {
    const app = fakeApp([{ ok: false, error: REAUTH }])
    const pending = app.enforceForAll()
    await dialogOpened(app.store)
    expect(app.reauth().method).toBe('code')
    await app.reauth().actions.submit('123456')
    await expect(pending).resolves.toBe(true)
    expect(app.store.getState().security.overview).toEqual(OVERVIEW)
    expect(app.calls.map((call) => call.method)).toEqual(['enforceForAllUsers', 'reauthenticate', 'enforceForAllUsers'])
    expect(app.calls[1]?.input).toEqual({ code: '123456' })
    expect(app.reauth().open).toBe(false)
  })

  it('keeps the dialog open after a wrong answer, and accepts the password instead', async () => {
    const app = fakeApp([{ ok: false, error: REAUTH }])
    const pending = app.enforceForAll()
    await dialogOpened(app.store)
    await app.reauth().actions.submit('000000')
    expect(app.reauth()).toMatchObject({ open: true, pending: false, error: 'That code is not correct.' })
    expect(app.enforceForAllUsers).toHaveBeenCalledTimes(1)
    app.reauth().actions.switchMethod('password')
    expect(app.reauth().error).toBeNull()
    await app.reauth().actions.submit('right password')
    expect(app.calls[2]).toEqual({ method: 'reauthenticate', input: { password: 'right password' } })
    await expect(pending).resolves.toBe(true)
  })

  it('Cancel sends nothing more and leaves the refusal for the screen to show', async () => {
    const app = fakeApp([{ ok: false, error: REAUTH }])
    const pending = app.enforceForAll()
    await dialogOpened(app.store)
    app.reauth().actions.cancel()
    await expect(pending).resolves.toBe(false)
    expect(app.store.getState().security.change).toEqual({ pending: false, error: REAUTH.message, success: null })
    expect(app.enforceForAllUsers).toHaveBeenCalledTimes(1)
    expect(app.reauthenticate).not.toHaveBeenCalled()
  })

  it('retries only once: a second refusal is returned, not asked again', async () => {
    const app = fakeApp([
      { ok: false, error: REAUTH },
      { ok: false, error: REAUTH }
    ])
    const pending = app.enforceForAll()
    await dialogOpened(app.store)
    await app.reauth().actions.submit('123456')
    await expect(pending).resolves.toBe(false)
    expect(app.store.getState().security.change.error).toBe(REAUTH.message)
    expect(app.enforceForAllUsers).toHaveBeenCalledTimes(2)
    expect(app.reauth().open).toBe(false)
  })

  it('two refused actions share one dialog and both go again', async () => {
    const app = fakeApp([
      { ok: false, error: REAUTH },
      { ok: false, error: REAUTH }
    ])
    const first = app.enforceForAll()
    const second = app.enforceForAll()
    await dialogOpened(app.store)
    await vi.waitFor(() => expect(app.enforceForAllUsers).toHaveBeenCalledTimes(2))
    await app.reauth().actions.submit('123456')
    await expect(first).resolves.toBe(true)
    await expect(second).resolves.toBe(true)
    expect(app.reauthenticate).toHaveBeenCalledTimes(1)
  })

  it('a lockout closes the dialog and returns to Log in with the reason', async () => {
    const app = fakeApp([{ ok: false, error: REAUTH }])
    const pending = app.enforceForAll()
    await dialogOpened(app.store)
    await app.reauth().actions.submit('999999')
    await expect(pending).resolves.toBe(false)
    expect(app.store.getState().security.change.error).toBe(REAUTH.message)
    expect(app.reauth().open).toBe(false)
    expect(app.store.getState().session).toMatchObject({ phase: 'login', notice: 'Too many failed attempts.' })
  })

  it('signing out while the dialog is open cancels it', async () => {
    const app = fakeApp([{ ok: false, error: REAUTH }])
    const pending = app.enforceForAll()
    await dialogOpened(app.store)
    app.store.setState((state) => ({ session: { ...state.session, phase: 'login' } }))
    await expect(pending).resolves.toBe(false)
    expect(app.store.getState().security.change.error).toBe(REAUTH.message)
    expect(app.reauth().open).toBe(false)
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
