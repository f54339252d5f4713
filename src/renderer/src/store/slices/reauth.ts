// "Confirm it's you": when a sensitive action answers REAUTH_REQUIRED, the
// caller waits on this slice, which opens the dialog, re-authenticates with the
// password or a code, and tells the caller whether to send the action again.
import type { ApiError } from '../../../../shared/errors'
import { isSessionLost } from '../../api/caller'
import type { ReauthMethod } from '../../components/ReauthDialog'
import { runAction } from '../action-status'
import type { SliceCreator } from '../app-state'

export interface ReauthSlice {
  open: boolean
  method: ReauthMethod
  pending: boolean
  error: string | null

  actions: {
    /** Opens the dialog (or joins the one already open); resolves true once the person confirmed. */
    request: (reason: ApiError) => Promise<boolean>
    submit: (secret: string) => Promise<void>
    switchMethod: (method: ReauthMethod) => void
    cancel: () => void
  }
}

export const createReauthSlice: SliceCreator<'reauth'> = ({ set, get, app, call }) => {
  // Two actions refused at once share one dialog; all of them retry (or not) together.
  let waiting: ((confirmed: boolean) => void)[] = []

  const finish = (confirmed: boolean) => {
    const resolvers = waiting
    waiting = []
    set({ open: false, pending: false, error: null })
    for (const resolve of resolvers) resolve(confirmed)
  }

  return {
    open: false,
    // Administrators always have 2FA, so the code is the usual answer.
    method: 'code',
    pending: false,
    error: null,

    actions: {
      request: () =>
        new Promise<boolean>((resolve) => {
          waiting.push(resolve)
          if (!get().open) set({ open: true, method: 'code', pending: false, error: null })
        }),

      submit: async (secret) => {
        if (get().pending) return
        const input = get().method === 'password' ? { password: secret } : { code: secret }
        const result = await runAction({
          show: ({ pending, error }) => set({ pending, error }),
          send: () => call('reauthenticate', input),
          // Cancelled meanwhile: the actions waiting on it have already been told.
          isCurrent: () => get().open
        })
        if (result === null) return
        if (result.ok) {
          finish(true)
        } else if (isSessionLost(result.error)) {
          // The caller has already sent the screen back to Log in.
          finish(false)
        } else if (result.error.code === 'ACCOUNT_LOCKED') {
          // Too many wrong answers: the app ended the session; show why on the Log in screen.
          finish(false)
          app().session.actions.sessionLost(result.error)
        }
      },

      switchMethod: (method) => set({ method, error: null }),

      cancel: () => finish(false)
    }
  }
}
