// Activate 2FA: a pending secret from the app, the confirming code, then the
// recovery codes, shown once.
import type { AuthStep, EnrollmentStart } from '../../../../shared/domain'
import type { SliceCreator } from '../app-state'

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
  let latestStart = 0

  return {
    ...initial,

    actions: {
      begin: async () => {
        const request = ++latestStart
        set({ ...initial, loading: true })
        const result = await call('startEnrollment', {})
        if (request !== latestStart) return
        if (result.ok) set({ loading: false, start: result.value })
        else set({ loading: false, loadError: result.error.message })
      },

      confirm: async (code) => {
        set({ confirming: true, error: null })
        const result = await call('confirmEnrollment', { code })
        if (result.ok) {
          set({ confirming: false, start: null, recoveryCodes: result.value.recoveryCodes, session: result.value.session })
        } else {
          set({ confirming: false, error: result.error.message })
          if (result.error.code === 'ENROLLMENT_EXPIRED') set({ start: null, loadError: result.error.message })
        }
      },

      reset: () => {
        latestStart++
        set(initial)
      }
    }
  }
}
