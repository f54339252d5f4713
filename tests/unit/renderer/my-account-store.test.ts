// My account in the store over a fake window.api: a deactivation the app
// refuses (2FA enforced meanwhile) shows its refusal only together with the
// account as it now is, so Deactivate is never offered beside the reason it
// cannot be.
import { describe, expect, it } from 'vitest'
import type { MyAccount } from '../../../src/shared/domain'
import type { Result } from '../../../src/shared/errors'
import { createAppStore } from '../../../src/renderer/src/store/app-store'
import { fakeApi } from './support/fake-api'

const ACTIVE: MyAccount = {
  me: { id: 7, name: 'Tom Jones', email: 'tom@example.com', role: 'user' },
  status: 'active',
  enforced: false,
  enforcementSource: 'policy',
  deadline: null,
  canDeactivate: true,
  activeSince: Date.UTC(2026, 2, 1),
  recoveryCodesRemaining: 10
}
const ENFORCED: MyAccount = { ...ACTIVE, enforced: true, enforcementSource: 'individual', canDeactivate: false }
const REFUSED = 'An administrator enforces 2FA for your account: you cannot deactivate it.'

const later = <T>(value: T, ms: number) => new Promise<T>((resolve) => setTimeout(() => resolve(value), ms))

describe('the My account slice', () => {
  it('shows a refused deactivation only with the account as it now is', async () => {
    let answer: MyAccount = ACTIVE
    const store = createAppStore(
      fakeApi({
        getMyAccount: () => later<Result<MyAccount>>({ ok: true, value: answer }, 20),
        deactivateMyTwoFactor: async () => {
          answer = ENFORCED
          return { ok: false, error: { code: 'FORBIDDEN', message: REFUSED } }
        }
      })
    )
    await store.getState().myAccount.actions.load()
    expect(store.getState().myAccount.account?.canDeactivate).toBe(true)
    const seen: (MyAccount | null)[] = []
    const unsubscribe = store.subscribe((state) => {
      if (state.myAccount.actionStatus.deactivate.error !== null) seen.push(state.myAccount.account)
    })
    expect(await store.getState().myAccount.actions.deactivate('123456')).toBe(false)
    unsubscribe()
    expect(store.getState().myAccount.actionStatus.deactivate.error).toBe(REFUSED)
    expect(seen.length).toBeGreaterThan(0)
    expect(seen.every((account) => account?.canDeactivate === false)).toBe(true)
  })

  it('keeps the account a deactivation answers with', async () => {
    const inactive: MyAccount = { ...ACTIVE, status: 'inactive', activeSince: null }
    const store = createAppStore(fakeApi({ getMyAccount: async () => ({ ok: true, value: ACTIVE }), deactivateMyTwoFactor: async () => ({ ok: true, value: inactive }) }))
    await store.getState().myAccount.actions.load()
    expect(await store.getState().myAccount.actions.deactivate('123456')).toBe(true)
    expect(store.getState().myAccount).toMatchObject({ account: inactive, actionStatus: { deactivate: { success: '2FA was deactivated for your account.' } } })
  })
})
