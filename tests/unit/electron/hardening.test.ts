// The main window's isolation and the refusals that keep it on our own pages.
import { existsSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it, vi } from 'vitest'

// Nothing here may need the real Electron: it cannot load in plain Node.
vi.mock('electron', () => ({}))

import { APP_ENTRY_URL, APP_ORIGIN, isTrustedUrl, trustedOrigins } from '../../../src/main/electron/app-origin'
import { hardenSession, hardenWebContents, isPermissionAllowed, type HardenableSession, type HardenableWebContents } from '../../../src/main/electron/hardening'
import { mainWindowOptions } from '../../../src/main/electron/window-options'
import { CONTENT_SECURITY_POLICY } from '../../../src/main/web/security-headers'

const origins = trustedOrigins(undefined)

function fakeContents() {
  const listeners = new Map<string, (...args: unknown[]) => void>()
  let openHandler: ((details: { url: string }) => { action: string }) | undefined
  const contents = {
    on: (event: string, listener: (...args: unknown[]) => void) => listeners.set(event, listener),
    setWindowOpenHandler: (handler: (details: { url: string }) => { action: string }) => {
      openHandler = handler
    }
  }
  hardenWebContents(contents as unknown as HardenableWebContents, origins)
  const fire = (event: string, url?: string): boolean => {
    const preventDefault = vi.fn()
    const listener = listeners.get(event)
    if (!listener) throw new Error(`no listener for ${event}`)
    listener({ preventDefault }, url)
    return preventDefault.mock.calls.length > 0
  }
  return { fire, open: (url: string) => openHandler?.({ url }) }
}

describe('main window options', () => {
  it('isolate the page from Node and Electron', () => {
    const options = mainWindowOptions('/app/out/preload/index.js')
    expect(options.webPreferences).toMatchObject({
      preload: '/app/out/preload/index.js',
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      nodeIntegrationInWorker: false,
      nodeIntegrationInSubFrames: false,
      webSecurity: true,
      allowRunningInsecureContent: false,
      webviewTag: false
    })
    expect(options.title).toBe('2FA Admin')
  })

  it('carry the app icon shipped in resources/', () => {
    const icon = join(__dirname, '..', '..', '..', 'resources', 'icon.png')
    expect(existsSync(icon)).toBe(true)
    expect(mainWindowOptions('/app/out/preload/index.js', icon).icon).toBe(icon)
  })
})

describe('content security policy', () => {
  it('allows only our own scripts, styles and connections, and no framing', () => {
    expect(CONTENT_SECURITY_POLICY).toBe(
      "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; object-src 'none'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'"
    )
    expect(CONTENT_SECURITY_POLICY).not.toContain('unsafe')
  })
})

describe('trusted origins', () => {
  it('are our app:// origin, plus the dev server only when one is given', () => {
    expect(APP_ENTRY_URL).toBe('app://twofa-admin/index.html')
    expect(origins).toEqual([APP_ORIGIN])
    expect(trustedOrigins('http://localhost:5173/')).toEqual([APP_ORIGIN, 'http://localhost:5173'])
  })

  it('reject look-alikes and other schemes', () => {
    expect(isTrustedUrl('app://twofa-admin/index.html', origins)).toBe(true)
    for (const url of ['app://evil/index.html', 'app://twofa-admin.evil/x', 'file:///etc/passwd', 'https://twofa-admin/', 'about:blank', '', 'not a url', null]) {
      expect(isTrustedUrl(url, origins), String(url)).toBe(false)
    }
    expect(isTrustedUrl('http://localhost:5174/', trustedOrigins('http://localhost:5173'))).toBe(false)
  })
})

describe('navigation and new windows', () => {
  it('refuses navigation and redirects to foreign pages', () => {
    const { fire } = fakeContents()
    expect(fire('will-navigate', 'https://example.com/phish')).toBe(true)
    expect(fire('will-navigate', 'file:///etc/passwd')).toBe(true)
    expect(fire('will-redirect', 'https://example.com/')).toBe(true)
  })

  it('lets the page reload within our own origin', () => {
    const { fire } = fakeContents()
    expect(fire('will-navigate', 'app://twofa-admin/index.html')).toBe(false)
  })

  it('denies every window.open and webview', () => {
    const { fire, open } = fakeContents()
    expect(open('https://example.com/')).toEqual({ action: 'deny' })
    expect(open('app://twofa-admin/index.html')).toEqual({ action: 'deny' })
    expect(fire('will-attach-webview')).toBe(true)
  })
})

describe('permissions', () => {
  function hardenedSession() {
    let request: ((wc: unknown, permission: string, callback: (granted: boolean) => void, details: unknown) => void) | undefined
    let check: ((wc: unknown, permission: string, origin: string, details: unknown) => boolean) | undefined
    const session: HardenableSession = {
      setPermissionRequestHandler: (handler) => {
        request = handler ?? undefined
      },
      setPermissionCheckHandler: (handler) => {
        check = handler ?? undefined
      }
    }
    hardenSession(session, origins)
    return {
      request: (permission: string, requestingUrl: string): boolean => {
        const callback = vi.fn()
        request?.(null, permission, callback, { requestingUrl })
        expect(callback).toHaveBeenCalledTimes(1)
        return callback.mock.calls[0]?.[0] as boolean
      },
      check: (permission: string, origin: string): boolean | undefined => check?.(null, permission, origin, {})
    }
  }

  it('refuses camera, microphone, location, notifications and the rest, even to our own page', () => {
    const { request, check } = hardenedSession()
    for (const permission of ['media', 'geolocation', 'notifications', 'openExternal', 'hid', 'usb', 'serial', 'clipboard-read', 'fullscreen']) {
      expect(request(permission, 'app://twofa-admin/index.html'), permission).toBe(false)
      expect(check(permission, 'app://twofa-admin'), permission).toBe(false)
    }
  })

  it('allows only clipboard writes, and only from our own origin (the Copy button for recovery codes)', () => {
    const { request, check } = hardenedSession()
    expect(request('clipboard-sanitized-write', 'app://twofa-admin/index.html')).toBe(true)
    expect(check('clipboard-sanitized-write', 'app://twofa-admin')).toBe(true)
    expect(request('clipboard-sanitized-write', 'https://example.com/')).toBe(false)
    expect(isPermissionAllowed('clipboard-sanitized-write', undefined, origins)).toBe(false)
  })
})
