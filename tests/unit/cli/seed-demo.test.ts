import { join } from 'node:path'
import BetterSqlite3 from 'better-sqlite3'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { CliSandbox } from '../helpers/cli'
import { generateDemoUsers } from '../../../src/main/core/demo/demo-directory'

let sandbox: CliSandbox
let dir: string
let db: string

beforeEach(() => {
  sandbox = new CliSandbox('twofa-seed-')
  dir = sandbox.dir
  db = sandbox.db
})
afterEach(() => sandbox.dispose())

const cli = (args: string[], stdin: string | null = null) => sandbox.run(args, stdin)

/** Everything the generator decides (not the random secrets, nor times relative to now). */
function demoRows(path: string): unknown[] {
  const raw = new BetterSqlite3(path, { readonly: true })
  const rows = raw
    .prepare(
      `SELECT u.id, u.name, u.email, u.role, u.disabled, u.enforcement, u.failed_attempts, u.locked_until IS NOT NULL AS locked,
              u.password_hash, u.demo, u.tfa_class, c.user_id IS NOT NULL AS credential
       FROM users u LEFT JOIN totp_credentials c ON c.user_id = u.id ORDER BY u.id`
    )
    .all()
  raw.close()
  return rows
}

describe('twofa-admin seed-demo', () => {
  it('creates a database of demo users with every 2FA state, who cannot sign in', async () => {
    const seeded = await cli(['seed-demo', '--users', '3000'])
    expect(seeded).toMatchObject({ code: 0, err: '' })
    expect(seeded.out).toMatch(/with 3000 demo users \(seed 1, \d+ with 2FA active\)/)
    const status = JSON.parse((await cli(['status', '--json'])).out)
    expect(status.total).toBe(3000)
    for (const key of ['active', 'pending', 'inactive']) expect(status[key]).toBeGreaterThan(30)

    const rows = demoRows(db) as { password_hash: string | null; demo: number; enforcement: string; locked: number; disabled: number; role: string }[]
    expect(rows.every((row) => row.password_hash === null && row.demo === 1)).toBe(true)
    for (const enforcement of ['inherit', 'enforced', 'exempt']) expect(rows.some((row) => row.enforcement === enforcement)).toBe(true)
    expect(rows.some((row) => row.locked === 1)).toBe(true)
    expect(rows.some((row) => row.disabled === 1)).toBe(true)
    expect(rows.some((row) => row.role === 'admin')).toBe(true)
    // Locked demo users show as locked in the list.
    const list = JSON.parse((await cli(['user', 'list', '--json'])).out) as { locked: boolean }[]
    expect(list).toHaveLength(3000)
    expect(list.some((user) => user.locked)).toBe(true)
    // One audit entry records the seeding.
    expect((await cli(['audit', '--verify'])).code).toBe(0)
  })

  it('gives the same users for the same seed, and other users for another seed', async () => {
    const other = join(dir, 'other.db')
    const third = join(dir, 'third.db')
    expect((await cli(['seed-demo', '--users', '500', '--seed', '9'])).code).toBe(0)
    expect((await cli(['--db', other, 'seed-demo', '--users', '500', '--seed', '9'])).code).toBe(0)
    expect((await cli(['--db', third, 'seed-demo', '--users', '500', '--seed', '10'])).code).toBe(0)
    expect(demoRows(other)).toEqual(demoRows(db))
    expect(demoRows(third)).not.toEqual(demoRows(db))
  })

  it('refuses a database that already has users, unless --force, and never seeds twice', async () => {
    expect((await cli(['init'])).code).toBe(0)
    expect((await cli(['user', 'add', '--name', 'Ada', '--email', 'ada@example.com', '--role', 'admin', '--password-stdin'], 'a long admin password')).code).toBe(0)
    // A real user who happens to have the email of the first demo user of seed 1.
    let firstDemoEmail = ''
    generateDemoUsers({ count: 1, seed: 1, now: 0 }, (user) => (firstDemoEmail = user.email))
    expect((await cli(['user', 'add', '--name', 'Real Person', '--email', firstDemoEmail, '--password-stdin'], 'a long user password')).code).toBe(0)
    const refused = await cli(['seed-demo', '--users', '100'])
    expect(refused.code).toBe(1)
    expect(refused.err).toMatch(/already has users.*--force/)
    expect(JSON.parse((await cli(['status', '--json'])).out).total).toBe(2)

    const forced = await cli(['seed-demo', '--users', '100', '--force'])
    expect(forced.code).toBe(0)
    expect(forced.out).toMatch(/with 99 demo users/)
    expect(forced.out).toMatch(/Skipped 1 demo users whose email an existing user already has/)
    expect(JSON.parse((await cli(['status', '--json'])).out).total).toBe(101)
    expect(JSON.parse((await cli(['user', 'show', firstDemoEmail, '--json'])).out).name).toBe('Real Person')
    const again = await cli(['seed-demo', '--users', '100', '--force'])
    expect(again.code).toBe(1)
    expect(again.err).toMatch(/already holds 99 demo users/)
    // The real user is untouched and can still be found.
    expect(JSON.parse((await cli(['user', 'show', 'ada@example.com', '--json'])).out).role).toBe('admin')
  })

  it('reports usage errors on one line with exit status 2, changing nothing', async () => {
    for (const args of [
      ['seed-demo'],
      ['seed-demo', '--users', 'many'],
      ['seed-demo', '--users', '0'],
      ['seed-demo', '--users', '-5'],
      ['seed-demo', '--users', '10', '--seed', 'x'],
      ['seed-demo', '--users', '10', '--seed', '99999999999'],
      ['seed-demo', '--users', '99999999'],
      ['seed-demo', '--users', '10', '--json'],
      ['seed-demo', '--users', '10', 'extra']
    ]) {
      const result = await cli(args)
      expect(result.code, args.join(' ')).toBe(2)
      expect(result.err.trim().split('\n'), args.join(' ')).toHaveLength(1)
    }
    expect((await cli(['status'])).code).toBe(1)
  })

  it('is described in the help', async () => {
    const help = await cli(['--help'])
    expect(help.out).toMatch(/seed-demo --users N \[--seed S\] \[--force\]/)
    expect(help.out).toMatch(/no password, so nobody can sign\s+in as one/)
  })
})

describe('demo names and emails', () => {
  it('spell every email from the name, transliterating letters such as Ł and Ø', () => {
    const users: { name: string; email: string }[] = []
    generateDemoUsers({ count: 5000, seed: 7, now: Date.UTC(2026, 0, 1) }, (user) => users.push(user))
    const fold = (text: string) =>
      text.toLowerCase().normalize('NFD').replace(/\p{M}/gu, '').replace(/ł/g, 'l').replace(/ø/g, 'o').replace(/ı/g, 'i').replace(/[^a-z]/g, '')
    for (const { name, email } of users) {
      const [first = '', ...rest] = name.split(' ')
      expect(email.startsWith(`${fold(first)}.`), `${name} <${email}>`).toBe(true)
      expect(email, name).toContain(fold(rest.join('')))
    }
    expect(users.some((user) => /[ŁØ]/.test(user.name))).toBe(true)
  })
})
