// My account: own 2FA status, deactivation, new recovery codes, password.
import { create } from 'zustand'
import type { MyAccount } from '../../../shared/domain'
import { callApi } from '../api/call-api'
import { failed, IDLE, PENDING, succeeded, type FormStatus } from './form-status'

type Action = 'deactivate' | 'regenerate' | 'password'

interface MyAccountState {
  account: MyAccount | null
  loading: boolean
  loadError: string | null
  actions: Record<Action, FormStatus>
  /** New recovery codes, shown once until the person continues. */
  newRecoveryCodes: string[] | null

  /** keepMessages: reload after an action without clearing its success note. */
  load: (options?: { keepMessages?: boolean }) => Promise<void>
  deactivate: (code: string) => Promise<boolean>
  regenerateRecoveryCodes: (code: string) => Promise<boolean>
  dismissRecoveryCodes: () => void
  changePassword: (currentPassword: string, newPassword: string) => Promise<boolean>
  clearAction: (action: Action) => void
}

const NO_ACTIONS: Record<Action, FormStatus> = { deactivate: IDLE, regenerate: IDLE, password: IDLE }

export const useMyAccountStore = create<MyAccountState>()((set, get) => ({
  account: null,
  loading: false,
  loadError: null,
  actions: NO_ACTIONS,
  newRecoveryCodes: null,

  load: async (options) => {
    set(options?.keepMessages ? { loading: true, loadError: null } : { loading: true, loadError: null, actions: NO_ACTIONS })
    const result = await callApi('getMyAccount', {})
    if (result.ok) set({ loading: false, account: result.value })
    else set({ loading: false, loadError: result.error.message })
  },

  deactivate: async (code) => {
    set({ actions: { ...NO_ACTIONS, deactivate: PENDING } })
    const result = await callApi('deactivateMyTwoFactor', { code })
    if (!result.ok) {
      set({ actions: { ...NO_ACTIONS, deactivate: failed(result.error) } })
      return false
    }
    set({ account: result.value, actions: { ...NO_ACTIONS, deactivate: succeeded('2FA was deactivated for your account.') } })
    return true
  },

  regenerateRecoveryCodes: async (code) => {
    set({ actions: { ...NO_ACTIONS, regenerate: PENDING } })
    const result = await callApi('regenerateRecoveryCodes', { code })
    if (!result.ok) {
      set({ actions: { ...NO_ACTIONS, regenerate: failed(result.error) } })
      return false
    }
    set({ newRecoveryCodes: result.value.recoveryCodes, actions: { ...NO_ACTIONS, regenerate: succeeded() } })
    return true
  },

  dismissRecoveryCodes: () => {
    set({ newRecoveryCodes: null, actions: { ...NO_ACTIONS, regenerate: succeeded('New recovery codes are active. The old ones no longer work.') } })
    void get().load({ keepMessages: true })
  },

  changePassword: async (currentPassword, newPassword) => {
    set({ actions: { ...NO_ACTIONS, password: PENDING } })
    const result = await callApi('changePassword', { currentPassword, newPassword })
    if (!result.ok) {
      set({ actions: { ...NO_ACTIONS, password: failed(result.error) } })
      return false
    }
    set({ actions: { ...NO_ACTIONS, password: succeeded('Your password was changed.') } })
    return true
  },

  clearAction: (action) => set((state) => ({ actions: { ...state.actions, [action]: IDLE } }))
}))
