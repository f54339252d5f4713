import { describe, expect, it } from 'vitest'
import { API_METHODS } from '../../../src/shared/contract'
import { TOKEN_HEADER } from '../../../src/shared/transport'
import { createHttpApi, takeToken, TOKEN_STORAGE_KEY, UNREACHABLE_MESSAGE } from '../../../src/renderer/src/api/http-api'

interface Call {
  url: string
  init: RequestInit
}

function fakeFetch(answer: (call: Call) => Response | Promise<Response>) {
  const calls: Call[] = []
  const fetch = async (url: string, init: RequestInit) => {
    calls.push({ url, init })
    return answer({ url, init })
  }
  return { fetch, calls }
}

const json = (body: unknown, status = 200) => new Response(JSON.stringify(body), { status, headers: { 'Content-Type': 'application/json' } })

describe('createHttpApi', () => {
  it('has a function for every method of the contract', () => {
    const api = createHttpApi({ fetch: fakeFetch(() => json({ ok: true, value: null })).fetch, token: () => 't' })
    for (const method of API_METHODS) expect(typeof api[method]).toBe('function')
  })

  it('POSTs the input as JSON to the method path with the token header, same-origin', async () => {
    const { fetch, calls } = fakeFetch(() => json({ ok: true, value: { step: 'second-factor', email: 'a@example.com' } }))
    const api = createHttpApi({ fetch, token: () => 'SECRET' })
    const result = await api.login({ email: 'a@example.com', password: 'pw' })

    expect(result).toEqual({ ok: true, value: { step: 'second-factor', email: 'a@example.com' } })
    expect(calls).toHaveLength(1)
    const [call] = calls
    expect(call?.url).toBe('/api/login')
    expect(call?.init.method).toBe('POST')
    expect(call?.init.credentials).toBe('same-origin')
    // The preview's own name for the header, from the one place both sides read it.
    expect(TOKEN_HEADER).toBe('x-twofa-token')
    expect(call?.init.headers).toMatchObject({ [TOKEN_HEADER]: 'SECRET', 'Content-Type': 'application/json' })
    expect(JSON.parse(String(call?.init.body))).toEqual({ email: 'a@example.com', password: 'pw' })
  })

  it('passes an error Result through whatever the HTTP status', async () => {
    const error = { code: 'UNAUTHENTICATED', message: 'Log in first.' }
    const { fetch } = fakeFetch(() => json({ ok: false, error }, 401))
    const api = createHttpApi({ fetch, token: () => 'SECRET' })
    expect(await api.getMyAccount({})).toEqual({ ok: false, error })
  })

  it('turns a network failure into a TRANSPORT error', async () => {
    const { fetch } = fakeFetch(() => Promise.reject(new TypeError('Failed to fetch')))
    const api = createHttpApi({ fetch, token: () => 'SECRET' })
    expect(await api.getAppState({})).toEqual({ ok: false, error: { code: 'TRANSPORT', message: UNREACHABLE_MESSAGE } })
    expect(UNREACHABLE_MESSAGE).toBe('The app is not reachable. Is the preview still running?')
  })

  it('turns an answer that is not a Result into a TRANSPORT error', async () => {
    const { fetch } = fakeFetch(() => new Response('<html>Bad gateway</html>', { status: 502 }))
    const api = createHttpApi({ fetch, token: () => 'SECRET' })
    const result = await api.listUsers({})
    expect(result.ok).toBe(false)
    if (!result.ok) {
      expect(result.error.code).toBe('TRANSPORT')
      expect(result.error.message).toContain('HTTP 502')
    }
  })

  it('sends no token header when it has no token', async () => {
    const { fetch, calls } = fakeFetch(() => json({ ok: true, value: null }))
    await createHttpApi({ fetch, token: () => null }).logout({})
    expect(calls[0]?.init.headers).not.toHaveProperty(TOKEN_HEADER)
  })
})

describe('takeToken', () => {
  function memoryStorage(initial: Record<string, string> = {}) {
    const items = new Map(Object.entries(initial))
    return { getItem: (key: string) => items.get(key) ?? null, setItem: (key: string, value: string) => void items.set(key, value), items }
  }

  it('takes the token from the fragment, stores it and removes it from the address', () => {
    const storage = memoryStorage()
    const replaced: (string | undefined)[] = []
    const token = takeToken({ hash: '#token=abc_123-XYZ', pathname: '/', search: '' }, { replaceState: (_d, _u, url) => replaced.push(url) }, storage)
    expect(token).toBe('abc_123-XYZ')
    expect(storage.items.get(TOKEN_STORAGE_KEY)).toBe('abc_123-XYZ')
    expect(TOKEN_STORAGE_KEY).toBe('twofa-admin.token')
    expect(replaced).toEqual(['/'])
  })

  it('keeps the rest of the address', () => {
    const replaced: (string | undefined)[] = []
    takeToken({ hash: '#token=t&view=users', pathname: '/index.html', search: '?x=1' }, { replaceState: (_d, _u, url) => replaced.push(url) }, memoryStorage())
    expect(replaced).toEqual(['/index.html?x=1#view=users'])
  })

  it('falls back to the stored token on a reload', () => {
    const replaced: (string | undefined)[] = []
    const token = takeToken({ hash: '', pathname: '/', search: '' }, { replaceState: (_d, _u, url) => replaced.push(url) }, memoryStorage({ [TOKEN_STORAGE_KEY]: 'stored' }))
    expect(token).toBe('stored')
    expect(replaced).toEqual([])
  })
})
