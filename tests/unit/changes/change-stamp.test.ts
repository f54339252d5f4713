// The change stamp the screens compare every second or two: it moves on every
// commit, by this core or by any other connection or process, and stays put
// while the screens only look (or an idle screen would fetch again forever).
import { spawnSync } from 'node:child_process'
import { join, resolve } from 'node:path'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { CLI_CALLER } from '../../../src/main/core/caller'
import { fileKeyProvider } from '../../../src/main/core/crypto/keys'
import { openCore } from '../../../src/main/core/open-core'
import { IDLE_TIMEOUT_MS } from '../../../src/main/core/sessions'
import { addUser, FAST_KDF, PASSWORD, setUpAdmin, TestEnv, type Screen } from '../helpers/harness'

const ROOT = resolve(__dirname, '..', '..', '..')

let env: TestEnv
let admin: Screen
beforeEach(async () => {
  env = new TestEnv()
  admin = (await setUpAdmin(env)).screen
})
afterEach(() => env.dispose())

const stampOf = async (screen: Screen = admin): Promise<string> => (await screen.ok('getChangeStamp')).stamp

/** Everything the screens read: Users, user details, Security, Audit log, My account, the shell. */
async function lookAtEveryScreen(userId: number): Promise<void> {
  await admin.ok('getAppState')
  await admin.ok('listUsers', { limit: 100 })
  await admin.ok('listUsers', { position: 0, limit: 100, query: 'user' })
  await admin.ok('getUser', { userId })
  await admin.ok('getSecurityOverview')
  await admin.ok('listAudit', { limit: 50 })
  await admin.ok('getAuditChainStatus')
  await admin.ok('getMyAccount')
}

describe('the change stamp', () => {
  it('stays the same while the screens only look, the audit log included once it has caught up', async () => {
    const userId = await addUser(env, 'maria@example.com')
    // The first look at the audit log moves its verification mark over the new entries: a write, once.
    await lookAtEveryScreen(userId)
    const before = await stampOf()
    for (let round = 0; round < 3; round++) await lookAtEveryScreen(userId)
    expect(await stampOf()).toBe(before)
    expect(await stampOf()).toBe(before)
  })

  it('changes after a write by this core (another window or tab of the same process)', async () => {
    const before = await stampOf()
    await addUser(env, 'maria@example.com')
    const afterAdd = await stampOf()
    expect(afterAdd).not.toBe(before)
    await admin.ok('updateUser', { userId: 2, name: 'Maria Garcia' })
    expect(await stampOf()).not.toBe(afterAdd)
  })

  it('changes after a commit by another connection to the same file (an import, a sync, the RADIUS service)', async () => {
    const before = await stampOf()
    const other = openCore({ dbPath: env.dbPath, keyProvider: fileKeyProvider(env.dbPath), passwordKdf: FAST_KDF })
    try {
      const result = await other.dispatch('createUser', CLI_CALLER, { name: 'Tom', email: 'tom@example.com', role: 'user', password: PASSWORD })
      expect(result.ok).toBe(true)
    } finally {
      other.close()
    }
    const after = await stampOf()
    expect(after).not.toBe(before)
    // Seen once: asking again without another write gives the same stamp.
    expect(await stampOf()).toBe(after)
  })

  it('changes after the command line, in a process of its own, adds a user', async () => {
    const before = await stampOf()
    const run = spawnSync(process.execPath, [join(ROOT, 'bin', 'twofa-admin.cjs'), '--db', env.dbPath, 'user', 'add', '--name', 'Ann', '--email', 'ann@example.com', '--password-stdin'], {
      input: PASSWORD,
      encoding: 'utf8'
    })
    expect(run.stderr).toBe('')
    expect(run.status).toBe(0)
    expect(await stampOf()).not.toBe(before)
  })

  it('is opaque: a hash, not the counts of the directory’s writes', async () => {
    const { stamp } = await admin.ok('getChangeStamp')
    expect(stamp).toMatch(/^[A-Za-z0-9_-]{22}$/)
  })

  it('may be asked by any signed-in person, not by the command line nor before signing in', async () => {
    await addUser(env, 'maria@example.com')
    const maria = env.screen()
    expect((await maria.fail('getChangeStamp')).code).toBe('UNAUTHENTICATED')
    const step = await maria.ok('login', { email: 'maria@example.com', password: PASSWORD })
    expect(step.step).toBe('signed-in')
    expect(await stampOf(maria)).toBe(await stampOf(admin))
    const cli = await env.core.dispatch('getChangeStamp', CLI_CALLER, {})
    expect(cli.ok || cli.error.code).toBe('FORBIDDEN')
  })

  it('keeps no session alive: a screen that only asks for changes is signed out after the idle timeout', async () => {
    await admin.ok('listUsers')
    // A question a minute: had each counted as activity, the session would never be idle for long.
    for (let minute = 1; minute < IDLE_TIMEOUT_MS / 60_000; minute++) {
      env.clock.advance(60_000)
      await stampOf()
    }
    env.clock.advance(60_000 + 1_000)
    expect((await admin.fail('getChangeStamp')).code).toBe('SESSION_EXPIRED')
    expect((await admin.fail('listUsers')).code).toBe('UNAUTHENTICATED')
  })
})
