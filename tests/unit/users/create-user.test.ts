// Add user with "Enforce 2FA activation" and a generated initial password, and
// an administrator's new password for a user: the rules live in the core.
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { judgePassword } from '../../../src/shared/password-policy'
import { generatePassword } from '../../../src/main/core/crypto/generated-password'
import { REAUTH_WINDOW_MS } from '../../../src/main/core/sessions'
import { addUser, PASSWORD, setUpAdmin, TestEnv, type Screen } from '../helpers/harness'

let env: TestEnv
let admin: Screen
beforeEach(async () => {
  env = new TestEnv()
  admin = (await setUpAdmin(env)).screen
})
afterEach(() => env.dispose())

const MARIA = { name: 'Maria Garcia', email: 'maria@example.com', role: 'user' as const }

function auditRows(): { action: string; target: string | null; details: string | null }[] {
  return env.db.prepare('SELECT action, target, details FROM audit_log ORDER BY id').all() as { action: string; target: string | null; details: string | null }[]
}

/** Everything a refused call could have changed. */
function dump(): string {
  const tables = ['users', 'audit_log', 'enforcement_policy', 'class_counts', 'distribution_history']
  return JSON.stringify(tables.map((table) => env.db.prepare(`SELECT * FROM ${table} ORDER BY 1`).all()))
}

describe('Add user with "Enforce 2FA activation"', () => {
  it('creates the user enforced individually, in one change with two audit entries, and the counts follow exactly', async () => {
    const before = (await admin.ok('getSecurityOverview')).distribution
    const user = await admin.ok('createUser', { ...MARIA, password: PASSWORD, enforce: true })
    expect(user).toMatchObject({ status: 'pending', enforcement: 'enforced', enforced: true, enforcementSource: 'individual', enforcementChangedBy: 'admin@example.com' })
    expect(user).not.toHaveProperty('generatedPassword')
    const after = (await admin.ok('getSecurityOverview')).distribution
    expect(after).toEqual({ ...before, total: before.total + 1, pending: before.pending + 1, overdue: before.overdue + 1 })

    const rows = auditRows().filter((row) => row.target === 'maria@example.com')
    expect(rows.map((row) => row.action)).toEqual(['user.created', 'enforcement.user-changed'])
    expect(JSON.parse(rows[1]?.details ?? '{}')).toMatchObject({ from: 'inherit', to: 'enforced', enforced: true, graceDays: 0 })
    // The user has to activate 2FA at the first sign-in.
    expect((await env.screen().ok('login', { email: MARIA.email, password: PASSWORD })).step).toBe('enrollment-required')
  })

  it('leaves the user to the policy when it already enforces for all: no second entry, the same status', async () => {
    await admin.ok('enforceForAllUsers', {})
    const user = await admin.ok('createUser', { ...MARIA, password: PASSWORD, enforce: true })
    expect(user).toMatchObject({ status: 'pending', enforcement: 'inherit', enforcementSource: 'policy' })
    expect(auditRows().filter((row) => row.target === 'maria@example.com').map((row) => row.action)).toEqual(['user.created'])
  })

  it('an administrator created with the box ticked is enforced by the role alone', async () => {
    const user = await admin.ok('createUser', { name: 'Ben Admin', email: 'ben@example.com', role: 'admin', password: PASSWORD, enforce: true })
    expect(user).toMatchObject({ role: 'admin', status: 'pending', enforcement: 'inherit', enforcementSource: 'role' })
    expect(auditRows().filter((row) => row.target === 'ben@example.com').map((row) => row.action)).toEqual(['user.created'])
  })

  it('without the box (false or absent) the user follows the policy, as before', async () => {
    expect(await admin.ok('createUser', { ...MARIA, password: PASSWORD, enforce: false })).toMatchObject({ status: 'inactive', enforcement: 'inherit' })
    expect(await admin.ok('createUser', { name: 'Li', email: 'li@example.com', role: 'user', password: PASSWORD })).toMatchObject({ status: 'inactive', enforcement: 'inherit' })
    expect(auditRows().filter((row) => row.action === 'enforcement.user-changed')).toEqual([])
  })

  it('the command line (the local administrator) gets the same', async () => {
    const user = await env.cli('createUser', { ...MARIA, password: PASSWORD, enforce: true })
    expect(user).toMatchObject({ status: 'pending', enforcement: 'enforced', enforcementChangedBy: 'cli' })
  })
})

describe('a generated initial password', () => {
  it('is strong, made with randomness each time, and accepted by the password rule', () => {
    const seen = new Set<string>()
    for (let i = 0; i < 50; i++) {
      const password = generatePassword()
      expect(password).toMatch(/^[A-HJ-NP-Za-km-z2-9]{5}(-[A-HJ-NP-Za-km-z2-9]{5}){3}$/)
      seen.add(password)
    }
    expect(seen.size).toBe(50)
    const sample = generatePassword()
    expect(judgePassword(sample, MARIA)).toMatchObject({ acceptable: true, score: 4 })
  })

  it('is returned once, signs the user in, and never reaches the audit log', async () => {
    const user = await admin.ok('createUser', { ...MARIA, generatePassword: true })
    const password = user.generatedPassword ?? ''
    expect(password).toHaveLength(23)
    expect(user.hasPassword).toBe(true)
    // Not in any later answer about the user.
    expect(await admin.ok('getUser', { userId: user.id })).not.toHaveProperty('generatedPassword')
    expect(JSON.stringify(await admin.ok('listUsers', {}))).not.toContain(password)
    // Not in the audit log, whose entry says only that it was generated.
    const created = auditRows().find((row) => row.action === 'user.created' && row.target === MARIA.email)
    expect(JSON.parse(created?.details ?? '{}')).toEqual({ role: 'user', passwordGenerated: true })
    const everything = JSON.stringify(env.db.prepare('SELECT * FROM audit_log').all())
    for (const part of password.split('-')) expect(everything).not.toContain(part)
    expect(JSON.stringify(env.db.prepare('SELECT * FROM users').all())).not.toContain(password)
    // It is the user's password now.
    expect((await env.screen().ok('login', { email: MARIA.email, password })).step).toBe('signed-in')
  })

  it('with "Enforce 2FA activation" too', async () => {
    const user = await admin.ok('createUser', { ...MARIA, generatePassword: true, enforce: true })
    expect(user).toMatchObject({ status: 'pending', enforcement: 'enforced' })
    expect((await env.screen().ok('login', { email: MARIA.email, password: user.generatedPassword ?? '' })).step).toBe('enrollment-required')
  })
})

describe('bad input to createUser: a typed error, nothing created', () => {
  const cases: [string, Record<string, unknown>, string][] = [
    ['enforce is not a boolean', { ...MARIA, password: PASSWORD, enforce: 'yes' }, 'enforce'],
    ['generatePassword is not a boolean', { ...MARIA, generatePassword: 'true' }, 'generatePassword'],
    ['both a password and generatePassword', { ...MARIA, password: PASSWORD, generatePassword: true }, 'password'],
    ['neither a password nor generatePassword', { ...MARIA }, 'password'],
    ['generatePassword false and no password', { ...MARIA, generatePassword: false }, 'password'],
    ['enforce null', { ...MARIA, password: PASSWORD, enforce: null }, 'enforce'],
    ['a generated password asked for with an extra field', { ...MARIA, generatePassword: true, generatedPassword: 'x' }, '']
  ]
  it.each(cases)('%s', async (_name, input, field) => {
    const before = dump()
    const error = await admin.fail('createUser', input)
    expect(error.code).toBe('VALIDATION')
    if (field !== '') expect(error.field).toBe(field)
    expect(error.message.length).toBeGreaterThan(0)
    expect(dump()).toBe(before)
  })

  it('a weak typed password is refused before anything is written, whatever enforce says', async () => {
    const before = dump()
    expect((await admin.fail('createUser', { ...MARIA, password: 'password1234', enforce: true })).code).toBe('WEAK_PASSWORD')
    expect(dump()).toBe(before)
  })

  it('a taken email is refused with the box ticked, and no enforcement is written', async () => {
    await addUser(env, MARIA.email)
    const before = dump()
    expect((await admin.fail('createUser', { ...MARIA, generatePassword: true, enforce: true })).code).toBe('EMAIL_TAKEN')
    expect(dump()).toBe(before)
  })
})

describe('an administrator sets a new password for a user', () => {
  it('needs a recent re-authentication, and changes nothing without it', async () => {
    const mariaId = await addUser(env, MARIA.email)
    env.clock.advance(REAUTH_WINDOW_MS + 1)
    const before = dump()
    expect((await admin.fail('setUserPassword', { userId: mariaId, generatePassword: true })).code).toBe('REAUTH_REQUIRED')
    expect((await admin.fail('setUserPassword', { userId: mariaId, password: 'a different passphrase 99' })).code).toBe('REAUTH_REQUIRED')
    expect(dump()).toBe(before)
  })

  it('a generated one is returned once, ends the user\'s sessions, and is audited without the password', async () => {
    const mariaId = await addUser(env, MARIA.email)
    const maria = env.screen()
    await maria.ok('login', { email: MARIA.email, password: PASSWORD })
    const changed = await admin.ok('setUserPassword', { userId: mariaId, generatePassword: true })
    const password = changed.generatedPassword ?? ''
    expect(judgePassword(password).acceptable).toBe(true)
    expect((await maria.fail('getMyAccount')).code).toBe('UNAUTHENTICATED')
    expect((await env.screen().fail('login', { email: MARIA.email, password: PASSWORD })).code).toBe('INVALID_CREDENTIALS')
    expect((await env.screen().ok('login', { email: MARIA.email, password })).step).toBe('signed-in')
    const entry = auditRows().find((row) => row.action === 'user.password-changed')
    expect(JSON.parse(entry?.details ?? '{}')).toEqual({ by: 'administrator', first: false, generated: true })
    expect(JSON.stringify(env.db.prepare('SELECT * FROM audit_log').all())).not.toContain(password)
    expect(await admin.ok('getUser', { userId: mariaId })).not.toHaveProperty('generatedPassword')
  })

  it('a typed one is not echoed back', async () => {
    const mariaId = await addUser(env, MARIA.email)
    expect(await admin.ok('setUserPassword', { userId: mariaId, password: 'a different passphrase 99' })).not.toHaveProperty('generatedPassword')
  })

  it('refuses both or neither, and a directory user, changing nothing', async () => {
    const mariaId = await addUser(env, MARIA.email)
    const before = dump()
    expect(await admin.fail('setUserPassword', { userId: mariaId, password: 'a different passphrase 99', generatePassword: true })).toMatchObject({ code: 'VALIDATION', field: 'password' })
    expect(await admin.fail('setUserPassword', { userId: mariaId })).toMatchObject({ code: 'VALIDATION', field: 'password' })
    env.db.prepare("UPDATE users SET source = 'ldap' WHERE id = ?").run(mariaId)
    const ldap = dump()
    expect((await admin.fail('setUserPassword', { userId: mariaId, generatePassword: true })).code).toBe('FORBIDDEN')
    expect(dump()).toBe(ldap)
    expect(before).not.toBe(ldap)
  })
})
