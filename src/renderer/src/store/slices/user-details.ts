// User details: profile, the Security section, Reset 2FA and Unlock.
import type { UpdateUserInput } from '../../../../shared/contract'
import type { UserDetails } from '../../../../shared/domain'
import type { Result } from '../../../../shared/errors'
import { IDLE, runAction, withStatus, type ActionStatus } from '../action-status'
import type { SliceCreator } from '../app-state'
import { latestOnly } from '../latest'

export type UserAction = 'profile' | 'security' | 'reset' | 'unlock'

export interface UserDetailsSlice {
  user: UserDetails | null
  loading: boolean
  loadError: string | null
  actionStatus: Record<UserAction, ActionStatus>

  actions: {
    load: (userId: number) => Promise<void>
    saveProfile: (input: Omit<UpdateUserInput, 'userId'>) => Promise<void>
    saveEnforcement: (enforce: boolean) => Promise<void>
    resetTwoFactor: () => Promise<boolean>
    unlock: () => Promise<void>
    clearAction: (action: UserAction) => void
  }
}

const NO_ACTIONS: Record<UserAction, ActionStatus> = { profile: IDLE, security: IDLE, reset: IDLE, unlock: IDLE }

export const createUserDetailsSlice: SliceCreator<'userDetails'> = ({ set, get, call }) => {
  const loads = latestOnly()

  const run = async (action: UserAction, send: (userId: number) => Promise<Result<UserDetails>>, success: (user: UserDetails) => string) => {
    const current = get().user
    if (!current) return false
    const result = await runAction({
      show: (status) => set((state) => ({ actionStatus: withStatus(state.actionStatus, action, status) })),
      send: () => send(current.id),
      keep: (user) => set({ user }),
      success,
      // Another user opened meanwhile: this answer is not theirs.
      isCurrent: () => get().user?.id === current.id
    })
    return result?.ok === true
  }

  return {
    user: null,
    loading: false,
    loadError: null,
    actionStatus: NO_ACTIONS,

    actions: {
      load: async (userId) => {
        const ticket = loads.next()
        set((state) => ({ actionStatus: NO_ACTIONS, user: state.user?.id === userId ? state.user : null }))
        await runAction({
          show: ({ pending, error }) => set({ loading: pending, loadError: error }),
          send: () => call('getUser', { userId }),
          keep: (user) => set({ user }),
          isCurrent: ticket.isLatest
        })
      },

      saveProfile: async (input) => {
        await run('profile', (userId) => call('updateUser', { userId, ...input }), (user) => `The profile of ${user.name} was saved.`)
      },

      saveEnforcement: async (enforce) => {
        await run(
          'security',
          (userId) => call('setEnforceTwoFactorActivation', { userId, enforce }),
          (user) =>
            user.enforced
              ? user.status === 'active'
                ? `2FA activation is enforced for ${user.name}. 2FA is already active.`
                : `2FA activation is enforced for ${user.name}. They have to activate 2FA at their next login.`
              : `2FA activation is no longer enforced for ${user.name}.`
        )
      },

      resetTwoFactor: () =>
        run(
          'reset',
          (userId) => call('resetTwoFactor', { userId }),
          (user) =>
            user.enforced
              ? `2FA was reset for ${user.name}. They have to activate 2FA again at their next login.`
              : `2FA was reset for ${user.name}.`
        ),

      unlock: async () => {
        await run('unlock', (userId) => call('unlockUser', { userId }), (user) => `${user.name} was unlocked.`)
      },

      clearAction: (action) => set((state) => ({ actionStatus: { ...state.actionStatus, [action]: IDLE } }))
    }
  }
}
