// Activate 2FA: a pending secret from the app, the confirming code, then the
// recovery codes, shown once.
import type { AuthStep, EnrollmentStart } from '../../../../shared/domain'
import { runAction } from '../action-status'
import type { SliceCreator } from '../app-state'
import { latestOnly } from '../latest'

export interface EnrollmentSlice {
  start: EnrollmentStart | null
  loading: boolean
  loadError: string | null
  confirming: boolean
  error: string | null
  /** Set once activation succeeded; cleared when the person continues. */
  recoveryCodes: string[] | null
  session: AuthStep | null

  actions: {
    begin: () => Promise<void>
    confirm: (code: string) => Promise<void>
    reset: () => void
  }
}

const initial = {
  start: null,
  loading: false,
  loadError: null,
  confirming: false,
  error: null,
  recoveryCodes: null,
  session: null
}

export const createEnrollmentSlice: SliceCreator<'enrollment'> = ({ set, call }) => {
  // Only the newest startEnrollment counts: the app keeps just the latest pending secret.
  const starts = latestOnly()

  return {
    ...initial,

    actions: {
      begin: async () => {
        const ticket = starts.next()
        set(initial)
        await runAction({
          show: ({ pending, error }) => set({ loading: pending, loadError: error }),
          send: () => call('startEnrollment', {}),
          keep: (start) => set({ start }),
          isCurrent: ticket.isLatest
        })
      },

      confirm: async (code) => {
        const result = await runAction({
          show: ({ pending, error }) => set({ confirming: pending, error }),
          send: () => call('confirmEnrollment', { code }),
          keep: ({ recoveryCodes, session }) => set({ start: null, recoveryCodes, session })
        })
        // The pending secret is gone: the setup has to start again.
        if (result?.ok === false && result.error.code === 'ENROLLMENT_EXPIRED') set({ start: null, loadError: result.error.message })
      },

      reset: () => {
        starts.next()
        set(initial)
      }
    }
  }
}
