// The one way stores reach the app. Besides typing the call, it notices a lost
// session (signed out elsewhere, expired) so every screen returns to Log in.
import type { ApiInput, ApiMethod, ApiOutput } from '../../../shared/contract'
import type { ApiError, Result } from '../../../shared/errors'

type SessionLostListener = (error: ApiError) => void

let onSessionLost: SessionLostListener = () => {}

/** The session store registers itself here; kept as a hook to avoid an import cycle. */
export function setSessionLostListener(listener: SessionLostListener): void {
  onSessionLost = listener
}

export function isSessionLost(error: ApiError): boolean {
  return error.code === 'UNAUTHENTICATED' || error.code === 'SESSION_EXPIRED'
}

export async function callApi<M extends ApiMethod>(method: M, input: ApiInput<M>): Promise<Result<ApiOutput<M>>> {
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
