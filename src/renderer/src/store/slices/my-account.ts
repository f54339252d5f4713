// My account: own 2FA status, deactivation, new recovery codes, password.
import type { MyAccount } from '../../../../shared/domain'
import type { SliceCreator } from '../app-state'
import { failed, IDLE, PENDING, succeeded, type FormStatus } from '../form-status'

export type MyAccountAction = 'deactivate' | 'regenerate' | 'password'

export interface MyAccountSlice {
  account: MyAccount | null
  loading: boolean
  loadError: string | null
  actionStatus: Record<MyAccountAction, FormStatus>
  /** New recovery codes, shown once until the person continues. */
  newRecoveryCodes: string[] | null

  actions: {
    /** keepMessages: reload after an action without clearing its success note. */
    load: (options?: { keepMessages?: boolean }) => Promise<void>
    deactivate: (code: string) => Promise<boolean>
    regenerateRecoveryCodes: (code: string) => Promise<boolean>
    dismissRecoveryCodes: () => void
    changePassword: (currentPassword: string, newPassword: string) => Promise<boolean>
    clearAction: (action: MyAccountAction) => void
  }
}

const NO_ACTIONS: Record<MyAccountAction, FormStatus> = { deactivate: IDLE, regenerate: IDLE, password: IDLE }

export const createMyAccountSlice: SliceCreator<'myAccount'> = ({ set, get, call }) => ({
  account: null,
  loading: false,
  loadError: null,
  actionStatus: NO_ACTIONS,
  newRecoveryCodes: null,

  actions: {
    load: async (options) => {
      set(options?.keepMessages ? { loading: true, loadError: null } : { loading: true, loadError: null, actionStatus: NO_ACTIONS })
      const result = await call('getMyAccount', {})
      if (result.ok) set({ loading: false, account: result.value })
      else set({ loading: false, loadError: result.error.message })
    },

    deactivate: async (code) => {
      set({ actionStatus: { ...NO_ACTIONS, deactivate: PENDING } })
      const result = await call('deactivateMyTwoFactor', { code })
      if (!result.ok) {
        set({ actionStatus: { ...NO_ACTIONS, deactivate: failed(result.error) } })
        return false
      }
      set({ account: result.value, actionStatus: { ...NO_ACTIONS, deactivate: succeeded('2FA was deactivated for your account.') } })
      return true
    },

    regenerateRecoveryCodes: async (code) => {
      set({ actionStatus: { ...NO_ACTIONS, regenerate: PENDING } })
      const result = await call('regenerateRecoveryCodes', { code })
      if (!result.ok) {
        set({ actionStatus: { ...NO_ACTIONS, regenerate: failed(result.error) } })
        return false
      }
      set({ newRecoveryCodes: result.value.recoveryCodes, actionStatus: { ...NO_ACTIONS, regenerate: succeeded() } })
      return true
    },

    dismissRecoveryCodes: () => {
      set({ newRecoveryCodes: null, actionStatus: { ...NO_ACTIONS, regenerate: succeeded('New recovery codes are active. The old ones no longer work.') } })
      void get().actions.load({ keepMessages: true })
    },

    changePassword: async (currentPassword, newPassword) => {
      set({ actionStatus: { ...NO_ACTIONS, password: PENDING } })
      const result = await call('changePassword', { currentPassword, newPassword })
      if (!result.ok) {
        set({ actionStatus: { ...NO_ACTIONS, password: failed(result.error) } })
        return false
      }
      set({ actionStatus: { ...NO_ACTIONS, password: succeeded('Your password was changed.') } })
      return true
    },

    clearAction: (action) => set((state) => ({ actionStatus: { ...state.actionStatus, [action]: IDLE } }))
  }
})
