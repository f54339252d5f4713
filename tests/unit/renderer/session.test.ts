// Where the person stands, over a fake app: signing in lands on the right
// screen, and each way out of a session says why on the Log in screen.
import { describe, expect, it, vi } from 'vitest'
import type { AuthStep, Me } from '../../../src/shared/domain'
import type { Result } from '../../../src/shared/errors'
import { createAppStore } from '../../../src/renderer/src/store/app-store'
import { fakeApi } from './support/fake-api'

const ADA: Me = { id: 1, name: 'Ada', email: 'ada@example.com', role: 'admin' }
const TOM: Me = { id: 2, name: 'Tom', email: 'tom@example.com', role: 'user' }

function signedInApp(me: Me = ADA) {
  const logout = vi.fn(async (_input: { reason?: 'idle' }): Promise<Result<null>> => ({ ok: true, value: null }))
  const login = vi.fn(async (): Promise<Result<AuthStep>> => ({ ok: true, value: { step: 'signed-in', me } }))
  const getMyAccount = vi.fn(async (): Promise<Result<unknown>> => ({ ok: false, error: { code: 'SESSION_EXPIRED', message: 'Your session expired. Log in again.' } }))
  const store = createAppStore(fakeApi({ logout, login, getMyAccount }))
  store.setState((state) => ({ session: { ...state.session, phase: 'login' } }))
  return { store, logout, login, session: () => store.getState().session }
}

describe('the session', () => {
  it('lands an administrator on Account > Users and anyone else on My account', async () => {
    const admin = signedInApp(ADA)
    await admin.session().actions.login(ADA.email, 'pw')
    expect(admin.session()).toMatchObject({ phase: 'signed-in', me: ADA })
    expect(admin.store.getState().nav.view).toEqual({ name: 'users' })

    const user = signedInApp(TOM)
    await user.session().actions.login(TOM.email, 'pw')
    expect(user.store.getState().nav.view).toEqual({ name: 'my-account' })
  })

  it('Log out tells the app nothing more; the idle sign-out tells it the session expired', async () => {
    const app = signedInApp()
    await app.session().actions.login(ADA.email, 'pw')
    await app.session().actions.logout()
    expect(app.logout).toHaveBeenLastCalledWith({})
    expect(app.session()).toMatchObject({ phase: 'login', me: null, notice: null })

    await app.session().actions.login(ADA.email, 'pw')
    await app.session().actions.signOutAfterInactivity()
    expect(app.logout).toHaveBeenLastCalledWith({ reason: 'idle' })
    expect(app.session()).toMatchObject({ phase: 'login', me: null, notice: 'You were signed out after 15 minutes of inactivity.' })
  })

  it('a call that finds the session gone returns to Log in with the reason', async () => {
    const app = signedInApp()
    await app.session().actions.login(ADA.email, 'pw')
    await app.store.getState().myAccount.actions.load()
    expect(app.session()).toMatchObject({ phase: 'login', me: null, notice: 'Your session expired. Log in again.' })
  })
})
