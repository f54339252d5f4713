// A browser tab of the preview, as far as the HTTP bridge can tell: its own
// cookie jar, the token header, and the preview's own Origin and Host.
import { request } from 'node:http'
import { join } from 'node:path'
import type { ApiMethod } from '../../../src/shared/contract'
import type { Result } from '../../../src/shared/errors'
import { httpPath, TOKEN_HEADER } from '../../../src/shared/transport'
import { startPreviewServer, type PreviewServer } from '../../../src/server/preview-server'
import type { TestEnv } from './harness'

export interface BridgeReply {
  status: number
  setCookie: string[]
  body: Result<unknown>
}

/** Starts the preview over the test directory's core (the renderer files are not needed for API calls). */
export function startBridge(env: TestEnv): Promise<PreviewServer> {
  return startPreviewServer({ core: env.core, rendererDir: join(env.dir, 'no-renderer') })
}

export class BridgeTab {
  /** Cookies this tab holds, by name (the browser sends them back). */
  readonly cookies = new Map<string, string>()
  constructor(
    private readonly server: PreviewServer,
    /** Cookies another page planted for the same host, sent along as a browser would. */
    private readonly planted: string[] = []
  ) {}

  post(method: ApiMethod, payload: unknown = {}): Promise<BridgeReply> {
    const body = JSON.stringify(payload)
    const cookie = [...this.planted, ...[...this.cookies].map(([name, value]) => `${name}=${value}`)].join('; ')
    const headers: Record<string, string> = {
      Host: `127.0.0.1:${this.server.port}`,
      Origin: `http://127.0.0.1:${this.server.port}`,
      [TOKEN_HEADER]: this.server.token,
      'Content-Type': 'application/json',
      'Content-Length': String(Buffer.byteLength(body))
    }
    if (cookie.length > 0) headers.Cookie = cookie
    return new Promise((resolve, reject) => {
      const req = request({ host: '127.0.0.1', port: this.server.port, method: 'POST', path: httpPath(method), headers }, (res) => {
        const chunks: Buffer[] = []
        res.on('data', (chunk: Buffer) => chunks.push(chunk))
        res.on('end', () => {
          const setCookie = res.headers['set-cookie'] ?? []
          for (const line of setCookie) {
            const [pair, ...attributes] = line.split(';')
            const index = pair?.indexOf('=') ?? -1
            if (pair === undefined || index < 0) continue
            const name = pair.slice(0, index).trim()
            const value = pair.slice(index + 1).trim()
            // Max-Age=0 (or an empty value) is how a server clears a cookie.
            if (value === '' || attributes.some((attribute) => /^\s*max-age=0\s*$/i.test(attribute))) this.cookies.delete(name)
            else this.cookies.set(name, value)
          }
          resolve({ status: res.statusCode ?? 0, setCookie, body: JSON.parse(Buffer.concat(chunks).toString('utf8')) as Result<unknown> })
        })
      })
      req.on('error', reject)
      req.end(body)
    })
  }
}
