// app://twofa-admin/ serves the built renderer, with our CSP, and nothing outside it.
import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest'

vi.mock('electron', () => ({}))

import { APP_SCHEME_PRIVILEGES, createAppProtocolHandler } from '../../../src/main/electron/app-protocol'
import { CONTENT_SECURITY_POLICY } from '../../../src/main/web/security-headers'

let dir: string
let rendererDir: string
let handle: (request: Request) => Promise<Response>

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'twofa-protocol-'))
  rendererDir = join(dir, 'renderer')
  mkdirSync(join(rendererDir, 'assets'), { recursive: true })
  writeFileSync(join(rendererDir, 'index.html'), '<!doctype html><title>2FA Admin</title>')
  writeFileSync(join(rendererDir, 'assets', 'index-abc.js'), 'console.log(1)')
  writeFileSync(join(rendererDir, 'assets', 'shield.svg'), '<svg/>')
  writeFileSync(join(dir, 'secret.txt'), 'TOP SECRET')
  symlinkSync(join(dir, 'secret.txt'), join(rendererDir, 'assets', 'link.txt'))
  handle = createAppProtocolHandler(rendererDir)
})

afterAll(() => rmSync(dir, { recursive: true, force: true }))

const get = (url: string, method = 'GET') => handle(new Request(url, { method }))

describe('app:// protocol', () => {
  it('is registered as a standard, secure scheme', () => {
    expect(APP_SCHEME_PRIVILEGES.scheme).toBe('app')
    expect(APP_SCHEME_PRIVILEGES.privileges).toMatchObject({ standard: true, secure: true })
    expect(APP_SCHEME_PRIVILEGES.privileges).not.toHaveProperty('bypassCSP')
    expect(APP_SCHEME_PRIVILEGES.privileges).not.toHaveProperty('allowServiceWorkers')
  })

  it('serves index.html with the CSP, nosniff and no caching', async () => {
    for (const url of ['app://twofa-admin/', 'app://twofa-admin/index.html']) {
      const response = await get(url)
      expect(response.status).toBe(200)
      expect(response.headers.get('content-type')).toBe('text/html; charset=utf-8')
      expect(response.headers.get('content-security-policy')).toBe(CONTENT_SECURITY_POLICY)
      expect(response.headers.get('x-content-type-options')).toBe('nosniff')
      expect(response.headers.get('cache-control')).toBe('no-store')
      // corsEnabled is on for module scripts; no other origin may read our files.
      expect(response.headers.get('access-control-allow-origin')).toBeNull()
      expect(await response.text()).toContain('2FA Admin')
    }
  })

  it('serves assets with their content type', async () => {
    expect((await get('app://twofa-admin/assets/index-abc.js')).headers.get('content-type')).toBe('text/javascript; charset=utf-8')
    expect((await get('app://twofa-admin/assets/shield.svg')).headers.get('content-type')).toBe('image/svg+xml')
  })

  it('refuses anything outside the renderer folder', async () => {
    for (const url of [
      'app://twofa-admin/../secret.txt',
      'app://twofa-admin/%2e%2e/secret.txt',
      'app://twofa-admin/..%2fsecret.txt',
      'app://twofa-admin/assets/..%2f..%2fsecret.txt',
      'app://twofa-admin/..%5csecret.txt',
      'app://twofa-admin/assets/link.txt',
      'app://twofa-admin/%00index.html',
      'app://twofa-admin/assets',
      'app://twofa-admin/missing.js'
    ]) {
      const response = await get(url)
      expect(response.status, url).toBeGreaterThanOrEqual(400)
      expect(await response.text(), url).not.toContain('TOP SECRET')
    }
  })

  it('answers only for its own host and only to GET and HEAD', async () => {
    expect((await get('app://other-host/index.html')).status).toBe(404)
    expect((await get('app://twofa-admin/index.html', 'POST')).status).toBe(405)
    const head = await get('app://twofa-admin/index.html', 'HEAD')
    expect(head.status).toBe(200)
    expect(await head.text()).toBe('')
  })
})
