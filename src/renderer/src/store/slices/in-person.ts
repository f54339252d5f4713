// Enrollment at the administrator's desk: the admin hands the screen over (the
// app locks the admin's session and gives the window the user's hand-over
// session); the user proves who they are and enrolls (the enrollment slice);
// the admin's own password or code gives the screen back. Where the hand-over
// stands comes from the app's AuthStep (session.restricted), never from here.
import type { ReauthenticateInput } from '../../../../shared/contract'
import type { AuthStep } from '../../../../shared/domain'
import type { Result } from '../../../../shared/errors'
import { IDLE, runAction, type ActionStatus } from '../action-status'
import type { SliceCreator } from '../app-state'

export interface InPersonSlice {
  /** The user at the desk: their details open again once the admin is back. */
  userId: number | null
  status: ActionStatus

  actions: {
    start: (userId: number) => Promise<boolean>
    identify: (secret: string) => Promise<void>
    /** Stops the hand-over at any step: only the admin's unlock is left. */
    cancel: () => Promise<void>
    unlock: (answer: ReauthenticateInput) => Promise<void>
    clearError: () => void
  }
}

export const createInPersonSlice: SliceCreator<'inPerson'> = ({ set, get, app, call }) => {
  const step = async (send: () => Promise<Result<AuthStep>>): Promise<Result<AuthStep> | null> => {
    const result = await runAction({ show: (status) => set({ status }), send, keep: (next) => app().session.actions.applyStep(next) })
    // Locked by wrong tries at the desk: the app stopped the hand-over; show where it stands now.
    if (result?.ok === false && result.error.code === 'ACCOUNT_LOCKED') {
      const state = await call('getAppState', {})
      if (state.ok && state.value.session) app().session.actions.applyStep(state.value.session)
    }
    return result
  }

  return {
    userId: null,
    status: IDLE,

    actions: {
      start: async (userId) => {
        set({ userId })
        const result = await step(() => call('startInPersonEnrollment', { userId }))
        return result?.ok === true
      },

      identify: async (secret) => {
        await step(() => call('identifyInPerson', { secret }))
      },

      cancel: async () => {
        await step(() => call('cancelInPersonEnrollment', {}))
        set({ status: IDLE })
      },

      unlock: async (answer) => {
        const result = await runAction({ show: (status) => set({ status }), send: () => call('endInPersonEnrollment', answer) })
        if (!result) return
        if (!result.ok) {
          // Too many wrong tries locked the administrator out: nobody is signed in at this screen any more.
          if (result.error.code === 'ACCOUNT_LOCKED') app().session.actions.sessionLost(result.error)
          return
        }
        const userId = get().userId
        set({ userId: null, status: IDLE })
        app().session.actions.applyStep(result.value)
        if (userId !== null) app().nav.actions.navigate({ name: 'user-details', userId })
      },

      clearError: () => set({ status: IDLE })
    }
  }
}
