// Names the transports share, written here once: the IPC channel and HTTP path
// of each method, and the browser preview's header and cookie.
// No runtime imports, so the sandboxed preload can bundle it.
import type { ApiMethod } from './contract'

/** The Electron IPC channel for a method. */
export function ipcChannel(method: ApiMethod): string {
  return `twofa-admin:${method}`
}

/** Where the browser preview's HTTP bridge answers calls: POST API_PATH_PREFIX + method. */
export const API_PATH_PREFIX = '/api/'

/** The HTTP bridge path for a method. */
export function httpPath(method: ApiMethod): string {
  return `${API_PATH_PREFIX}${method}`
}

/** The header that carries the preview's access token (HTTP header names are case-insensitive). */
export const TOKEN_HEADER = 'x-twofa-token'

/** The preview's session cookie. */
export const SESSION_COOKIE = 'twofa_session'

/** Where the browser preview hands out a finished export: GET DOWNLOAD_PATH_PREFIX + its id, with the session cookie. */
export const DOWNLOAD_PATH_PREFIX = '/downloads/'

/** The preview's address of one export's file. */
export function downloadPath(exportId: string): string {
  return `${DOWNLOAD_PATH_PREFIX}${exportId}`
}
