// The screens' reads while a background bulk change holds the write lock (and
// the write gate, core/write-gate.ts). Some reads write now and then: the audit
// page moves its verification mark, the Security page and the trend record
// today's distribution, a reload or My account of a session that timed out
// records the expiry. Each must answer at once from its snapshot, without
// waiting for the change and without waiting on the busy lock: with the calling
// connection's busy timeout cut to 1 ms, any write that reached SQLite during
// the change would fail with DATABASE_BUSY. A write that cannot wait (the
// expiry of a session) waits for the gate instead, and is then recorded.
import Database from 'better-sqlite3'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { DAY_MS, type AuditChainStatus } from '../../../src/shared/domain'
import type { Result } from '../../../src/shared/errors'
import { codeAt } from '../../../src/main/core/crypto/totp'
import { contextOf } from '../../../src/main/core/open-core'
import { findDistribution } from '../../../src/main/db/history-repo'
import { utcDay } from '../../../src/main/core/history/recorder'
import { addUser, enroll, PASSWORD, setUpAdmin, TestEnv, type Screen } from '../helpers/harness'

let env: TestEnv
let adminSecret: Buffer
let readerSecret: Buffer | null = null
// What the core reports as unexpected: a write that met the busy lock in a read that swallows it.
const unexpected: string[] = []
beforeAll(async () => {
  env = new TestEnv({ onUnexpectedError: (what, error) => unexpected.push(`${what}: ${String(error)}`) })
  ;({ secret: adminSecret } = await setUpAdmin(env))
  env.core.local.seedDemo({ users: 12_000, seed: 5, force: true })
  await addUser(env, 'reader@gate.example')
}, 120_000)
afterAll(() => env?.dispose())

/** Signed in with password and code (a recent authentication); the reader enrolls at their first sign-in. */
async function signIn(email: string, secret: Buffer | null): Promise<{ screen: Screen; secret: Buffer }> {
  const screen = env.screen()
  const step = await screen.ok('login', { email, password: PASSWORD })
  if (secret === null || step.step === 'enrollment-required') {
    const enrolled = await enroll(env, screen)
    return { screen, secret: enrolled.secret }
  }
  await screen.ok('verifyCode', { code: codeAt(secret, env.clock.now()) })
  env.clock.advance(30_000)
  return { screen, secret }
}

/** Whether another connection holds the write lock: a probe's BEGIN IMMEDIATE that does not wait. */
function writeLocked(): boolean {
  const probe = new Database(env.dbPath)
  try {
    probe.pragma('busy_timeout = 0')
    probe.prepare('BEGIN IMMEDIATE').run()
    probe.prepare('ROLLBACK').run()
    return false
  } catch (error) {
    if ((error as { code?: string }).code !== 'SQLITE_BUSY') throw error
    return true
  } finally {
    probe.close()
  }
}

/**
 * Starts a bulk change (`status` users, `action`) and resolves once its worker holds the gate and
 * is inside its write transaction; `held()` says whether it still holds the gate.
 */
async function changeHoldingTheLock(admin: Screen, status: 'inactive' | 'pending', action: 'enforce' | 'inherit'): Promise<{ change: Promise<unknown>; held: () => boolean }> {
  let finished = false
  const change = admin.ok('applyBulkChange', { selection: { filter: { status } }, action }).finally(() => (finished = true))
  const gate = contextOf(env.core).writeGate
  for (const until = Date.now() + 10_000; !(gate.held && writeLocked()) && !finished && Date.now() < until; ) await new Promise((next) => setImmediate(next))
  expect(gate.held && !finished, 'the change never held the gate and the lock').toBe(true)
  return { change, held: () => gate.held }
}

describe('reads while a background bulk change holds the write lock', () => {
  it('the audit page, the Security page, the trend, a reload and My account answer at once, and write nothing during the change', async () => {
    // A new day: the Security page's first look of the day records the day's distribution.
    env.clock.advance(DAY_MS)
    const { screen: admin } = await signIn('admin@example.com', adminSecret)
    const reader = await signIn('reader@gate.example', readerSecret)
    readerSecret = reader.secret
    const day = utcDay(env.clock.now())
    expect(findDistribution(env.db, day), 'the day was recorded before the test looked').toBeNull()
    let verifiedDuring = -1
    env.db.pragma('busy_timeout = 1')
    try {
      const { change, held } = await changeHoldingTheLock(admin, 'inactive', 'enforce')
      const reads = [
        admin.call('listAudit', { limit: 20 }),
        admin.call('getAuditChainStatus'),
        admin.call('getSecurityOverview'),
        admin.call('getTwoFactorHistory', { days: 30 }),
        admin.call('getAppState'),
        admin.call('getMyAccount'),
        reader.screen.call('getMyAccount'),
        reader.screen.call('getAppState')
      ].map((read) => read.then((result) => ({ result, duringChange: held() })))
      const answered = await Promise.all(reads)
      expect(answered.map(({ result }) => (result.ok ? 'ok' : result.error.code))).toEqual(Array(8).fill('ok'))
      expect(answered.every(({ duringChange }) => duringChange), 'a read waited for the change').toBe(true)
      expect(unexpected, 'a read tried to write during the change').toEqual([])
      const overview = answered[2]!.result
      expect(overview.ok && 'distribution' in overview.value).toBe(true)
      const chain = answered[1]!.result as Result<AuditChainStatus>
      verifiedDuring = chain.ok ? chain.value.verifiedThrough : -1
      await change
    } finally {
      env.db.pragma('busy_timeout = 5000')
    }
    // Once the change has ended, the next look records the day and the audit page catches up.
    await admin.ok('getSecurityOverview')
    expect(findDistribution(env.db, day)).not.toBeNull()
    const status = await admin.ok('getAuditChainStatus')
    expect(status.broken).toBeNull()
    expect(verifiedDuring).toBeGreaterThanOrEqual(0)
    expect(status.verifiedThrough, 'the verification mark did not move after the change').toBeGreaterThan(verifiedDuring)
  }, 120_000)

  it('a session that timed out is told so during the change, and its expiry is recorded once the change lets go', async () => {
    const { screen: admin } = await signIn('admin@example.com', adminSecret)
    const reader = await signIn('reader@gate.example', readerSecret)
    env.db.pragma('busy_timeout = 1')
    try {
      const { change, held } = await changeHoldingTheLock(admin, 'pending', 'inherit')
      // Past any idle timeout (at most 60 minutes): both sessions have timed out.
      env.clock.advance(61 * 60_000)
      const expiries = () => env.db.prepare("SELECT count(*) FROM audit_log WHERE action = 'session.expired' AND target = 'reader@gate.example'").pluck().get() as number
      const recorded = expiries()
      const answers = await Promise.all([reader.screen.call('getMyAccount'), admin.call('listUsers', { limit: 10 })].map((call) => call.then((result) => ({ result, afterChange: !held() }))))
      expect(answers.map(({ result }) => (result.ok ? 'ok' : result.error.code))).toEqual(['SESSION_EXPIRED', 'SESSION_EXPIRED'])
      expect(answers.every(({ afterChange }) => afterChange), 'an expiry was written while the change held the gate').toBe(true)
      expect(expiries()).toBe(recorded + 1)
      await change
      // Told once: the next call finds no session.
      expect((await reader.screen.call('getAppState')).ok).toBe(true)
      expect(expiries()).toBe(recorded + 1)
    } finally {
      env.db.pragma('busy_timeout = 5000')
    }
  }, 120_000)
})
