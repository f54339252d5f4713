// Account > Security's trend: the 2FA distribution of each recorded day, with
// the enforcement changes and deadlines, over the last 90 days.
import type { TwoFactorHistory } from '../../../../shared/contract/history'
import { runAction } from '../action-status'
import { latestOnly } from '../latest'
import type { SliceCreator } from '../app-state'

export interface HistorySlice {
  history: TwoFactorHistory | null
  loading: boolean
  loadError: string | null

  actions: {
    load: () => Promise<void>
    /** Something changed (an enforcement, a window elsewhere): fetch again in place, without showing a load. */
    refresh: () => Promise<void>
  }
}

export const createHistorySlice: SliceCreator<'history'> = ({ set, get, call }) => {
  // An answer that a later load or refresh overtook is dropped.
  const requests = latestOnly()
  return {
    history: null,
    loading: false,
    loadError: null,

    actions: {
      load: async () => {
        const ticket = requests.next()
        await runAction({
          show: ({ pending, error }) => set({ loading: pending, loadError: error }),
          send: () => call('getTwoFactorHistory', {}),
          keep: (history) => set({ history }),
          isCurrent: ticket.isLatest
        })
      },

      refresh: async () => {
        if (get().loading || get().history === null) return
        const ticket = requests.next()
        const result = await call('getTwoFactorHistory', {})
        if (result.ok && ticket.isLatest()) set({ history: result.value })
      }
    }
  }
}
