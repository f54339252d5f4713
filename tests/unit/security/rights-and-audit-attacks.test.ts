// The attacks of issue 9 on rights and on the audit log: administrator rights
// held by a session that never passed a second factor, sessions that outlive
// a change of the rules, forged audit lines typed at sign-in.
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { CLI_CALLER } from '../../../src/main/core/caller'
import { fileKeyProvider } from '../../../src/main/core/crypto/keys'
import { openCore } from '../../../src/main/core/open-core'
import { UNKNOWN_EMAIL_PREFIX } from '../../../src/main/core/audit/untrusted'
import { CliSandbox } from '../helpers/cli'
import { addUser, FAST_KDF, PASSWORD, setUpAdmin, TestEnv, type Screen } from '../helpers/harness'

let env: TestEnv
beforeEach(() => {
  env = new TestEnv()
})
afterEach(() => env.dispose())

async function signIn(email: string): Promise<Screen> {
  const screen = env.screen()
  await screen.ok('login', { email, password: PASSWORD })
  return screen
}

describe('administrator rights without 2FA', () => {
  it('a user exempted and promoted while signed in with a password alone gets no admin call through', async () => {
    const { screen: admin } = await setUpAdmin(env)
    const eveId = await addUser(env, 'eve@example.com')
    const mariaId = await addUser(env, 'maria@example.com')
    await env.cli('setEnforcement', { userId: eveId, enforcement: 'exempt' })
    const eve = await signIn('eve@example.com')
    expect((await eve.ok('getAppState')).session).toMatchObject({ step: 'signed-in' })

    await admin.ok('updateUser', { userId: eveId, role: 'admin' })
    for (const [method, input] of [
      ['enforceForAllUsers', {}],
      ['revokeEnforcement', {}],
      ['resetTwoFactor', { userId: mariaId }],
      ['listUsers', {}]
    ] as const) {
      expect((await eve.fail(method, input)).code, method).toBe('UNAUTHENTICATED')
    }
    // Her next sign-in asks for 2FA first: administrators are always enforced.
    expect((await env.screen().ok('login', { email: 'eve@example.com', password: PASSWORD })).step).toBe('enrollment-required')
  })

  it('also when the promotion comes from another process, which cannot end this process’s sessions', async () => {
    await setUpAdmin(env)
    const eveId = await addUser(env, 'eve@example.com')
    await env.cli('setEnforcement', { userId: eveId, enforcement: 'exempt' })
    const eve = await signIn('eve@example.com')
    const other = openCore({ dbPath: env.dbPath, keyProvider: fileKeyProvider(env.dbPath), passwordKdf: FAST_KDF })
    try {
      expect((await other.dispatch('updateUser', CLI_CALLER, { userId: eveId, role: 'admin' })).ok).toBe(true)
    } finally {
      other.close()
    }
    expect((await eve.fail('enforceForAllUsers')).code).toBe('UNAUTHENTICATED')
    expect((await eve.fail('getMyAccount')).code).toBe('UNAUTHENTICATED')
  })

  it('enforcing 2FA for a user signed in without it ends that session, for one user and for everyone', async () => {
    const { screen: admin } = await setUpAdmin(env)
    const mariaId = await addUser(env, 'maria@example.com')
    await addUser(env, 'tom@example.com')
    const maria = await signIn('maria@example.com')
    const tom = await signIn('tom@example.com')
    await admin.ok('setEnforceTwoFactorActivation', { userId: mariaId, enforce: true })
    expect((await maria.fail('getMyAccount')).code).toBe('UNAUTHENTICATED')
    expect((await tom.ok('getMyAccount')).me.email).toBe('tom@example.com')
    await env.cli('enforceForAllUsers')
    expect((await tom.fail('getMyAccount')).code).toBe('UNAUTHENTICATED')
    expect((await env.screen().ok('login', { email: 'tom@example.com', password: PASSWORD })).step).toBe('enrollment-required')
  })

  it('a password change ends the user’s other sessions', async () => {
    await setUpAdmin(env)
    await addUser(env, 'maria@example.com')
    const here = await signIn('maria@example.com')
    const stolen = await signIn('maria@example.com')
    await here.ok('changePassword', { currentPassword: PASSWORD, newPassword: 'a brand new passphrase 2026' })
    expect((await stolen.fail('getMyAccount')).code).toBe('UNAUTHENTICATED')
    expect((await here.ok('getMyAccount')).me.email).toBe('maria@example.com')
  })

  it('demo users are not administrators who keep the directory administered', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'twofa-demo-admins-'))
    try {
      const dbPath = join(dir, 'directory.db')
      const core = openCore({ dbPath, keyProvider: fileKeyProvider(dbPath), passwordKdf: FAST_KDF })
      try {
        const ada = await core.dispatch('createUser', CLI_CALLER, { name: 'Ada', email: 'ada@example.com', role: 'admin', password: PASSWORD })
        expect(ada.ok).toBe(true)
        core.local.seedDemo({ users: 300, seed: 1, force: true })
        const demoAdmins = (await core.dispatch('listUsers', CLI_CALLER, { sort: 'role', limit: 50 })) as { ok: true; value: { users: { role: string }[] } }
        expect(demoAdmins.value.users.filter((user) => user.role === 'admin').length).toBeGreaterThan(1)
        const adaId = ada.ok ? ada.value.id : 0
        expect(await core.dispatch('updateUser', CLI_CALLER, { userId: adaId, role: 'user' })).toMatchObject({ ok: false, error: { code: 'LAST_ADMIN' } })
        expect(await core.dispatch('updateUser', CLI_CALLER, { userId: adaId, disabled: true })).toMatchObject({ ok: false, error: { code: 'LAST_ADMIN' } })
      } finally {
        core.close()
      }
    } finally {
      rmSync(dir, { recursive: true, force: true })
    }
  })
})

describe('writing into the audit log', () => {
  const FORGED = 'x\n2026-12-01T10:00:00Z  cli  enforcement.all-revoked\u001b[2K\u202e'

  it('a failed sign-in for an unknown email records a keyed hash, never the typed text, and groups repeats', async () => {
    await setUpAdmin(env)
    await env.screen().call('login', { email: FORGED, password: 'p' })
    await env.screen().call('login', { email: FORGED, password: 'p' })
    // A password typed into the email field is not kept either.
    await env.screen().call('login', { email: 'my secret password 2026', password: 'p' })
    const rows = env.db.prepare("SELECT actor, target, details FROM audit_log WHERE action = 'login.failure'").all() as { actor: string; target: string; details: string }[]
    expect(rows).toHaveLength(3)
    for (const row of rows) {
      expect(row.actor.startsWith(UNKNOWN_EMAIL_PREFIX)).toBe(true)
      expect(JSON.stringify(row)).not.toMatch(/enforcement|secret password|\\u001b|\\u202e/)
    }
    expect(rows[0]?.actor).toBe(rows[1]?.actor)
    expect(rows[2]?.actor).not.toBe(rows[0]?.actor)
  })

  it('the command line prints hidden characters visibly, and names refuse them', async () => {
    const sandbox = new CliSandbox('twofa-escape-')
    try {
      expect((await sandbox.run(['init'])).code).toBe(0)
      for (const name of ['Eve\u202eevil', 'Eve\u001b[31m', 'Eve\u0085', 'Eve\u2066']) {
        const refused = await sandbox.run(['user', 'add', '--name', name, '--email', 'eve@example.com', '--password-stdin'], 'a long password 2026')
        expect(refused.code, JSON.stringify(name)).toBe(1)
        expect(refused.err).toMatch(/control or text-direction characters/)
      }
      // A value written before this rule (or by hand) is shown, not obeyed.
      const raw = new (await import('better-sqlite3')).default(sandbox.db)
      raw.prepare("INSERT INTO audit_log (id, at, actor, action, target, details, prev_hash, hash) SELECT 1, 0, ?, 'logout', NULL, '{}', '', ''").run('mallory\u001b[2K\u202e')
      raw.close()
      const printed = await sandbox.run(['audit'])
       
      expect(printed.out).not.toMatch(/[\u0000-\u0009\u000b-\u001f\u202e]/)
      expect(printed.out).toContain('mallory⟨U+001B⟩[2K⟨U+202E⟩')
    } finally {
      sandbox.dispose()
    }
  })
})

describe('names and emails', () => {
  it('refuse control and bidi characters through the contract', async () => {
    const { screen } = await setUpAdmin(env)
    for (const name of ['a\u202eb', 'a\u0007b', 'a\u200fb', 'a\u0085b']) {
      expect((await screen.fail('createUser', { name, email: 'x@example.com', role: 'user', password: PASSWORD })).field).toBe('name')
    }
    expect((await screen.fail('createUser', { name: 'X', email: 'x\u202e@example.com', role: 'user', password: PASSWORD })).field).toBe('email')
  })

  it('refuse half of a character above U+FFFF (UTF-8 cannot hold it: stored, read back and searched, it would be three other texts)', async () => {
    const { screen } = await setUpAdmin(env)
    for (const name of ['Lone \ud800 high', 'x\udfff', '\ud83d']) {
      const refused = await screen.fail('createUser', { name, email: 'x@example.com', role: 'user', password: PASSWORD })
      expect(refused.field, JSON.stringify(name)).toBe('name')
      expect(refused.message).toMatch(/broken character/)
    }
    expect((await screen.fail('createUser', { name: 'X', email: 'x\ud800@example.com', role: 'user', password: PASSWORD })).field).toBe('email')
    // A whole character above U+FFFF is a character like any other.
    await screen.call('createUser', { name: 'Smile 😀', email: 'smile@example.com', role: 'user', password: PASSWORD })
    expect(env.db.prepare("SELECT name FROM users WHERE email = 'smile@example.com'").pluck().get()).toBe('Smile 😀')
    expect(env.db.prepare("SELECT count(*) FROM users WHERE email = 'x@example.com'").pluck().get()).toBe(0)
  })
})
