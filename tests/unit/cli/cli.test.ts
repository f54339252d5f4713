import { execFileSync, spawnSync } from 'node:child_process'
import { chmodSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { join, resolve } from 'node:path'
import BetterSqlite3 from 'better-sqlite3'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { CliSandbox } from '../helpers/cli'
import { GUESSES_PER_LOCK, MAX_CONSECUTIVE_FAILURES, UNTIL_UNLOCKED } from '../../../src/main/core/lockout'
import { LATEST_VERSION } from '../../../src/main/db/migrations'

const ROOT = resolve(__dirname, '..', '..', '..')
let sandbox: CliSandbox
let dir: string
let db: string

beforeEach(() => {
  sandbox = new CliSandbox('twofa-cli-')
  dir = sandbox.dir
  db = sandbox.db
})
afterEach(() => sandbox.dispose())

const cli = (args: string[], stdin: string | null = null) => sandbox.run(args, stdin)

function snapshot(): string {
  const raw = new BetterSqlite3(db, { readonly: true })
  const tables = ['users', 'totp_credentials', 'recovery_codes', 'enforcement_policy', 'audit_log']
  const dump = JSON.stringify(tables.map((t) => raw.prepare(`SELECT * FROM ${t}`).all()))
  raw.close()
  return dump
}

describe('twofa-admin', () => {
  it('adds users, enforces, reports status as JSON and lists users as JSON', async () => {
    expect((await cli(['init'])).code).toBe(0)
    expect((await cli(['user', 'add', '--name', 'Ada', '--email', 'Ada@Example.com', '--role', 'admin', '--password-stdin'], 'a long admin password\n')).code).toBe(0)
    expect((await cli(['user', 'add', '--name', 'user', '--email', 'maria@example.com', '--password-stdin'], 'maria password 2026')).code).toBe(0)
    expect((await cli(['user', 'enforce', 'maria@example.com'])).code).toBe(0)

    const status = await cli(['status', '--json'])
    // No grace period: both pending users are overdue.
    expect(JSON.parse(status.out)).toEqual({ total: 2, active: 0, pending: 2, inactive: 0, overdue: 2, enforcedForAll: false, deadline: null, exemptionGroup: null })
    expect((await cli(['enforce-all'])).code).toBe(0)
    expect(JSON.parse((await cli(['status', '--json'])).out).enforcedForAll).toBe(true)

    const list = JSON.parse((await cli(['user', 'list', '--json'])).out) as Record<string, unknown>[]
    // No grace period: administrators are due at once (no deadline), Maria from the moment she was enforced.
    expect(list).toEqual([
      { email: 'ada@example.com', name: 'Ada', role: 'admin', status: 'pending', enforcement: 'inherit', enforced: true, deadline: null, overdue: true, groups: [], locked: false, disabled: false },
      { email: 'maria@example.com', name: 'user', role: 'user', status: 'pending', enforcement: 'enforced', enforced: true, deadline: expect.stringMatching(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/), overdue: true, groups: [], locked: false, disabled: false }
    ])
    expect(Date.parse(list[1]?.deadline as string)).toBeLessThanOrEqual(Date.now())
    expect(JSON.parse((await cli(['user', 'list', '--status', 'inactive', '--json'])).out)).toEqual([])
    expect(JSON.parse((await cli(['user', 'show', 'maria@example.com', '--json'])).out)).toMatchObject({ email: 'maria@example.com', enforcement: 'enforced' })

    const audit = JSON.parse((await cli(['audit', '--json'])).out) as { actor: string; action: string }[]
    expect(audit.map((entry) => entry.action)).toEqual(['enforcement.all-enforced', 'enforcement.user-changed', 'user.created', 'user.created'])
    expect(new Set(audit.map((entry) => entry.actor))).toEqual(new Set(['cli']))
    expect((await cli(['audit', '--verify'])).code).toBe(0)
  })

  it('refuses bad input with one line on stderr, a non-zero exit, and no change', async () => {
    await cli(['init'])
    await cli(['user', 'add', '--name', 'Maria', '--email', 'maria@example.com', '--password-stdin'], 'maria password 2026')
    const before = snapshot()
    const cases: [string[], string | null, RegExp][] = [
      [['user', 'enforce', 'nobody@example.com'], null, /No user with the email nobody@example.com/],
      [['user', 'enforce', 'not-an-email'], null, /not a valid email/],
      [['user', 'add', '--name', 'X', '--email', 'bad@', '--password-stdin'], 'password 12345', /not a valid email/],
      [['user', 'add', '--name', 'X', '--email', 'x@example.com', '--password-stdin'], null, /Missing password/],
      [['user', 'add', '--name', 'X', '--email', 'x@example.com', '--password-stdin'], '\n', /Missing password/],
      [['user', 'add', '--name', 'X', '--email', 'x@example.com'], null, /--password-stdin/],
      [['user', 'add', '--name', 'X', '--email', 'x@example.com', '--password-stdin'], 'short', /at least 12 characters/],
      [['user', 'add', '--name', 'X', '--email', 'maria@example.com', '--password-stdin'], 'password 12345', /already exists/],
      [['user', 'add', '--name', 'X', '--email', 'x@example.com', '--role', 'root', '--password-stdin'], 'password 12345', /--role must be admin or user/],
      [['user', 'list', '--colour'], null, /Unknown option '--colour'/],
      [['status', '--verify'], null, /does not take --verify/],
      [['user', 'list', '--status', 'green'], null, /--status must be/],
      [['frobnicate'], null, /Unknown command "frobnicate"/],
      [['user', 'delete', 'maria@example.com'], null, /Unknown command "user delete"/],
      [['user', 'exempt'], null, /Expected one email/]
    ]
    for (const [args, stdin, message] of cases) {
      const result = await cli(args, stdin)
      expect(result.code, args.join(' ')).not.toBe(0)
      expect(result.err, args.join(' ')).toMatch(message)
      expect(result.err.trim().split('\n'), args.join(' ')).toHaveLength(1)
      expect(result.out, args.join(' ')).toBe('')
    }
    expect(snapshot()).toBe(before)
  })

  it('refuses a missing database instead of creating an empty one', async () => {
    const result = await cli(['status'])
    expect(result.code).toBe(1)
    expect(result.err).toMatch(/No database at .*twofa-admin init/)
    expect(() => readFileSync(db)).toThrow()
  })

  it('refuses a database that is not ours and one from a newer version, changing neither', async () => {
    const foreign = new BetterSqlite3(db)
    foreign.exec('CREATE TABLE notes (body TEXT)')
    foreign.close()
    const foreignBytes = readFileSync(db)
    const notOurs = await cli(['status'])
    expect(notOurs.code).toBe(1)
    expect(notOurs.err).toMatch(/is not a 2FA Admin database/)
    expect(readFileSync(db).equals(foreignBytes)).toBe(true)

    rmSync(db)
    await cli(['init'])
    const raw = new BetterSqlite3(db)
    raw.pragma(`user_version = ${LATEST_VERSION + 1}`)
    raw.close()
    const newer = await cli(['user', 'list'])
    expect(newer.code).toBe(1)
    expect(newer.err).toMatch(/newer version of 2FA Admin/)
  })

  it('resets 2FA and unlocks through the same core', async () => {
    await cli(['init'])
    await cli(['user', 'add', '--name', 'Maria', '--email', 'maria@example.com', '--password-stdin'], 'maria password 2026')
    expect((await cli(['user', 'reset-2fa', 'maria@example.com'])).out).toMatch(/2FA not active/)
    expect((await cli(['user', 'unlock', 'maria@example.com'])).code).toBe(0)
    expect((await cli(['user', 'exempt', 'maria@example.com'])).out).toMatch(/enforcement exempt/)
    expect((await cli(['user', 'inherit', 'maria@example.com'])).out).toMatch(/enforcement inherit/)
  })

  it('shows a lock with its end, and a lock only an administrator ends without a date', async () => {
    await cli(['init'])
    await cli(['user', 'add', '--name', 'Maria', '--email', 'maria@example.com', '--password-stdin'], 'maria password 2026')
    const lock = (failures: number, level: number, until: number) => {
      const raw = new BetterSqlite3(db)
      raw.prepare('UPDATE users SET failed_attempts = ?, lock_level = ?, locked_until = ? WHERE email = ?').run(failures, level, until, 'maria@example.com')
      raw.close()
    }
    const until = Date.UTC(2999, 0, 1)
    lock(GUESSES_PER_LOCK, 1, until)
    expect((await cli(['user', 'show', 'maria@example.com'])).out).toContain('  Locked:       yes, until 2999-01-01T00:00:00Z\n')

    lock(MAX_CONSECUTIVE_FAILURES, MAX_CONSECUTIVE_FAILURES / GUESSES_PER_LOCK, UNTIL_UNLOCKED)
    const show = await cli(['user', 'show', 'maria@example.com'])
    expect(show).toMatchObject({ code: 0, err: '' })
    expect(show.out).toContain('  Locked:       yes, until an administrator unlocks it\n')
    expect(show.out).not.toMatch(/\d{4}-\d\d-\d\dT/)
  })
})

describe('the README', () => {
  it('runs its CLI session verbatim', () => {
    const readme = readFileSync(join(ROOT, 'README.md'), 'utf8')
    const block = /<!-- cli-session:start -->\n```sh\n([\s\S]*?)```\n<!-- cli-session:end -->/.exec(readme)?.[1]
    expect(block).toBeDefined()
    // Put `twofa-admin` on PATH as `npm link` would.
    const binDir = join(dir, 'bin')
    execFileSync('mkdir', ['-p', binDir])
    writeFileSync(join(binDir, 'twofa-admin'), `#!/bin/sh\nexec "${process.execPath}" "${join(ROOT, 'bin', 'twofa-admin.cjs')}" "$@"\n`)
    chmodSync(join(binDir, 'twofa-admin'), 0o755)
    const run = spawnSync('bash', ['-euo', 'pipefail', '-c', block ?? 'false'], {
      cwd: dir,
      env: { ...process.env, PATH: `${binDir}:${process.env.PATH ?? ''}`, TMPDIR: dir },
      encoding: 'utf8'
    })
    expect(run.stderr).toBe('')
    expect(run.status).toBe(0)
    expect(run.stdout).toContain('{"total":3,"active":0,"pending":2,"inactive":1,"overdue":2,"enforcedForAll":false,"deadline":null,"exemptionGroup":null}')
    expect(run.stdout).toMatch(/tom@example\.com\s+Tom Jones\s+user\s+inactive\s+exempt/)
    // A search (issue 14): the full email in capitals finds Maria alone.
    expect(run.stdout).toMatch(/\nmaria@example\.com +Maria Garcia [^\n]*\n1 user matches "MARIA@EXAMPLE\.COM"\.\n/)
    // The page of Maria's entries, newest first: enforced, then created.
    expect(run.stdout).toMatch(/\d+ {2}\S+ {2}cli {2}enforcement\.user-changed {2}maria@example\.com[^\n]*\n\d+ {2}\S+ {2}cli {2}user\.created {2}maria@example\.com/)
    // The import: semicolons, a quoted comma, an email in other case matched to Maria.
    expect(run.stdout).toContain('Dry run of 2 rows: 1 to create, 1 to update, 0 unchanged. Nothing was changed.')
    expect(run.stdout).toContain('{"created":1,"updated":1,"unchanged":0,"errors":[]}')
    // Bulk changes (issue 13): a file of emails with a comment, then everyone pending by status.
    expect(run.stdout).toContain('Dry run: 1 user with 2FA active or already enforced will be enforced individually; 1 user already enforced individually is unchanged. Nothing was changed.')
    expect(run.stdout).toContain('"action":"inherit","selected":3,"willChange":1,"alreadyInThatState":1,"administratorsUnchanged":1')
    expect(run.stdout).toMatch(/Audit chain verified: \d+ entries/)
  }, 60_000)
})
