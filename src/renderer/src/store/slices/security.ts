// Account > Security: the 2FA distribution and enforcement for all users.
import type { SecurityOverview } from '../../../../shared/domain'
import type { SliceCreator } from '../app-state'
import { failed, IDLE, PENDING, succeeded, type FormStatus } from '../form-status'

export interface SecuritySlice {
  overview: SecurityOverview | null
  loading: boolean
  loadError: string | null
  change: FormStatus

  actions: {
    load: () => Promise<void>
    enforceForAllUsers: () => Promise<boolean>
    revokeEnforcement: () => Promise<boolean>
    clearChange: () => void
  }
}

export const createSecuritySlice: SliceCreator<'security'> = ({ set, call }) => ({
  overview: null,
  loading: false,
  loadError: null,
  change: IDLE,

  actions: {
    load: async () => {
      set({ loading: true, loadError: null })
      const result = await call('getSecurityOverview', {})
      if (result.ok) set({ loading: false, overview: result.value })
      else set({ loading: false, loadError: result.error.message })
    },

    enforceForAllUsers: async () => {
      set({ change: PENDING })
      const result = await call('enforceForAllUsers', {})
      if (!result.ok) {
        set({ change: failed(result.error) })
        return false
      }
      set({ overview: result.value, change: succeeded('2FA is now enforced for all users. Users without 2FA have to activate it at their next login.') })
      return true
    },

    revokeEnforcement: async () => {
      set({ change: PENDING })
      const result = await call('revokeEnforcement', {})
      if (!result.ok) {
        set({ change: failed(result.error) })
        return false
      }
      set({ overview: result.value, change: succeeded('Enforcement for all users was revoked.') })
      return true
    },

    clearChange: () => set({ change: IDLE })
  }
})
