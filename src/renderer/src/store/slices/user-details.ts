// User details: profile, the Security section, Reset 2FA and Unlock.
import type { UpdateUserInput } from '../../../../shared/contract'
import type { UserDetails } from '../../../../shared/domain'
import type { Result } from '../../../../shared/errors'
import { IDLE, runAction, withStatus, type ActionStatus } from '../action-status'
import { deadlineLine } from '../../lib/format'
import type { SliceCreator } from '../app-state'
import type { Followed } from './changes'
import { latestOnly } from '../latest'

export type UserAction = 'profile' | 'security' | 'reset' | 'unlock' | 'password'

/** The two forms of the screen; each starts afresh (its unsaved edits dropped) only when its own action went through. */
export type UserForm = 'profile' | 'security'

export interface UserDetailsSlice {
  user: UserDetails | null
  loading: boolean
  loadError: string | null
  actionStatus: Record<UserAction, ActionStatus>
  /** Bumped when a form's change went through: the screen keys the form on it. A refresh leaves it, and the form its edits. */
  formVersion: Record<UserForm, number>

  actions: {
    load: (userId: number) => Promise<void>
    /** The directory changed: fetch the user again and show the new facts (the forms keep what is being edited). */
    refresh: () => Promise<Followed>
    saveProfile: (input: Omit<UpdateUserInput, 'userId'>) => Promise<void>
    saveEnforcement: (enforce: boolean, graceDays?: number) => Promise<void>
    resetTwoFactor: () => Promise<boolean>
    unlock: () => Promise<void>
    /** Sets the user's password (an imported user has none yet); resolves to whether it was set. */
    setPassword: (password: string) => Promise<boolean>
    /** Sets a password the app generates; resolves to it (to show once, never kept here), or null when refused. */
    generatePassword: () => Promise<string | null>
    clearAction: (action: UserAction) => void
  }
}

const NO_ACTIONS: Record<UserAction, ActionStatus> = { profile: IDLE, security: IDLE, reset: IDLE, unlock: IDLE, password: IDLE }
// A new password is in neither form: their unsaved edits stay.
const FORM_OF: Record<UserAction, UserForm | null> = { profile: 'profile', security: 'security', reset: 'security', unlock: 'security', password: null }

export const createUserDetailsSlice: SliceCreator<'userDetails'> = ({ set, get, app, call }) => {
  // Loads and actions take a ticket; a refresh answer is dropped when either started after it.
  const loads = latestOnly()

  const run = async (action: UserAction, send: (userId: number) => Promise<Result<UserDetails>>, success: (user: UserDetails) => string) => {
    const current = get().user
    if (!current) return false
    loads.next()
    const result = await runAction({
      show: (status) => set((state) => ({ actionStatus: withStatus(state.actionStatus, action, status) })),
      send: () => send(current.id),
      keep: (user) => {
        const form = FORM_OF[action]
        set((state) => ({ user, formVersion: form === null ? state.formVersion : { ...state.formVersion, [form]: state.formVersion[form] + 1 } }))
      },
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
    formVersion: { profile: 0, security: 0 },

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

      refresh: async () => {
        const { user, loading, actionStatus } = get()
        // An action's own answer brings the user as it now is.
        if (loading || Object.values(actionStatus).some((status) => status.pending)) return false
        if (!user) return true
        const ticket = loads.current()
        const result = await call('getUser', { userId: user.id })
        if (!ticket.isLatest()) return false
        // Another user's load is under way or done: it is newer than this change.
        if (get().user?.id !== user.id) return true
        // A failure is not shown over the facts still on screen; the next change asks again.
        if (result.ok) set({ user: result.value })
        return true
      },

      saveProfile: async (input) => {
        const saved = await run('profile', (userId) => call('updateUser', { userId, ...input }), (user) => `The profile of ${user.name} was saved.`)
        // One's own profile: the sidebar and the screens follow at once (a self-demotion leaves the administration screens).
        const me = app().session.me
        const user = get().user
        if (saved && user && me && user.id === me.id) app().session.actions.meChanged({ id: me.id, name: user.name, email: user.email, role: user.role })
      },

      saveEnforcement: async (enforce, graceDays) => {
        await run(
          'security',
          (userId) => call('setEnforceTwoFactorActivation', graceDays === undefined ? { userId, enforce } : { userId, enforce, graceDays }),
          (user) =>
            user.enforced
              ? user.status === 'active'
                ? `2FA activation is enforced for ${user.name}. 2FA is already active.`
                : user.overdue || user.deadline === null
                  ? `2FA activation is enforced for ${user.name}. They have to activate 2FA at their next login.`
                  : `2FA activation is enforced for ${user.name}. ${deadlineLine(user)}.`
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

      setPassword: (password) => {
        const first = get().user?.hasPassword === false
        return run(
          'password',
          (userId) => call('setUserPassword', { userId, password }),
          (user) =>
            first
              ? `${user.name} has a password now. Give it to them in person.`
              : `The password of ${user.name} was changed. Wherever they were signed in, they were signed out.`
        )
      },

      generatePassword: async () => {
        const first = get().user?.hasPassword === false
        let generated: string | null = null
        const ok = await run(
          'password',
          async (userId) => {
            const result = await call('setUserPassword', { userId, generatePassword: true })
            if (!result.ok) return result
            // The password goes to the one dialog that shows it, never into the store.
            const { generatedPassword, ...user } = result.value
            generated = generatedPassword ?? null
            return { ok: true, value: user }
          },
          (user) =>
            first
              ? `${user.name} has a generated password now. Give it to them in person.`
              : `The password of ${user.name} was replaced by a generated one. Wherever they were signed in, they were signed out.`
        )
        return ok ? generated : null
      },

      clearAction: (action) => set((state) => ({ actionStatus: { ...state.actionStatus, [action]: IDLE } }))
    }
  }
}
