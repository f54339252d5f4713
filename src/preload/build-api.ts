// Builds window.api from the contract: one function per method, each a call on
// that method's channel. No Electron import here, so it can be tested; the
// sandboxed preload bundles this file and contract.ts, nothing else.
import { API_METHODS, type AdminApi, type ApiMethod } from '../shared/contract'
import { ipcChannel } from '../shared/transport'
import type { Result } from '../shared/errors'

export type Invoke = (channel: string, input: unknown) => Promise<unknown>

const TRANSPORT_FAILURE: Result<never> = {
  ok: false,
  error: { code: 'TRANSPORT', message: 'The app did not answer. Restart 2FA Admin and try again.' }
}

export function buildApi(invoke: Invoke): AdminApi {
  const api: Partial<Record<ApiMethod, (input: unknown) => Promise<unknown>>> = {}
  for (const method of API_METHODS) {
    const channel = ipcChannel(method)
    // The main process answers with a Result and never throws; a rejection means the bridge itself failed.
    api[method] = (input: unknown) => invoke(channel, input).catch(() => TRANSPORT_FAILURE)
  }
  return Object.freeze(api) as AdminApi
}
