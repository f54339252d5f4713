// Which screen is shown inside the signed-in shell. No router: a view and its params.
import { create } from 'zustand'
import type { TwoFactorStatus } from '../../../shared/domain'

export type View =
  | { name: 'users'; status?: TwoFactorStatus }
  | { name: 'user-details'; userId: number }
  | { name: 'security' }
  | { name: 'audit' }
  | { name: 'my-account' }
  | { name: 'activate-two-factor' }

interface NavState {
  view: View
  navigate: (view: View) => void
}

export const useNavStore = create<NavState>()((set) => ({
  view: { name: 'my-account' },
  navigate: (view) => set({ view })
}))
