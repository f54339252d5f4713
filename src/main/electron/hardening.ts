// Refusals that keep the window on our own pages: no navigation elsewhere, no
// new windows, no webviews, no browser permissions. The functions take the
// Electron objects as parameters so tests can hand in fakes.
import { isTrustedUrl } from './app-origin'

interface PreventableEvent {
  preventDefault(): void
}

/** The parts of WebContents the hardening touches. */
export interface HardenableWebContents {
  on(event: 'will-navigate' | 'will-redirect', listener: (event: PreventableEvent, url: string) => void): unknown
  on(event: 'will-attach-webview', listener: (event: PreventableEvent) => void): unknown
  setWindowOpenHandler(handler: (details: { url: string }) => { action: 'deny' }): void
}

/** The parts of Session the hardening touches. */
export interface HardenableSession {
  setPermissionRequestHandler(handler: ((webContents: unknown, permission: string, callback: (granted: boolean) => void, details: unknown) => void) | null): void
  setPermissionCheckHandler(handler: ((webContents: unknown, permission: string, requestingOrigin: string, details: unknown) => boolean) | null): void
}

/** A page may only move within our own origin (e.g. a reload); everything else stays put. */
export function isNavigationAllowed(url: string, origins: readonly string[]): boolean {
  return isTrustedUrl(url, origins)
}

export function hardenWebContents(contents: HardenableWebContents, origins: readonly string[]): void {
  const refuseForeign = (event: PreventableEvent, url: string): void => {
    if (!isNavigationAllowed(url, origins)) event.preventDefault()
  }
  contents.on('will-navigate', refuseForeign)
  contents.on('will-redirect', refuseForeign)
  contents.on('will-attach-webview', (event) => event.preventDefault())
  // The app never opens windows; links to the outside world are not followed either.
  contents.setWindowOpenHandler(() => ({ action: 'deny' }))
}

/**
 * Permissions the app's pages may use. Only writing text to the clipboard, from
 * our own origin, so that recovery codes can be copied with the Copy button;
 * camera, microphone, location, notifications, USB and the rest are refused.
 */
const ALLOWED_PERMISSIONS: ReadonlySet<string> = new Set(['clipboard-sanitized-write'])

export function isPermissionAllowed(permission: string, requestingUrl: string | undefined, origins: readonly string[]): boolean {
  return ALLOWED_PERMISSIONS.has(permission) && isTrustedUrl(requestingUrl, origins)
}

export function hardenSession(session: HardenableSession, origins: readonly string[]): void {
  session.setPermissionRequestHandler((_webContents, permission, callback, details) => {
    const requestingUrl = (details as { requestingUrl?: string } | undefined)?.requestingUrl
    callback(isPermissionAllowed(permission, requestingUrl, origins))
  })
  session.setPermissionCheckHandler((_webContents, permission, requestingOrigin) =>
    isPermissionAllowed(permission, requestingOrigin, origins)
  )
}
