// Which screen is shown inside the signed-in shell. No router: a view and its params.
import type { TwoFactorStatus } from '../../../../shared/domain'
import type { SliceCreator } from '../app-state'

export type View =
  | { name: 'users'; status?: TwoFactorStatus }
  | { name: 'user-details'; userId: number }
  | { name: 'security' }
  | { name: 'directory-sync' }
  | { name: 'radius-clients' }
  | { name: 'groups' }
  | { name: 'group-details'; groupId: number }
  | { name: 'audit' }
  | { name: 'my-account' }
  | { name: 'activate-two-factor' }

export interface NavSlice {
  view: View
  actions: {
    navigate: (view: View) => void
  }
}

export const createNavSlice: SliceCreator<'nav'> = ({ set }) => ({
  view: { name: 'my-account' },
  actions: {
    navigate: (view) => set({ view })
  }
})
