// `npm run serve`: argument handling, start-up output, and a clean stop on Ctrl-C.
import { spawn } from 'node:child_process'
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { request } from 'node:http'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { main, parseServeArgs, startServe, UsageError } from '../../../src/server/serve'

let dir: string
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'twofa-serve-'))
})
afterEach(() => rmSync(dir, { recursive: true, force: true }))

function getStatus(url: string, host: string): Promise<number> {
  return new Promise((resolveStatus, reject) => {
    const req = request(url, { headers: { Host: host } }, (res) => {
      res.resume()
      resolveStatus(res.statusCode ?? 0)
    })
    req.on('error', reject)
    req.end()
  })
}

describe('serve arguments', () => {
  it('reads --db and --port, in both spellings', () => {
    expect(parseServeArgs(['--db', 'a.db', '--port', '8080'])).toEqual({ dbPath: resolve('a.db'), port: 8080 })
    expect(parseServeArgs(['--db=/x/b.db', '--port=0'])).toEqual({ dbPath: '/x/b.db', port: 0 })
  })

  it('defaults to the desktop app’s database (or TWOFA_ADMIN_DB) and a free port', () => {
    expect(parseServeArgs([], { TWOFA_ADMIN_DB: '/srv/d.db' })).toEqual({ dbPath: '/srv/d.db', port: 0 })
    expect(parseServeArgs([], { XDG_CONFIG_HOME: '/cfg' }).dbPath).toMatch(/twofa-admin\.db$/)
  })

  it('takes a shorter re-authentication window from TWOFA_ADMIN_REAUTH_WINDOW_MS (for the end-to-end tests), ignoring anything but a number', () => {
    expect(parseServeArgs([], { TWOFA_ADMIN_DB: '/d.db', TWOFA_ADMIN_REAUTH_WINDOW_MS: '2000' })).toEqual({ dbPath: '/d.db', port: 0, reauthWindowMs: 2000 })
    for (const text of ['', '-1', '1e9', 'soon', '99999999999']) {
      expect(parseServeArgs([], { TWOFA_ADMIN_DB: '/d.db', TWOFA_ADMIN_REAUTH_WINDOW_MS: text })).not.toHaveProperty('reauthWindowMs')
    }
    // The core caps it at 5 minutes whatever it is given (tests/unit/core/reauthentication.test.ts).
  })

  it('refuses unknown flags and bad values', () => {
    expect(() => parseServeArgs(['--verbose'])).toThrow(UsageError)
    expect(() => parseServeArgs(['--db'])).toThrow(/--db needs a value/)
    expect(() => parseServeArgs(['--port', '99999'])).toThrow(/--port/)
    expect(() => parseServeArgs(['--port', 'http'])).toThrow(/--port/)
  })

  it('exits 2 with a one-line error on an unknown flag', async () => {
    const out: string[] = []
    const err: string[] = []
    expect(await main(['--bogus'], { out: (line) => out.push(line), err: (line) => err.push(line) })).toBe(2)
    expect(out).toEqual([])
    expect(err).toHaveLength(1)
    expect(err[0]).toMatch(/Unknown option "--bogus"/)
  })
})

describe('startServe', () => {
  it('creates the database folder, prints the address and stops', async () => {
    const rendererDir = join(dir, 'renderer')
    mkdirSync(rendererDir)
    writeFileSync(join(rendererDir, 'index.html'), '<!doctype html>')
    const dbPath = join(dir, 'nested', 'folder', 'dir.db')
    const lines: string[] = []
    const stop = await startServe(['--db', dbPath], { out: (line) => lines.push(line), err: (line) => lines.push(line) }, rendererDir)
    try {
      expect(existsSync(dbPath)).toBe(true)
      const urlLine = lines.find((line) => line.startsWith('2FA Admin preview: '))
      expect(urlLine).toMatch(/^2FA Admin preview: http:\/\/127\.0\.0\.1:\d+\/#token=[\w-]{43}$/)
      expect(lines).toContain('Press Ctrl-C to stop.')
      const url = new URL((urlLine as string).slice('2FA Admin preview: '.length))
      expect(await getStatus(`http://127.0.0.1:${url.port}/`, `127.0.0.1:${url.port}`)).toBe(200)
    } finally {
      await stop()
    }
  })
})

describe('main', () => {
  it('listens for Ctrl-C before it says to press it: a Ctrl-C at once stops it cleanly, and the port closes', async () => {
    const rendererDir = join(dir, 'renderer')
    mkdirSync(rendererDir)
    writeFileSync(join(rendererDir, 'index.html'), '<!doctype html>')
    const before = process.listenerCount('SIGINT')
    const lines: string[] = []
    let listeningWhenAsked = -1
    const io = {
      out: (line: string) => {
        lines.push(line)
        if (line !== 'Press Ctrl-C to stop.') return
        listeningWhenAsked = process.listenerCount('SIGINT') - before
        // As soon as it is asked for, as a person (or a script reading the output) would.
        process.emit('SIGINT')
      },
      err: (line: string) => lines.push(line)
    }
    const exit = main(['--db', join(dir, 'main.db')], io, rendererDir)
    const outcome = await Promise.race([exit, new Promise<'still running'>((done) => setTimeout(() => done('still running'), 5_000))])
    if (outcome === 'still running') process.emit('SIGINT')
    expect(outcome).toBe(0)
    expect(listeningWhenAsked).toBe(1)
    expect(process.listenerCount('SIGINT')).toBe(before)
    const url = new URL((lines.find((line) => line.startsWith('2FA Admin preview: ')) as string).slice('2FA Admin preview: '.length))
    await expect(getStatus(`http://127.0.0.1:${url.port}/`, `127.0.0.1:${url.port}`)).rejects.toThrow(/ECONNREFUSED/)
  })
})

describe('npm run serve (scripts/serve.mjs)', () => {
  it('prints the address and exits 0 on Ctrl-C', async () => {
    const root = resolve(__dirname, '..', '..', '..')
    const child = spawn(process.execPath, [join(root, 'scripts', 'serve.mjs'), '--db', join(dir, 'preview.db')], { cwd: root })
    let output = ''
    child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString('utf8')))
    child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString('utf8')))
    const exited = new Promise<number | null>((done) => child.on('exit', (code) => done(code)))
    await new Promise<void>((ready, fail) => {
      const timer = setInterval(() => {
        if (output.includes('Press Ctrl-C to stop.')) {
          clearInterval(timer)
          ready()
        }
      }, 50)
      void exited.then(() => {
        clearInterval(timer)
        fail(new Error(`serve exited early:\n${output}`))
      })
    })
    expect(output).toMatch(/2FA Admin preview: http:\/\/127\.0\.0\.1:\d+\/#token=/)
    child.kill('SIGINT')
    expect(await exited).toBe(0)
  }, 120_000)
})
