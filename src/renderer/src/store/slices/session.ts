// Where the person at the screen stands: setup, log in, second factor,
// enrollment, signed in. Every step comes from the app's AuthStep answers.
import type { AuthStep, Me } from '../../../../shared/domain'
import type { ApiError, Result } from '../../../../shared/errors'
import { runAction } from '../action-status'
import type { SliceCreator } from '../app-state'
import type { View } from './nav'

export type Phase = 'loading' | 'unavailable' | 'setup' | 'login' | 'second-factor' | 'enrollment-required' | 'activation-due' | 'signed-in' | 'temporary-pass' | 'in-person'

/** The steps that say more than their phase: a temporary access pass's session, a hand-over at an admin's desk. */
export type RestrictedStep = Extract<AuthStep, { step: 'temporary-pass' | 'in-person' }>

export interface SessionSlice {
  phase: Phase
  me: Me | null
  /** The email being signed in, shown on the second-factor step. */
  email: string
  idleTimeoutMinutes: number
  /** The step of phase 'temporary-pass' or 'in-person', as the app answered it. */
  restricted: RestrictedStep | null
  /** A message for the Log in screen (signed out after inactivity, session expired). */
  notice: string | null
  /** Why the app could not be reached at start (phase 'unavailable'). */
  loadError: string | null
  /** Signed in during a grace period: 2FA must be activated by then (the reminder shown at each sign-in). */
  activationDue: { deadline: number; daysLeft: number } | null
  /** Shortcomings of this installation (no OS keychain), sent to administrators only. */
  warnings: string[]
  pending: boolean
  error: string | null

  actions: {
    load: () => Promise<void>
    /** Asks again for the installation's warnings: they come only once an administrator is signed in. */
    refreshWarnings: () => Promise<void>
    setup: (input: { name: string; email: string; password: string }) => Promise<void>
    login: (email: string, password: string) => Promise<void>
    verifyCode: (code: string) => Promise<void>
    verifyRecoveryCode: (code: string) => Promise<void>
    /** The grace-period reminder's buttons: "Activate 2FA now" opens the activation, "Later" the app. */
    activateNow: () => void
    later: () => void
    /** Apply a step the app returned (after enrollment, for instance). */
    applyStep: (step: AuthStep) => void
    logout: () => Promise<void>
    signOutAfterInactivity: () => Promise<void>
    sessionLost: (error: ApiError) => void
    clearError: () => void
  }
}

const landingView = (me: Me): View => (me.role === 'admin' ? { name: 'users' } : { name: 'my-account' })

export const createSessionSlice: SliceCreator<'session'> = ({ set, get, app, call }) => {
  const stepState = (step: AuthStep | null): Partial<SessionSlice> => {
    if (step === null) return { phase: 'login', me: null }
    switch (step.step) {
      case 'signed-in':
        // In a grace period the reminder comes first, at every sign-in.
        if (step.activationDue !== undefined) return { phase: 'activation-due', me: step.me, activationDue: step.activationDue, notice: null }
        app().nav.actions.navigate(landingView(step.me))
        return { phase: 'signed-in', me: step.me, activationDue: null, notice: null }
      case 'second-factor':
        return { phase: 'second-factor', me: null, email: step.email, notice: null }
      case 'enrollment-required':
        return { phase: 'enrollment-required', me: step.me, notice: null }
      case 'temporary-pass':
      case 'in-person':
        return { phase: step.step, me: step.me, restricted: step, notice: null }
    }
  }

  const submit = async (send: () => Promise<Result<AuthStep>>) => {
    await runAction({ show: ({ pending, error }) => set({ pending, error }), send, keep: (step) => set(stepState(step)) })
  }

  return {
    phase: 'loading',
    me: null,
    email: '',
    idleTimeoutMinutes: 15,
    restricted: null,
    notice: null,
    loadError: null,
    activationDue: null,
    warnings: [],
    pending: false,
    error: null,

    actions: {
      activateNow: () => {
        app().nav.actions.navigate({ name: 'activate-two-factor' })
        set({ phase: 'signed-in', activationDue: null })
      },
      later: () => {
        const me = get().me
        if (me) app().nav.actions.navigate(landingView(me))
        set({ phase: 'signed-in', activationDue: null })
      },
      load: async () => {
        set({ phase: 'loading', loadError: null })
        const result = await call('getAppState', {})
        if (!result.ok) {
          set({ phase: 'unavailable', loadError: result.error.message })
          return
        }
        const { needsSetup, session, idleTimeoutMinutes, warnings } = result.value
        set({ idleTimeoutMinutes, warnings: warnings ?? [], ...(needsSetup ? { phase: 'setup' as const, me: null } : stepState(session)) })
      },

      refreshWarnings: async () => {
        const result = await call('getAppState', {})
        if (result.ok) set({ warnings: result.value.warnings ?? [] })
      },

      setup: (input) => submit(() => call('setupFirstAdmin', input)),
      login: (email, password) => {
        set({ email })
        return submit(() => call('login', { email, password }))
      },
      verifyCode: (code) => submit(() => call('verifyCode', { code })),
      verifyRecoveryCode: (code) => submit(() => call('verifyRecoveryCode', { code })),

      applyStep: (step) => set(stepState(step)),

      logout: async () => {
        await call('logout', {})
        set({ phase: 'login', me: null, error: null, pending: false, notice: null, warnings: [] })
      },

      signOutAfterInactivity: async () => {
        const minutes = get().idleTimeoutMinutes
        // The core records this one as an expired session, not as a Log out.
        await call('logout', { reason: 'idle' })
        set({ phase: 'login', me: null, error: null, pending: false, notice: `You were signed out after ${minutes} minutes of inactivity.` })
      },

      sessionLost: (error) => {
        // Only a screen behind the login reacts: a wrong password is not a lost session.
        const { phase } = get()
        if (phase === 'login' || phase === 'setup' || phase === 'loading') return
        set({ phase: 'login', me: null, pending: false, error: null, notice: error.message })
      },

      clearError: () => set({ error: null })
    }
  }
}
