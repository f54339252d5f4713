// The directory sync against a real OpenLDAP (issue 10, part 2): thousands of
// entries past the server's size limit, a group filter, people who leave and
// come back, a password changed in the directory, a server killed in the
// middle of a sync, a wrong bind password, the mass-disable guard, local users
// left alone, and sign-in with the directory password under the lockout.
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest'
import { CLI_CALLER } from '../../../src/main/core/caller'
import { scheduleTick } from '../../../src/main/core/directory-sync/schedule'
import { DirectorySyncRunner } from '../../../src/main/core/directory-sync/sync-runner'
import { contextOf } from '../../../src/main/core/open-core'
import { addUser, enroll, PASSWORD, setUpAdmin, TestEnv } from '../helpers/harness'
import { connectionTo, type Slapd, startSlapd, stopAllSlapd } from '../helpers/slapd'

afterAll(stopAllSlapd)

const connection = connectionTo

/** Everything a sync could change: users with their state, the audit log's length. */
function snapshot(env: TestEnv): { users: unknown[]; audit: number } {
  return {
    users: env.db.prepare('SELECT id, email, name, role, disabled, directory_disabled, source, directory_dn, directory_id FROM users ORDER BY id').all(),
    audit: env.db.prepare('SELECT count(*) FROM audit_log').pluck().get() as number
  }
}

const ldapUsers = (env: TestEnv): number => env.db.prepare("SELECT count(*) FROM users WHERE source = 'ldap'").pluck().get() as number
const userRow = (env: TestEnv, email: string) => env.db.prepare('SELECT * FROM users WHERE email = ?').get(email) as Record<string, unknown> | undefined

async function sync(env: TestEnv, input: { dryRun?: boolean; allowMassDisable?: boolean } = {}) {
  const result = await env.core.dispatch('syncDirectory', CLI_CALLER, { dryRun: input.dryRun ?? false, allowMassDisable: input.allowMassDisable })
  if (!result.ok) throw Object.assign(new Error(result.error.message), { code: result.error.code })
  return result.value
}

describe('a directory of 5,000 people with a size limit of 500', () => {
  let server: Slapd
  let env: TestEnv
  beforeAll(async () => {
    server = await startSlapd({ users: 5000, sizeLimit: 500, groups: { 'vpn-users': [1, 2, 3, 4000] } })
  }, 60_000)
  beforeEach(async () => {
    env = new TestEnv()
    await env.cli('setDirectoryConnection', connection(server))
  })
  afterEach(() => env.dispose())

  it('brings in every person (paged past the limit), keeping their DN, and a second sync changes nothing', async () => {
    const result = await sync(env)
    expect(result).toMatchObject({ applied: true, entries: 5000, created: 5000, updated: 0, disabled: 0, reenabled: 0, unchanged: 0, errors: [], massDisable: null })
    expect(ldapUsers(env)).toBe(5000)
    expect(userRow(env, 'user04321@example.com')).toMatchObject({ name: 'User 04321', source: 'ldap', directory_dn: server.userDn(4321), password_hash: null })
    expect(await sync(env)).toMatchObject({ created: 0, updated: 0, disabled: 0, unchanged: 5000 })
    // One entry per user created, one for each sync.
    expect(env.db.prepare("SELECT count(*) FROM audit_log WHERE action = 'user.created'").pluck().get()).toBe(5000)
    expect(env.db.prepare("SELECT count(*) FROM audit_log WHERE action = 'directory.synced'").pluck().get()).toBe(2)
  }, 60_000)

  it('a dry run shows the diff and changes nothing', async () => {
    const before = snapshot(env)
    const result = await sync(env, { dryRun: true })
    expect(result).toMatchObject({ applied: false, dryRun: true, created: 5000 })
    expect(result.changes).toHaveLength(500)
    expect(result.changes[0]).toEqual({ email: 'user00001@example.com', kind: 'create', detail: 'User 00001' })
    expect(snapshot(env)).toEqual(before)
  }, 60_000)

  it('with a group, brings in only its members', async () => {
    await env.cli('setDirectoryConnection', connection(server, { groupDn: server.groupDn('vpn-users') }))
    expect(await sync(env)).toMatchObject({ created: 4, entries: 4 })
    expect((env.db.prepare("SELECT email FROM users WHERE source = 'ldap' ORDER BY email").pluck().all() as string[])).toEqual([
      'user00001@example.com',
      'user00002@example.com',
      'user00003@example.com',
      'user04000@example.com'
    ])
  }, 60_000)

  it('changes nothing when the server is killed in the middle of the read, and syncs fully once it is back', async () => {
    const before = snapshot(env)
    // Caught at once: it may fail before the test gets to look at it.
    const running = sync(env).then(
      () => null,
      (error: unknown) => error
    )
    // Kill once the first pages are in: the read is under way.
    for (let i = 0; i < 2000; i++) {
      const progress = await env.core.dispatch('getDirectorySyncProgress', CLI_CALLER, {})
      if (progress.ok && progress.value.running && progress.value.done > 0) break
      await new Promise((resolve) => setTimeout(resolve, 2))
    }
    await server.kill()
    expect(await running).toMatchObject({ code: 'DIRECTORY_UNAVAILABLE' })
    expect(snapshot(env)).toEqual(before)
    await server.restart()
    expect(await sync(env)).toMatchObject({ created: 5000 })
  }, 60_000)
})

describe('people who leave, come back, change in the directory', () => {
  let server: Slapd
  let env: TestEnv
  beforeEach(async () => {
    server = await startSlapd({ users: 30 })
    env = new TestEnv()
    await env.cli('setDirectoryConnection', connection(server, { massDisablePercent: 10 }))
    await sync(env)
  }, 30_000)
  afterEach(async () => {
    env.dispose()
    await server.dispose()
  })

  it('disables (never deletes) a removed person, keeping their 2FA, and re-enables them when they are back', async () => {
    // User 5 activates 2FA with their directory password.
    const maria = env.screen()
    expect((await maria.ok('login', { email: 'user00005@example.com', password: server.userPassword(5) })).step).toBe('signed-in')
    await enroll(env, maria)
    const ldif = `dn: ${server.userDn(5)}\nobjectClass: inetOrgPerson\nuid: user00005\ncn: User 00005\nsn: 00005\nmail: user00005@example.com\nuserPassword: ${server.userPassword(5)}\n\n`
    await server.remove(server.userDn(5))
    expect(await sync(env)).toMatchObject({ disabled: 1, unchanged: 29 })
    expect(userRow(env, 'user00005@example.com')).toMatchObject({ disabled: 1, directory_disabled: 1 })
    expect(env.db.prepare('SELECT count(*) FROM totp_credentials c JOIN users u ON u.id = c.user_id WHERE u.email = ?').pluck().get('user00005@example.com')).toBe(1)
    // Disabled: their session is gone and the password no longer signs in.
    expect((await maria.fail('getMyAccount')).code).toBe('UNAUTHENTICATED')
    expect((await env.screen().fail('login', { email: 'user00005@example.com', password: server.userPassword(5) })).code).toBe('INVALID_CREDENTIALS')

    await server.add(ldif)
    expect(await sync(env)).toMatchObject({ reenabled: 1, created: 0, disabled: 0 })
    expect(userRow(env, 'user00005@example.com')).toMatchObject({ disabled: 0, directory_disabled: 0 })
    // Back with their 2FA: the password leads to the second factor.
    expect((await env.screen().ok('login', { email: 'user00005@example.com', password: server.userPassword(5) })).step).toBe('second-factor')
  }, 30_000)

  it('never re-enables a user an administrator disabled here', async () => {
    const id = userRow(env, 'user00007@example.com')?.id as number
    await env.cli('updateUser', { userId: id, disabled: true })
    expect(await sync(env)).toMatchObject({ reenabled: 0, unchanged: 30 })
    expect(userRow(env, 'user00007@example.com')).toMatchObject({ disabled: 1, directory_disabled: 0 })
  }, 30_000)

  it('follows a new name and email, and a password changed in the directory', async () => {
    await server.modify(`dn: ${server.userDn(3)}\nchangetype: modify\nreplace: cn\ncn: Lena Ortiz\n-\nreplace: mail\nmail: lena.ortiz@example.com\n\n`)
    expect(await sync(env)).toMatchObject({ updated: 1 })
    expect(userRow(env, 'lena.ortiz@example.com')).toMatchObject({ name: 'Lena Ortiz', directory_dn: server.userDn(3) })
    expect(userRow(env, 'user00003@example.com')).toBeUndefined()
    await server.setPassword(server.userDn(3), 'the new directory password')
    expect((await env.screen().fail('login', { email: 'lena.ortiz@example.com', password: server.userPassword(3) })).code).toBe('INVALID_CREDENTIALS')
    expect((await env.screen().call('login', { email: 'lena.ortiz@example.com', password: 'the new directory password' })).ok).toBe(true)
  }, 30_000)

  it('keeps out an email or a name that the app would refuse (two @, a control character), says so, and changes nothing for that person', async () => {
    const before = userRow(env, 'user00004@example.com')
    const audit = snapshot(env).audit
    await server.modify(`dn: ${server.userDn(4)}\nchangetype: modify\nreplace: mail\nmail: user00004@ab@example.com\n\n`)
    const control = Buffer.from('Zed\u0001Quinn').toString('base64')
    await server.add(`dn: uid=zed,${server.userDn(4).split(',').slice(1).join(',')}\nobjectClass: inetOrgPerson\nuid: zed\ncn:: ${control}\nsn: Quinn\nmail: zed@example.com\nuserPassword: secret\n\n`)
    const result = await sync(env)
    expect(result).toMatchObject({ created: 0, updated: 0, disabled: 0 })
    expect(result.errors).toEqual(
      expect.arrayContaining([
        { dn: server.userDn(4), message: expect.stringMatching(/^user00004 has the email address "user00004@ab@example.com" in the directory, which this app cannot keep: .* Correct it there/) },
        { dn: expect.stringMatching(/^uid=zed,/), message: expect.stringMatching(/^zed has a name in the directory that this app cannot keep: A name cannot contain control/) }
      ])
    )
    expect(userRow(env, 'user00004@example.com')).toEqual(before)
    expect(userRow(env, 'zed@example.com')).toBeUndefined()
    expect(snapshot(env).audit).toBe(audit + 1)
  }, 30_000)

  it('never disables the last active administrator, and says so', async () => {
    const id = userRow(env, 'user00009@example.com')?.id as number
    await env.cli('updateUser', { userId: id, role: 'admin' })
    await server.remove(server.userDn(9))
    const result = await sync(env)
    expect(result).toMatchObject({ disabled: 0 })
    expect(result.errors).toEqual([{ dn: server.userDn(9), message: expect.stringMatching(/last active administrator: kept enabled/) }])
    expect(userRow(env, 'user00009@example.com')).toMatchObject({ disabled: 0, role: 'admin' })
  }, 30_000)

  it('lets an import change a directory user\'s role and enforcement, never their name or access', async () => {
    const csv = (row: string) => env.cli('importUsers', { csv: `email,name,role,enforce,disabled\n${row}\n`, dryRun: false })
    expect((await csv('user00004@example.com,,,yes,')).updated).toBe(1)
    const refused = await csv('user00004@example.com,Someone Else,,,yes')
    expect(refused.errors).toEqual([{ line: 2, email: 'user00004@example.com', message: expect.stringMatching(/comes from the directory/) }])
    expect(userRow(env, 'user00004@example.com')).toMatchObject({ name: 'User 00004', disabled: 0, enforcement: 'enforced' })
  }, 30_000)

  it('stops before disabling more than 10% of the synced users, changing nothing, unless allowed', async () => {
    for (const n of [1, 2, 3, 4]) await server.remove(server.userDn(n))
    const before = snapshot(env)
    const stopped = await sync(env)
    expect(stopped).toMatchObject({ applied: false, massDisable: { wouldDisable: 4, synced: 30, limitPercent: 10 } })
    expect(snapshot(env)).toEqual(before)
    expect(await sync(env, { allowMassDisable: true })).toMatchObject({ applied: true, disabled: 4 })
  }, 30_000)

  it('an empty answer (a wrong base DN) disables nobody', async () => {
    await env.cli('setDirectoryConnection', connection(server, { baseDn: `ou=people,${server.baseDn}`, userFilter: '(uid=nobody-at-all)' }))
    const before = snapshot(env)
    expect(await sync(env)).toMatchObject({ applied: false, massDisable: { wouldDisable: 30, synced: 30 } })
    expect(snapshot(env)).toEqual(before)
  }, 30_000)

  it('never touches a local user with the same email, and says so', async () => {
    const env2 = new TestEnv()
    try {
      await addUser(env2, 'user00002@example.com')
      await env2.cli('setDirectoryConnection', connection(server))
      const before = userRow(env2, 'user00002@example.com')
      const result = await sync(env2)
      expect(result.created).toBe(29)
      expect(result.errors).toEqual([{ dn: server.userDn(2), message: expect.stringMatching(/already a user of this app, not one from the directory/) }])
      expect(userRow(env2, 'user00002@example.com')).toEqual(before)
      // And a later sync does not disable them either: they are not the directory's.
      await server.remove(server.userDn(2))
      await sync(env2)
      expect(userRow(env2, 'user00002@example.com')).toMatchObject({ disabled: 0, source: 'local' })
    } finally {
      env2.dispose()
    }
  }, 30_000)

  it('refuses a wrong bind password clearly, changing nothing', async () => {
    await env.cli('setDirectoryConnection', connection(server, { bindPassword: 'not the password' }))
    const before = snapshot(env)
    await expect(sync(env)).rejects.toMatchObject({ code: 'DIRECTORY_BIND_FAILED' })
    expect(snapshot(env)).toEqual(before)
    const tested = await env.core.dispatch('testDirectoryConnection', CLI_CALLER, {})
    expect(tested).toMatchObject({ ok: false, error: { code: 'DIRECTORY_BIND_FAILED' } })
  }, 30_000)

  it('stores the bind password encrypted and never shows it', async () => {
    const raw = env.db.prepare('SELECT bind_password_enc FROM directory_connection').pluck().get() as Buffer
    expect(raw.includes(Buffer.from(server.servicePassword))).toBe(false)
    const view = await env.cli('getDirectoryConnection')
    expect(JSON.stringify(view)).not.toContain(server.servicePassword)
    expect(view).toMatchObject({ hasBindPassword: true, warnings: [expect.stringMatching(/not encrypted/)] })
    // Saving without a password keeps the stored one.
    const { bindPassword: _omitted, ...rest } = connection(server, { groupDn: null })
    await env.cli('setDirectoryConnection', rest)
    expect((await sync(env)).errors).toEqual([])
  }, 30_000)
})

describe('signing in with the directory password', () => {
  let server: Slapd
  let env: TestEnv
  beforeAll(async () => {
    server = await startSlapd({ users: 3 })
  }, 30_000)
  beforeEach(async () => {
    env = new TestEnv()
    await setUpAdmin(env)
    await env.cli('setDirectoryConnection', connection(server))
    await sync(env)
  })
  afterEach(() => env.dispose())

  it('holds the lockout against 40 parallel wrong passwords: the account locks and the right password is then refused', async () => {
    const attempts = await Promise.all(Array.from({ length: 40 }, (_, i) => env.screen().call('login', { email: 'user00001@example.com', password: `wrong guess ${i}` })))
    expect(attempts.every((attempt) => !attempt.ok)).toBe(true)
    const failures = env.db.prepare("SELECT count(*) FROM audit_log WHERE action = 'login.failure' AND target = 'user00001@example.com'").pluck().get() as number
    expect(failures).toBeLessThanOrEqual(10)
    expect(attempts.filter((attempt) => !attempt.ok && attempt.error.code === 'ACCOUNT_LOCKED').length).toBeGreaterThanOrEqual(30)
    expect((await env.screen().fail('login', { email: 'user00001@example.com', password: server.userPassword(1) })).code).toBe('ACCOUNT_LOCKED')
  }, 30_000)

  it('counts no failure when the directory cannot be asked, and says so', async () => {
    await server.stop()
    try {
      const refused = await env.screen().fail('login', { email: 'user00002@example.com', password: server.userPassword(2) })
      expect(refused.code).toBe('DIRECTORY_UNAVAILABLE')
      expect(userRow(env, 'user00002@example.com')).toMatchObject({ failed_attempts: 0 })
    } finally {
      await server.restart()
    }
    expect((await env.screen().call('login', { email: 'user00002@example.com', password: server.userPassword(2) })).ok).toBe(true)
  }, 30_000)

  it('refuses changing a directory password here, and an empty password always', async () => {
    const user = env.screen()
    await user.ok('login', { email: 'user00003@example.com', password: server.userPassword(3) })
    expect((await user.fail('changePassword', { currentPassword: server.userPassword(3), newPassword: 'a whole new passphrase 1' })).message).toMatch(/change it in the directory/)
    expect((await env.screen().fail('login', { email: 'user00003@example.com', password: '' })).code).toBe('VALIDATION')
    expect((await env.screen().fail('login', { email: 'user00003@example.com', password: PASSWORD })).code).toBe('INVALID_CREDENTIALS')
  }, 30_000)
})

describe('an Active Directory shaped directory', () => {
  let server: Slapd
  let env: TestEnv
  beforeAll(async () => {
    server = await startSlapd({ users: 4, activeDirectory: true, disabledUsers: [2] })
  }, 30_000)
  beforeEach(async () => {
    env = new TestEnv()
    await env.cli('setDirectoryConnection', connection(server, { preset: 'active-directory' }))
  })
  afterEach(() => env.dispose())

  it('reads displayName and sAMAccountName, creates a disabled account disabled, and follows userAccountControl and a move by objectGUID', async () => {
    expect(await sync(env)).toMatchObject({ created: 4 })
    expect(userRow(env, 'user00002@example.com')).toMatchObject({ disabled: 1, directory_disabled: 1, name: 'User 00002' })
    expect(userRow(env, 'user00001@example.com')).toMatchObject({ disabled: 0, directory_id: expect.stringMatching(/^[0-9a-f]{8}-[0-9a-f]{4}-/) })
    await server.modify(`dn: ${server.userDn(2)}\nchangetype: modify\nreplace: userAccountControl\nuserAccountControl: 512\n\n`)
    await server.modify(`dn: ${server.userDn(1)}\nchangetype: modify\nreplace: userAccountControl\nuserAccountControl: 514\n\n`)
    expect(await sync(env, { allowMassDisable: true })).toMatchObject({ reenabled: 1, disabled: 1, created: 0 })
    expect(userRow(env, 'user00002@example.com')).toMatchObject({ disabled: 0 })
    expect(userRow(env, 'user00001@example.com')).toMatchObject({ disabled: 1 })
    // Renamed (a new DN), same objectGUID: the same user, followed.
    const id = userRow(env, 'user00003@example.com')?.id
    await server.modify(`dn: ${server.userDn(3)}\nchangetype: modrdn\nnewrdn: cn=Renamed Person\ndeleteoldrdn: 1\n\n`)
    expect(await sync(env, { allowMassDisable: true })).toMatchObject({ created: 0, updated: 1 })
    expect(userRow(env, 'user00003@example.com')).toMatchObject({ id, directory_dn: 'cn=Renamed Person,ou=people,dc=example,dc=com' })
  }, 30_000)
})

describe('the schedule', () => {
  let server: Slapd
  let env: TestEnv
  beforeAll(async () => {
    server = await startSlapd({ users: 3 })
  }, 30_000)
  beforeEach(() => {
    env = new TestEnv()
  })
  afterEach(() => env.dispose())

  it('syncs when the interval has passed, audits it as the schedule, and audits a failed run with why', async () => {
    await env.cli('setDirectoryConnection', connection(server, { scheduleMinutes: 15 }))
    const ctx = contextOf(env.core)
    const runner = new DirectorySyncRunner(ctx)
    const state = { lastAttempt: null as number | null }
    await scheduleTick(ctx, runner, state)
    expect(ldapUsers(env)).toBe(0)
    env.clock.advance(15 * 60_000)
    await scheduleTick(ctx, runner, state)
    expect(ldapUsers(env)).toBe(3)
    expect(env.db.prepare("SELECT actor FROM audit_log WHERE action = 'directory.synced'").pluck().all()).toEqual(['schedule'])
    await server.stop()
    try {
      env.clock.advance(15 * 60_000)
      await scheduleTick(ctx, runner, state)
      const last = env.db.prepare("SELECT details FROM audit_log WHERE action = 'directory.synced' ORDER BY id DESC LIMIT 1").pluck().get() as string
      expect(JSON.parse(last)).toMatchObject({ applied: false, error: expect.stringMatching(/did not answer/) })
      expect(ldapUsers(env)).toBe(3)
    } finally {
      await server.restart()
    }
  }, 30_000)
})

describe('a directory user changed in the app', () => {
  it('keeps the name the directory gives (a change here would be undone), and allows role, enforcement and a local disable', async () => {
    const env = new TestEnv()
    try {
      const id = await addUser(env, 'dir@example.com')
      env.db.prepare("UPDATE users SET source = 'ldap', directory_dn = 'uid=dir,dc=example,dc=com' WHERE id = ?").run(id)
      const refused = await env.core.dispatch('updateUser', CLI_CALLER, { userId: id, name: 'Another Name' })
      expect(refused).toMatchObject({ ok: false, error: { code: 'VALIDATION', field: 'name', message: expect.stringMatching(/comes from the directory/) } })
      await env.cli('updateUser', { userId: id, role: 'admin', disabled: true })
      expect(userRow(env, 'dir@example.com')).toMatchObject({ role: 'admin', disabled: 1, directory_disabled: 0, name: 'dir' })
    } finally {
      env.dispose()
    }
  })
})
