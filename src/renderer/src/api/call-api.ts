// The one way stores reach the app. Besides typing the call, it notices a lost
// session (signed out elsewhere, expired) so every screen returns to Log in, and
// it asks "Confirm it's you" when a sensitive action needs a fresh password or code.
import type { ApiInput, ApiMethod, ApiOutput } from '../../../shared/contract'
import type { ApiError, Result } from '../../../shared/errors'

type SessionLostListener = (error: ApiError) => void
/** Asks the person for their password or a code and re-authenticates; true when they did. */
export type ReauthPrompt = (error: ApiError) => Promise<boolean>

let onSessionLost: SessionLostListener = () => {}
let reauthPrompt: ReauthPrompt | null = null

/** The session store registers itself here; kept as a hook to avoid an import cycle. */
export function setSessionLostListener(listener: SessionLostListener): void {
  onSessionLost = listener
}

/** The re-authentication dialog's store registers itself here; null removes it. */
export function setReauthPrompt(prompt: ReauthPrompt | null): void {
  reauthPrompt = prompt
}

export function isSessionLost(error: ApiError): boolean {
  return error.code === 'UNAUTHENTICATED' || error.code === 'SESSION_EXPIRED'
}

async function send<M extends ApiMethod>(method: M, input: ApiInput<M>): Promise<Result<ApiOutput<M>>> {
  const fn = window.api[method] as (input: ApiInput<M>) => Promise<Result<ApiOutput<M>>>
  let result: Result<ApiOutput<M>>
  try {
    result = await fn(input)
  } catch {
    // A transport that throws instead of answering (a closed IPC channel) is still just a failure.
    result = { ok: false, error: { code: 'TRANSPORT', message: 'The app did not answer. Restart it and try again.' } }
  }
  if (!result.ok && isSessionLost(result.error)) onSessionLost(result.error)
  return result
}

export async function callApi<M extends ApiMethod>(method: M, input: ApiInput<M>): Promise<Result<ApiOutput<M>>> {
  const result = await send(method, input)
  if (result.ok || result.error.code !== 'REAUTH_REQUIRED' || reauthPrompt === null) return result
  // The app changed nothing; once the person has confirmed it's them, the same call
  // is sent once more. Cancelling leaves the original answer for the screen to show.
  if (!(await reauthPrompt(result.error))) return result
  return send(method, input)
}
