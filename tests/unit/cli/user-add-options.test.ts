// twofa-admin user add --enforce / --generate-password, and user set-password
// --generate-password: the password is printed once and never stored in the clear.
import BetterSqlite3 from 'better-sqlite3'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { judgePassword } from '../../../src/shared/password-policy'
import { CliSandbox } from '../helpers/cli'

let sandbox: CliSandbox
beforeEach(async () => {
  sandbox = new CliSandbox('twofa-cli-add-')
  expect((await sandbox.run(['init'])).code).toBe(0)
})
afterEach(() => sandbox.dispose())

const cli = (args: string[], stdin: string | null = null) => sandbox.run(args, stdin)
const MARIA = ['user', 'add', '--name', 'Maria Garcia', '--email', 'maria@example.com']

function read<T>(sql: string): T[] {
  const raw = new BetterSqlite3(sandbox.db, { readonly: true })
  try {
    return raw.prepare(sql).all() as T[]
  } finally {
    raw.close()
  }
}

function snapshot(): string {
  return JSON.stringify(['users', 'audit_log', 'enforcement_policy'].map((table) => read(`SELECT * FROM ${table}`)))
}

/** The password line after "Generated password (shown once ...):". */
function printedPassword(out: string): string {
  const lines = out.trimEnd().split('\n')
  const at = lines.findIndex((line) => line.startsWith('Generated password (shown once'))
  expect(at).toBeGreaterThanOrEqual(0)
  return lines[at + 1] ?? ''
}

describe('twofa-admin user add', () => {
  it('--enforce creates the user with 2FA activation enforced', async () => {
    const added = await cli([...MARIA, '--password-stdin', '--enforce'], 'maria password 2026')
    expect(added).toMatchObject({ code: 0, err: '' })
    expect(added.out).toBe('Added maria@example.com (user); 2FA status: 2FA enforced, activation pending.\n')
    const shown = JSON.parse((await cli(['user', 'show', 'maria@example.com', '--json'])).out) as Record<string, unknown>
    expect(shown).toMatchObject({ status: 'pending', enforcement: 'enforced', enforcementSource: 'individual' })
    expect(read<{ action: string }>("SELECT action FROM audit_log WHERE target = 'maria@example.com' ORDER BY id").map((row) => row.action)).toEqual(['user.created', 'enforcement.user-changed'])
  })

  it('--generate-password prints a strong password once, which is never stored in the clear', async () => {
    const added = await cli([...MARIA, '--generate-password'])
    expect(added).toMatchObject({ code: 0, err: '' })
    const password = printedPassword(added.out)
    expect(password).toMatch(/^[A-Za-z2-9]{5}(-[A-Za-z2-9]{5}){3}$/)
    expect(judgePassword(password).acceptable).toBe(true)
    expect(added.out.split(password)).toHaveLength(2)
    expect(JSON.stringify(read('SELECT * FROM audit_log'))).not.toContain(password)
    expect(JSON.stringify(read('SELECT * FROM users'))).not.toContain(password)
    expect((await cli(['audit', '--json'])).out).not.toContain(password)
    expect((await cli(['user', 'show', 'maria@example.com', '--json'])).out).not.toContain(password)
  })

  it('both options together', async () => {
    const added = await cli([...MARIA, '--generate-password', '--enforce'])
    expect(added.code).toBe(0)
    expect(added.out).toContain('2FA status: 2FA enforced, activation pending.')
    expect(printedPassword(added.out)).toHaveLength(23)
  })

  it.each([
    [['--password-stdin', '--generate-password'], 'maria password 2026', /--password-stdin or --generate-password, not both/],
    [[], null, /needs --password-stdin .* or --generate-password/],
    [['--generate-password', '--enforce=yes'], null, /enforce/]
  ])('refuses %j with one line on stderr and no change', async (extra, stdin, message) => {
    const before = snapshot()
    const result = await cli([...MARIA, ...extra], stdin)
    expect(result.code).toBe(2)
    expect(result.err).toMatch(message)
    expect(result.out).toBe('')
    expect(snapshot()).toBe(before)
  })
})

describe('twofa-admin user set-password --generate-password', () => {
  it('prints the new password once and the old one stops working', async () => {
    await cli([...MARIA, '--password-stdin'], 'maria password 2026')
    const changed = await cli(['user', 'set-password', 'maria@example.com', '--generate-password'])
    expect(changed).toMatchObject({ code: 0, err: '' })
    const password = printedPassword(changed.out)
    expect(judgePassword(password).acceptable).toBe(true)
    expect(JSON.stringify(read('SELECT * FROM audit_log'))).not.toContain(password)
    const entry = read<{ details: string }>("SELECT details FROM audit_log WHERE action = 'user.password-changed'")[0]
    expect(JSON.parse(entry?.details ?? '{}')).toEqual({ by: 'administrator', first: false, generated: true })
  })

  it('refuses both ways at once, changing nothing', async () => {
    await cli([...MARIA, '--password-stdin'], 'maria password 2026')
    const before = snapshot()
    const result = await cli(['user', 'set-password', 'maria@example.com', '--generate-password', '--password-stdin'], 'another password 2026')
    expect(result.code).toBe(2)
    expect(snapshot()).toBe(before)
  })
})
