// Where the person at the screen stands: setup, log in, second factor,
// enrollment, signed in. Every step comes from the app's AuthStep answers.
import type { AuthStep, Me } from '../../../../shared/domain'
import type { ApiError, Result } from '../../../../shared/errors'
import { DEFAULT_IDLE_TIMEOUT_MINUTES } from '../../../../shared/limits'
import { isSessionLost } from '../../api/caller'
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
  /** The idle timeout the app applies, in ms (the setting, or shorter in the end-to-end tests). */
  idleTimeoutMs: number
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
  /** Signed in with a recovery code: how many unused codes are left, for the notice over the screens (null: none to show). */
  recoveryCodeNotice: { codesLeft: number } | null
  pending: boolean
  error: string | null
  /** The input `error` is about (the app's field name: email, password, name), for the form to show it there. */
  errorField: string | null
  /** The second factor locked the account (the app ended this sign-in): the one message shown, and nothing left to verify. */
  locked: string | null

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
    /** Activity, or "Stay signed in" in the idle warning: tells the app this session is in use (its idle clock starts again). */
    staySignedIn: () => Promise<void>
    /** Account > Security set a new idle timeout: this screen's timer follows it at once. */
    idleTimeoutChanged: (minutes: number, ms: number) => void
    /** The signed-in person's own profile changed (an administrator who demoted themselves): the screens show it at once. */
    meChanged: (me: Me) => void
    sessionLost: (error: ApiError) => void
    clearError: () => void
    /** The recovery-code notice's Dismiss, or its action taken. */
    dismissRecoveryCodeNotice: () => void
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
        return { phase: 'second-factor', me: null, email: step.email, notice: null, locked: null }
      case 'enrollment-required':
        return { phase: 'enrollment-required', me: step.me, notice: null }
      case 'temporary-pass':
      case 'in-person':
        return { phase: step.step, me: step.me, restricted: step, notice: null }
    }
  }

  const submit = async (send: () => Promise<Result<AuthStep>>) => {
    set({ pending: true, error: null, errorField: null })
    const result = await send()
    if (result.ok) {
      set({ ...stepState(result.value), pending: false, error: null })
      return
    }
    // A lost session already went to Log in with its one message (sessionLost): no second one here.
    if (isSessionLost(result.error)) {
      set({ pending: false })
      return
    }
    // Locked at the second factor: the app ended this sign-in, so no code can be verified until the next Log in.
    if (result.error.code === 'ACCOUNT_LOCKED' && get().phase === 'second-factor') {
      set({ pending: false, error: null, locked: result.error.message })
      return
    }
    set({ pending: false, error: result.error.message, errorField: result.error.field ?? null })
  }

  return {
    phase: 'loading',
    me: null,
    email: '',
    idleTimeoutMinutes: DEFAULT_IDLE_TIMEOUT_MINUTES,
    idleTimeoutMs: DEFAULT_IDLE_TIMEOUT_MINUTES * 60_000,
    restricted: null,
    notice: null,
    loadError: null,
    activationDue: null,
    warnings: [],
    recoveryCodeNotice: null,
    pending: false,
    error: null,
    errorField: null,
    locked: null,

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
        const { needsSetup, session, idleTimeoutMinutes, idleTimeoutMs, warnings } = result.value
        set({ idleTimeoutMinutes, idleTimeoutMs, warnings: warnings ?? [], ...(needsSetup ? { phase: 'setup' as const, me: null } : stepState(session)) })
      },

      refreshWarnings: async () => {
        const result = await call('getAppState', {})
        if (result.ok) set({ warnings: result.value.warnings ?? [] })
      },

      setup: (input) => submit(() => call('setupFirstAdmin', input)),
      login: (email, password) => {
        // A new attempt: the note about the last session (signed out, expired) has been read.
        set({ email, notice: null, locked: null, recoveryCodeNotice: null })
        return submit(() => call('login', { email, password }))
      },
      verifyCode: (code) => submit(() => call('verifyCode', { code })),
      verifyRecoveryCode: (code) =>
        submit(async () => {
          const result = await call('verifyRecoveryCode', { code })
          if (result.ok) set({ recoveryCodeNotice: { codesLeft: result.value.recoveryCodesLeft } })
          return result
        }),

      applyStep: (step) => set(stepState(step)),

      logout: async () => {
        await call('logout', {})
        set({ phase: 'login', me: null, error: null, pending: false, notice: null, locked: null, warnings: [] })
      },

      signOutAfterInactivity: async () => {
        const minutes = Math.max(1, Math.round(get().idleTimeoutMs / 60_000))
        // The core records this one as an expired session, not as a Log out.
        await call('logout', { reason: 'idle' })
        set({ phase: 'login', me: null, error: null, pending: false, notice: `You were signed out after ${minutes === 1 ? '1 minute' : `${minutes} minutes`} of inactivity.` })
      },

      staySignedIn: async () => {
        // Any call with the session keeps it alive; this one also brings a timeout changed elsewhere.
        const result = await call('getAppState', {})
        if (!result.ok) return
        set({ idleTimeoutMinutes: result.value.idleTimeoutMinutes, idleTimeoutMs: result.value.idleTimeoutMs })
        // Ended meanwhile (expired on the app's clock, signed out elsewhere): the screen says so.
        if (result.value.session === null && get().phase !== 'login' && get().phase !== 'setup') {
          set({ phase: 'login', me: null, pending: false, error: null, locked: null, notice: 'You are no longer signed in. Log in again.' })
        }
      },

      idleTimeoutChanged: (minutes, ms) => set({ idleTimeoutMinutes: minutes, idleTimeoutMs: ms }),

      meChanged: (me) => {
        const before = get().me
        set({ me })
        // No longer an administrator: the administration screens are gone, My account is what is left.
        if (before?.role === 'admin' && me.role !== 'admin') app().nav.actions.navigate(landingView(me))
      },

      sessionLost: (error) => {
        // Only a screen behind the login reacts: a wrong password is not a lost session.
        const { phase } = get()
        if (phase === 'login' || phase === 'setup' || phase === 'loading') return
        set({ phase: 'login', me: null, pending: false, error: null, locked: null, notice: error.message })
      },

      clearError: () => set({ error: null, errorField: null }),

      dismissRecoveryCodeNotice: () => set({ recoveryCodeNotice: null })
    }
  }
}
