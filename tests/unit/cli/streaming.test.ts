// The command line at any size: listings stream page by page with constant
// memory, a reader that stops early ends the command quietly, and the audit
// log is read one page at a time with its filters.
import { spawn } from 'node:child_process'
import { resolve } from 'node:path'
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest'
import { fileKeyProvider } from '../../../src/main/core/crypto/keys'
import { openCore } from '../../../src/main/core/open-core'
import type { CliIo } from '../../../src/cli/io'
import { printTable } from '../../../src/cli/output'
import { CliSandbox } from '../helpers/cli'

const ROOT = resolve(__dirname, '..', '..', '..')
let sandbox: CliSandbox
beforeEach(() => {
  sandbox = new CliSandbox('twofa-stream-')
})
afterEach(() => sandbox.dispose())

describe('a table of any length', () => {
  it('prints as the rows come, holding only the first rows that set the widths', async () => {
    let yielded = 0
    let written = 0
    let mostAhead = 0
    async function* rows(): AsyncGenerator<string[]> {
      for (let i = 0; i < 300_000; i++) {
        yielded++
        yield [`user${i}@example.com`, `User ${i}`]
      }
    }
    const io: CliIo = {
      stdout: (text) => {
        written += text.split('\n').length - 1
        mostAhead = Math.max(mostAhead, yielded - written)
      },
      stderr: () => {},
      readStdin: async () => null,
      env: {}
    }
    // More rows than any call could spread as arguments (Math.max(...rows) overflowed the stack above ~125k).
    await printTable(io, ['EMAIL', 'NAME'], rows(), 'No users.')
    expect(written).toBe(300_001)
    expect(mostAhead).toBeLessThanOrEqual(201)
  })
})

describe('twofa-admin user list', () => {
  it('reads the directory one keyset page at a time, as the reader takes the rows', async () => {
    expect((await sandbox.run(['seed-demo', '--users', '3000'])).code).toBe(0)
    const pages: string[] = []
    const core = openCore({ dbPath: sandbox.db, keyProvider: fileKeyProvider(sandbox.db), traceStatements: (sql) => /LIMIT/.test(sql) && /FROM users u/.test(sql) && pages.push(sql) })
    try {
      let taken = 0
      for await (const _row of core.local.streamUsers({ sort: 'email' })) if (++taken === 10) break
      expect(pages).toHaveLength(1)
      let all = 0
      for await (const _row of core.local.streamUsers({ sort: 'email' })) all++
      expect(all).toBe(3000)
      // 3,000 rows in pages of 500: a handful of page reads, never one query for everything.
      expect(pages.length).toBeGreaterThanOrEqual(1 + 6)
      expect(pages.length).toBeLessThanOrEqual(1 + 8)
    } finally {
      core.close()
    }
  })

  it('stops quietly with status 0 when the reader closes the pipe early (| head -1)', async () => {
    expect((await sandbox.run(['seed-demo', '--users', '5000'])).code).toBe(0)
    const child = spawn(process.execPath, [resolve(ROOT, 'bin', 'twofa-admin.cjs'), 'user', 'list', '--db', sandbox.db], { stdio: ['ignore', 'pipe', 'pipe'] })
    let stderr = ''
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString('utf8')))
    // Read the first chunk, then close the pipe, as `head -1` does.
    await new Promise<void>((readFirst) => child.stdout.once('data', () => readFirst()))
    child.stdout.destroy()
    const code = await new Promise<number | null>((exited) => child.once('exit', (exitCode) => exited(exitCode)))
    expect(stderr).toBe('')
    expect(code).toBe(0)
  }, 30_000)
})

describe('twofa-admin audit', () => {
  // One directory for the whole group: eight users with real (OWASP-cost) password hashes take a few seconds.
  let logged: CliSandbox
  beforeAll(async () => {
    logged = new CliSandbox('twofa-audit-')
    expect((await logged.run(['init'])).code).toBe(0)
    for (let i = 0; i < 8; i++) {
      expect((await logged.run(['user', 'add', '--name', `User ${i}`, '--email', `user${i}@example.com`, '--password-stdin'], 'a long password 2026')).code).toBe(0)
    }
    expect((await logged.run(['user', 'enforce', 'user3@example.com'])).code).toBe(0)
  }, 60_000)
  afterAll(() => logged.dispose())

  it('prints one page, newest first, and how to ask for the next', async () => {
    const first = await logged.run(['audit', '--limit', '3'])
    const lines = first.out.trim().split('\n')
    expect(lines).toHaveLength(4)
    expect(lines[0]).toMatch(/^9 .* cli {2}enforcement.user-changed {2}user3@example.com/)
    expect(lines[3]).toBe('Older entries: twofa-admin audit --before 7 --limit 3')
    const next = await logged.run(['audit', '--before', '7', '--limit', '3', '--json'])
    expect((JSON.parse(next.out) as { id: number }[]).map((entry) => entry.id)).toEqual([6, 5, 4])
  })

  it('filters by user and action', async () => {
    const mine = JSON.parse((await logged.run(['audit', '--user', 'USER3@example.com', '--json'])).out) as { action: string; target: string }[]
    expect(mine.map((entry) => entry.action)).toEqual(['enforcement.user-changed', 'user.created'])
    const created = JSON.parse((await logged.run(['audit', '--action', 'user.created', '--json'])).out) as { action: string }[]
    expect(created).toHaveLength(8)
    expect(new Set(created.map((entry) => entry.action))).toEqual(new Set(['user.created']))
  })

  it('refuses a bad limit, cursor or action in one line with status 2', async () => {
    for (const args of [['--limit', '0'], ['--limit', '501'], ['--before', 'x'], ['--action', 'user.deleted'], ['--user']]) {
      const result = await logged.run(['audit', ...args])
      expect(result.code, args.join(' ')).toBe(2)
      expect(result.err.trim().split('\n'), args.join(' ')).toHaveLength(1)
    }
  })
})
