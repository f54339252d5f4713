// Account > Security: the 2FA distribution and enforcement for all users.
import type { SecurityOverview } from '../../../../shared/domain'
import { IDLE, runAction, type ActionStatus } from '../action-status'
import type { SliceCreator } from '../app-state'

export interface SecuritySlice {
  overview: SecurityOverview | null
  loading: boolean
  loadError: string | null
  change: ActionStatus

  actions: {
    load: () => Promise<void>
    /** The directory changed: fetch the counts again, without showing a load. */
    refresh: () => Promise<void>
    enforceForAllUsers: () => Promise<boolean>
    revokeEnforcement: () => Promise<boolean>
    clearChange: () => void
  }
}

export const createSecuritySlice: SliceCreator<'security'> = ({ set, get, call }) => {
  const change = async (method: 'enforceForAllUsers' | 'revokeEnforcement', success: string) => {
    const result = await runAction({
      show: (change) => set({ change }),
      send: () => call(method, {}),
      keep: (overview) => set({ overview }),
      success: () => success
    })
    return result?.ok === true
  }

  return {
    overview: null,
    loading: false,
    loadError: null,
    change: IDLE,

    actions: {
      load: async () => {
        await runAction({
          show: ({ pending, error }) => set({ loading: pending, loadError: error }),
          send: () => call('getSecurityOverview', {}),
          keep: (overview) => set({ overview })
        })
      },

      refresh: async () => {
        // A load or a change under way brings the counts as they are.
        if (get().loading || get().change.pending || get().overview === null) return
        const result = await call('getSecurityOverview', {})
        if (result.ok && !get().change.pending) set({ overview: result.value })
      },

      enforceForAllUsers: () => change('enforceForAllUsers', '2FA is now enforced for all users. Users without 2FA have to activate it at their next login.'),
      revokeEnforcement: () => change('revokeEnforcement', 'Enforcement for all users was revoked.'),

      clearChange: () => set({ change: IDLE })
    }
  }
}
