// User details: profile, the Security section, Reset 2FA and Unlock.
import { create } from 'zustand'
import type { UpdateUserInput } from '../../../shared/contract'
import type { UserDetails } from '../../../shared/domain'
import type { Result } from '../../../shared/errors'
import { callApi } from '../api/call-api'
import { failed, IDLE, PENDING, succeeded, type FormStatus } from './form-status'

type Action = 'profile' | 'security' | 'reset' | 'unlock'

interface UserDetailsState {
  user: UserDetails | null
  loading: boolean
  loadError: string | null
  actions: Record<Action, FormStatus>

  load: (userId: number) => Promise<void>
  saveProfile: (input: Omit<UpdateUserInput, 'userId'>) => Promise<void>
  saveEnforcement: (enforce: boolean) => Promise<void>
  resetTwoFactor: () => Promise<boolean>
  unlock: () => Promise<void>
  clearAction: (action: Action) => void
}

const NO_ACTIONS: Record<Action, FormStatus> = { profile: IDLE, security: IDLE, reset: IDLE, unlock: IDLE }

export const useUserDetailsStore = create<UserDetailsState>()((set, get) => {
  const run = async (action: Action, call: (userId: number) => Promise<Result<UserDetails>>, success: (user: UserDetails) => string) => {
    const current = get().user
    if (!current) return false
    // One message at a time: a new action clears the others' success notes.
    set({ actions: { ...NO_ACTIONS, [action]: PENDING } })
    const result = await call(current.id)
    if (get().user?.id !== current.id) return false
    if (result.ok) {
      set({ user: result.value, actions: { ...NO_ACTIONS, [action]: succeeded(success(result.value)) } })
      return true
    }
    set((state) => ({ actions: { ...state.actions, [action]: failed(result.error) } }))
    return false
  }

  return {
    user: null,
    loading: false,
    loadError: null,
    actions: NO_ACTIONS,

    load: async (userId) => {
      set({ loading: true, loadError: null, actions: NO_ACTIONS, user: get().user?.id === userId ? get().user : null })
      const result = await callApi('getUser', { userId })
      if (result.ok) set({ loading: false, user: result.value })
      else set({ loading: false, loadError: result.error.message })
    },

    saveProfile: async (input) => {
      await run('profile', (userId) => callApi('updateUser', { userId, ...input }), (user) => `The profile of ${user.name} was saved.`)
    },

    saveEnforcement: async (enforce) => {
      await run(
        'security',
        (userId) => callApi('setEnforceTwoFactorActivation', { userId, enforce }),
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
        (userId) => callApi('resetTwoFactor', { userId }),
        (user) =>
          user.enforced
            ? `2FA was reset for ${user.name}. They have to activate 2FA again at their next login.`
            : `2FA was reset for ${user.name}.`
      ),

    unlock: async () => {
      await run('unlock', (userId) => callApi('unlockUser', { userId }), (user) => `${user.name} was unlocked.`)
    },

    clearAction: (action) => set((state) => ({ actions: { ...state.actions, [action]: IDLE } }))
  }
})
