// Which pages are ours. The renderer is served from a custom protocol rather
// than file:// so that it has a real origin of its own: file:// pages share one
// opaque origin with every other file on the disk.

export const APP_SCHEME = 'app'
export const APP_HOST = 'twofa-admin'
export const APP_ORIGIN = `${APP_SCHEME}://${APP_HOST}`
export const APP_ENTRY_URL = `${APP_ORIGIN}/index.html`

function originOf(url: string): string | null {
  try {
    const parsed = new URL(url)
    // Non-standard schemes have the opaque origin "null"; build ours from its parts.
    if (parsed.protocol === `${APP_SCHEME}:`) return `${parsed.protocol}//${parsed.host}`
    return parsed.origin === 'null' ? null : parsed.origin
  } catch {
    return null
  }
}

/**
 * The origins whose pages may call the app: our protocol and, in development
 * only (electron-vite sets ELECTRON_RENDERER_URL), the Vite dev server.
 */
export function trustedOrigins(devRendererUrl: string | undefined): string[] {
  const origins = [APP_ORIGIN]
  const devOrigin = devRendererUrl ? originOf(devRendererUrl) : null
  if (devOrigin) origins.push(devOrigin)
  return origins
}

export function isTrustedUrl(url: string | null | undefined, origins: readonly string[]): boolean {
  if (typeof url !== 'string' || url.length === 0) return false
  const origin = originOf(url)
  return origin !== null && origins.includes(origin)
}
