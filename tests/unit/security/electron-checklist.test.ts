// The items of Electron's security checklist that no other test covers (see
// docs/SECURITY.md for the whole list and which test proves each item). What a
// function decides is tested here by calling it; what only the source can show
// (no other file switching an isolation off) is an ESLint rule, tested in
// electron-lint-rules.test.ts.
import { readFileSync } from 'node:fs'
import { join, resolve } from 'node:path'
import { describe, expect, it, vi } from 'vitest'

vi.mock('electron', () => ({}))

import { FUSE_PLAN, REQUIRED_FUSES, fuseConfig } from '../../../build/fuses.mjs'
import { APP_ENTRY_URL, trustedOrigins } from '../../../src/main/electron/app-origin'
import { hardenSession, hardenWebContents, type HardenableSession, type HardenableWebContents } from '../../../src/main/electron/hardening'
import { mainWindowOptions } from '../../../src/main/electron/window-options'
import { CONTENT_SECURITY_POLICY } from '../../../src/main/web/security-headers'

const ROOT = resolve(__dirname, '..', '..', '..')
const origins = trustedOrigins(undefined)

type Listener = (event: { preventDefault(): void }, ...args: unknown[]) => void

/** Fake web contents after hardenWebContents: each event says whether the hardening refused it. */
function hardenedContents() {
  const listeners = new Map<string, Listener>()
  let openHandler: ((details: { url: string }) => { action: string }) | undefined
  const contents = {
    on: (event: string, listener: Listener) => listeners.set(event, listener),
    setWindowOpenHandler: (handler: (details: { url: string }) => { action: string }) => {
      openHandler = handler
    }
  }
  hardenWebContents(contents as unknown as HardenableWebContents, origins)
  const refused = (event: string, ...args: unknown[]): boolean => {
    const listener = listeners.get(event)
    if (!listener) throw new Error(`the hardening does not listen to ${event}`)
    const preventDefault = vi.fn()
    listener({ preventDefault }, ...args)
    return preventDefault.mock.calls.length > 0
  }
  const windowOpen = (url: string): string | undefined => {
    if (!openHandler) throw new Error('the hardening sets no window open handler')
    return openHandler({ url }).action
  }
  return { refused, windowOpen }
}

/** A fake session after hardenSession: what a page gets when it asks for a permission. */
function hardenedSession() {
  let request: Parameters<HardenableSession['setPermissionRequestHandler']>[0] = null
  let check: Parameters<HardenableSession['setPermissionCheckHandler']>[0] = null
  hardenSession(
    {
      setPermissionRequestHandler: (handler) => {
        request = handler
      },
      setPermissionCheckHandler: (handler) => {
        check = handler
      }
    },
    origins
  )
  return {
    request(permission: string, requestingUrl: string): boolean {
      const callback = vi.fn()
      request?.(null, permission, callback, { requestingUrl })
      expect(callback).toHaveBeenCalledTimes(1)
      return callback.mock.calls[0]?.[0] as boolean
    },
    check: (permission: string, requestingOrigin: string): boolean | undefined => check?.(null, permission, requestingOrigin, {})
  }
}

describe('Electron security checklist', () => {
  it('#2, #3, #4, #6, #8, #9, #10, #11: the window gets exactly the isolated webPreferences, nothing else switched on', () => {
    // toEqual, not toMatchObject: an added experimentalFeatures or enableBlinkFeatures fails here too.
    expect(mainWindowOptions('/app/out/preload/index.js').webPreferences).toEqual({
      preload: '/app/out/preload/index.js',
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      nodeIntegrationInWorker: false,
      nodeIntegrationInSubFrames: false,
      webSecurity: true,
      allowRunningInsecureContent: false,
      webviewTag: false,
      spellcheck: false,
      navigateOnDragDrop: false
    })
  })

  it('#11, #12: no web contents can attach a webview, whatever the webview asks for', () => {
    const { refused } = hardenedContents()
    // Even one that would show our own page with the tightest preferences.
    expect(refused('will-attach-webview', { nodeIntegration: false, sandbox: true }, { src: APP_ENTRY_URL })).toBe(true)
    expect(refused('will-attach-webview', { nodeIntegration: true, preload: '/tmp/evil.js' }, { src: 'https://evil.example/', allowpopups: 'true' })).toBe(true)
  })

  it('#13, #14, #15: links, window.open and navigation never leave the app, and the openExternal permission is refused', () => {
    const { refused, windowOpen } = hardenedContents()
    for (const url of ['https://example.com/', 'mailto:ada@example.com', 'file:///etc/passwd', 'javascript:alert(1)', APP_ENTRY_URL]) {
      expect(windowOpen(url), url).toBe('deny')
    }
    for (const url of ['https://example.com/', 'mailto:ada@example.com', 'file:///etc/passwd', 'app://evil/index.html']) {
      expect(refused('will-navigate', url), url).toBe(true)
      expect(refused('will-redirect', url), url).toBe(true)
    }
    expect(refused('will-navigate', APP_ENTRY_URL)).toBe(false)
    const { request, check } = hardenedSession()
    expect(request('openExternal', APP_ENTRY_URL)).toBe(false)
    expect(check('openExternal', 'app://twofa-admin')).toBe(false)
  })

  it('#18: only app:// pages are ours; a file:// page is neither trusted nor navigated to, nor granted anything', () => {
    expect(origins).toEqual(['app://twofa-admin'])
    const { refused } = hardenedContents()
    expect(refused('will-navigate', 'file:///app/out/renderer/index.html')).toBe(true)
    const { request } = hardenedSession()
    expect(request('clipboard-sanitized-write', 'file:///app/out/renderer/index.html')).toBe(false)
    expect(request('clipboard-sanitized-write', APP_ENTRY_URL)).toBe(true)
  })

  it('#7: the page carries the same CSP as the headers (a meta tag cannot hold frame-ancestors)', () => {
    const html = readFileSync(join(ROOT, 'src', 'renderer', 'index.html'), 'utf8')
    const meta = /http-equiv="Content-Security-Policy"\s+content="([^"]+)"/.exec(html)?.[1]
    expect(meta).toBe(CONTENT_SECURITY_POLICY.replace("; frame-ancestors 'none'", ''))
    expect(html).not.toMatch(/<script(?![^>]*\bsrc=)[^>]*>/)
    expect(html).not.toMatch(/\son\w+=/i)
  })

  it('#16: a current Electron, pinned to an exact version', () => {
    const pkg = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { devDependencies: Record<string, string> }
    const pinned = pkg.devDependencies.electron ?? ''
    expect(pinned).toMatch(/^\d+\.\d+\.\d+$/)
    // Electron supports the latest three majors; 45 is the current one (issue 2). Raise this when upgrading.
    expect(Number(pinned.split('.')[0])).toBeGreaterThanOrEqual(45)
    const installed = JSON.parse(readFileSync(join(ROOT, 'node_modules', 'electron', 'package.json'), 'utf8')) as { version: string }
    expect(installed.version).toBe(pinned)
  })

  it('#19: the fuse plan turns off RunAsNode, NODE_OPTIONS and --inspect, and turns on cookie encryption and ASAR integrity', () => {
    expect(FUSE_PLAN).toMatchObject(REQUIRED_FUSES)
    expect(REQUIRED_FUSES).toEqual({
      RunAsNode: false,
      EnableCookieEncryption: true,
      EnableNodeOptionsEnvironmentVariable: false,
      EnableNodeCliInspectArguments: false,
      EnableEmbeddedAsarIntegrityValidation: true,
      OnlyLoadAppFromAsar: true
    })
    // The names are @electron/fuses' FuseV1Options (fuse wire indexes 0-7), so the packaging step cannot silently skip one.
    const FuseV1Options = {
      RunAsNode: 0,
      EnableCookieEncryption: 1,
      EnableNodeOptionsEnvironmentVariable: 2,
      EnableNodeCliInspectArguments: 3,
      EnableEmbeddedAsarIntegrityValidation: 4,
      OnlyLoadAppFromAsar: 5,
      LoadBrowserProcessSpecificV8Snapshot: 6,
      GrantFileProtocolExtraPrivileges: 7
    }
    const config = fuseConfig({ V1: '1' }, FuseV1Options)
    expect(config).toMatchObject({ version: '1', 0: false, 1: true, 2: false, 3: false, 4: true, 5: true, 7: false })
    expect(() => fuseConfig({ V1: '1' }, { RunAsNode: 0 })).toThrow(/no fuse named/)
  })
})
