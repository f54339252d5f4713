// `AdminApi` over the browser preview's HTTP bridge. Used only when no preload
// has set `window.api` (the page is served by `npm run serve`, not Electron).
import { API_METHODS } from '../../../shared/contract'
import type { AdminApi, ApiInput, ApiMethod, ApiOutput } from '../../../shared/contract'
import type { ApiError, Result } from '../../../shared/errors'
import { isApiError } from '../../../shared/errors'
import { httpPath, TOKEN_HEADER } from '../../../shared/transport'

export const TOKEN_STORAGE_KEY = 'twofa-admin.token'

export const UNREACHABLE_MESSAGE = 'The app is not reachable. Is the preview still running?'

type Fetch = (input: string, init: RequestInit) => Promise<Response>

interface TokenLocation {
  hash: string
  pathname: string
  search: string
}

interface TokenHistory {
  replaceState(data: unknown, unused: string, url?: string): void
}

type TokenStorage = Pick<Storage, 'getItem' | 'setItem'>

/**
 * The preview prints an address ending in `#token=SECRET`. Take the secret out of
 * the visible address (so it is not copied or bookmarked with it), keep it for
 * this tab in sessionStorage, and return it. On later loads it comes from storage.
 */
export function takeToken(location: TokenLocation, history: TokenHistory, storage: TokenStorage): string | null {
  const fragment = new URLSearchParams(location.hash.replace(/^#/, ''))
  const fromUrl = fragment.get('token')
  if (fromUrl) {
    storage.setItem(TOKEN_STORAGE_KEY, fromUrl)
    fragment.delete('token')
    const rest = fragment.toString()
    history.replaceState(null, '', `${location.pathname}${location.search}${rest ? `#${rest}` : ''}`)
    return fromUrl
  }
  return storage.getItem(TOKEN_STORAGE_KEY)
}

function transportError(message: string): { ok: false; error: ApiError } {
  return { ok: false, error: { code: 'TRANSPORT', message } }
}

function isResult(value: unknown): value is Result<unknown> {
  if (typeof value !== 'object' || value === null) return false
  const record = value as { ok?: unknown; value?: unknown; error?: unknown }
  if (record.ok === true) return 'value' in record
  if (record.ok === false) return isApiError(record.error)
  return false
}

export interface HttpApiOptions {
  fetch: Fetch
  /** Read on every call, so a token stored after start-up is still used. */
  token: () => string | null
  /** Origin to call; empty for the page's own origin. */
  baseUrl?: string
}

export function createHttpApi(options: HttpApiOptions): AdminApi {
  const call = async <M extends ApiMethod>(method: M, input: ApiInput<M>): Promise<Result<ApiOutput<M>>> => {
    const token = options.token()
    const headers: Record<string, string> = { 'Content-Type': 'application/json' }
    if (token) headers[TOKEN_HEADER] = token
    let response: Response
    try {
      response = await options.fetch(`${options.baseUrl ?? ''}${httpPath(method)}`, {
        method: 'POST',
        headers,
        credentials: 'same-origin',
        body: JSON.stringify(input ?? {})
      })
    } catch {
      return transportError(UNREACHABLE_MESSAGE)
    }
    let body: unknown
    try {
      body = await response.json()
    } catch {
      body = undefined
    }
    // The bridge answers every call with a Result, whatever the HTTP status.
    if (isResult(body)) return body as Result<ApiOutput<M>>
    if (!token && (response.status === 401 || response.status === 403)) {
      return transportError('This page has no access key. Open the full address that the preview printed (it ends in #token=…).')
    }
    return transportError(`The app gave an unexpected answer (HTTP ${response.status}). Reload the page and try again.`)
  }

  const api: Partial<Record<ApiMethod, unknown>> = {}
  for (const method of API_METHODS) {
    api[method] = (input: ApiInput<typeof method>) => call(method, input)
  }
  return api as AdminApi
}

/** Install the HTTP bridge as `window.api` for this page. */
export function installHttpApi(target: Window): void {
  const token = takeToken(target.location, target.history, target.sessionStorage)
  target.api = createHttpApi({
    fetch: (input, init) => target.fetch(input, init),
    token: () => token ?? target.sessionStorage.getItem(TOKEN_STORAGE_KEY)
  })
}
