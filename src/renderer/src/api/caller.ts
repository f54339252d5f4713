// How store actions reach the app: window.api (or a fake in tests), typed, and
// with the two answers every screen must react to the same way. A lost session
// (signed out elsewhere, expired) goes to the session; a sensitive action that
// needs a fresh password or code asks "Confirm it's you" and, once confirmed,
// is sent once more. createAppStore says which slice handles each.
import type { AdminApi, ApiInput, ApiMethod, ApiOutput } from '../../../shared/contract'
import type { ApiError, Result } from '../../../shared/errors'

export type Call = <M extends ApiMethod>(method: M, input: ApiInput<M>) => Promise<Result<ApiOutput<M>>>

export interface CallerHooks {
  onSessionLost: (error: ApiError) => void
  /** Asks the person for their password or a code and re-authenticates; true when they did. */
  confirmIdentity: (error: ApiError) => Promise<boolean>
}

export function isSessionLost(error: ApiError): boolean {
  return error.code === 'UNAUTHENTICATED' || error.code === 'SESSION_EXPIRED'
}

export function createCaller(api: AdminApi, hooks: CallerHooks): Call {
  const send = async <M extends ApiMethod>(method: M, input: ApiInput<M>): Promise<Result<ApiOutput<M>>> => {
    const fn = api[method] as (input: ApiInput<M>) => Promise<Result<ApiOutput<M>>>
    let result: Result<ApiOutput<M>>
    try {
      result = await fn(input)
    } catch {
      // A transport that throws instead of answering (a closed IPC channel) is still just a failure.
      result = { ok: false, error: { code: 'TRANSPORT', message: 'The app did not answer. Restart it and try again.' } }
    }
    if (!result.ok && isSessionLost(result.error)) hooks.onSessionLost(result.error)
    return result
  }

  return async (method, input) => {
    const result = await send(method, input)
    if (result.ok || result.error.code !== 'REAUTH_REQUIRED') return result
    // The app changed nothing; once the person has confirmed it's them, the same call
    // is sent once more. Cancelling leaves the original answer for the screen to show.
    if (!(await hooks.confirmIdentity(result.error))) return result
    return send(method, input)
  }
}
