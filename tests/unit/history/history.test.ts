// Progress over time: the 2FA distribution recorded once per UTC day (the last
// recording of the day wins, about 400 days kept), at every enforcement change,
// when someone looks and by the timer of hosts that stay open; read back by
// getTwoFactorHistory with the enforcement changes of the audit log, by index.
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { HISTORY_MAX_DAYS } from '../../../src/shared/contract/history'
import { DAY_MS } from '../../../src/shared/domain'
import { contextOf } from '../../../src/main/core/open-core'
import { recordDistributionIfChanged, recordDistributionPoint, utcDay } from '../../../src/main/core/history/recorder'
import { historyTick } from '../../../src/main/core/history/schedule'
import { MARKED_ACTIONS } from '../../../src/main/core/history/timeline'
import { auditPageStatement } from '../../../src/main/db/audit-repo'
import { findDistribution, HISTORY_SQL, listDistributions } from '../../../src/main/db/history-repo'
import { codeAt } from '../../../src/main/core/crypto/totp'
import { addUser, enroll, PASSWORD, setUpAdmin, TestEnv, type Screen } from '../helpers/harness'

let env: TestEnv
let admin: Screen
let adminSecret: Buffer
beforeEach(async () => {
  env = new TestEnv()
  ;({ screen: admin, secret: adminSecret } = await setUpAdmin(env))
})
afterEach(() => env.dispose())

const today = () => utcDay(env.clock.now())
const rows = () => listDistributions(env.db, 0, today() + 1)
/** To the same time of day, `days` later. */
const nextDays = (days = 1) => env.clock.advance(days * DAY_MS)

/** The administrator signed in again (a day later the last session has long ended), with a code: a recent authentication. */
async function adminAgain(): Promise<Screen> {
  const screen = env.screen()
  await screen.ok('login', { email: 'admin@example.com', password: PASSWORD })
  await screen.ok('verifyCode', { code: codeAt(adminSecret, env.clock.now()) })
  env.clock.advance(30_000)
  return screen
}

async function signIn(email: string): Promise<Screen> {
  const screen = env.screen()
  await screen.ok('login', { email, password: PASSWORD })
  return screen
}

describe('recording the 2FA distribution', () => {
  it('keeps one row per UTC day: a later recording of the same day replaces the earlier one', async () => {
    recordDistributionPoint(contextOf(env.core))
    expect(rows()).toHaveLength(1)
    expect(findDistribution(env.db, today())).toMatchObject({ total: 1, active: 1, pending: 0, inactive: 0 })

    await addUser(env, 'maria@example.com')
    env.clock.advance(3 * 3600_000)
    recordDistributionPoint(contextOf(env.core))
    expect(rows()).toHaveLength(1)
    expect(findDistribution(env.db, today())).toMatchObject({ total: 2, active: 1, inactive: 1, recordedAt: env.clock.now() })

    nextDays()
    recordDistributionPoint(contextOf(env.core))
    expect(rows().map((row) => row.day)).toEqual([today() - 1, today()])
  })

  it('keeps the last 400 days and forgets older ones', () => {
    const ctx = contextOf(env.core)
    const first = today()
    for (let day = 0; day < HISTORY_MAX_DAYS + 5; day++) {
      recordDistributionPoint(ctx)
      nextDays()
    }
    const kept = rows()
    expect(kept).toHaveLength(HISTORY_MAX_DAYS)
    expect(kept[0]?.day).toBe(first + 5)
    expect(kept[kept.length - 1]?.day).toBe(first + HISTORY_MAX_DAYS + 4)
  })

  it('records at each enforcement change, in the state the change left', async () => {
    await addUser(env, 'maria@example.com')
    await addUser(env, 'tom@example.com')
    await admin.ok('enforceForAllUsers')
    expect(findDistribution(env.db, today())).toMatchObject({ total: 3, active: 1, pending: 2, inactive: 0, overdue: expect.any(Number) })
    env.clock.advance(60_000)
    await admin.ok('revokeEnforcement')
    expect(findDistribution(env.db, today())).toMatchObject({ pending: 0, inactive: 2, recordedAt: env.clock.now() })
    expect(rows()).toHaveLength(1)
  })

  it('records when someone looks and the day has no row, or the counts moved; otherwise a look writes nothing', async () => {
    expect(rows()).toHaveLength(0)
    await admin.ok('getSecurityOverview')
    const recorded = findDistribution(env.db, today())
    expect(recorded).toMatchObject({ total: 1, active: 1 })

    env.clock.advance(60_000)
    await admin.ok('getSecurityOverview')
    await admin.ok('getTwoFactorHistory')
    expect(findDistribution(env.db, today())).toEqual(recorded)

    await addUser(env, 'maria@example.com')
    await admin.ok('getTwoFactorHistory')
    expect(findDistribution(env.db, today())).toMatchObject({ total: 2, inactive: 1, recordedAt: env.clock.now() })
  })

  it('the timer of a host that stays open records each new day, and only what changed', async () => {
    const ctx = contextOf(env.core)
    historyTick(ctx)
    const first = findDistribution(env.db, today())
    env.clock.advance(10 * 60_000)
    historyTick(ctx)
    expect(findDistribution(env.db, today())).toEqual(first)
    nextDays()
    historyTick(ctx)
    expect(rows()).toHaveLength(2)
  })

  it('never fails a look when the directory refuses writes', async () => {
    const ctx = contextOf(env.core)
    let reported: unknown = null
    const broken = { ...ctx, db: ctx.db, reportUnexpected: (_what: string, error: unknown) => (reported = error) }
    env.db.pragma('query_only = ON')
    expect(() => recordDistributionIfChanged(broken)).not.toThrow()
    expect(reported).not.toBeNull()
    env.db.pragma('query_only = OFF')
    expect(rows()).toHaveLength(0)
  })
})

describe('getTwoFactorHistory', () => {
  it('gives the recorded days of the window, oldest first, with the enforcement changes in it', async () => {
    await addUser(env, 'maria@example.com')
    await addUser(env, 'tom@example.com')
    const ctx = contextOf(env.core)
    // Ten days ago an enforcement that was revoked the day after; then a day a week without recordings.
    const start = env.clock.now()
    recordDistributionPoint(ctx)
    nextDays()
    await (await adminAgain()).ok('enforceForAllUsers')
    nextDays()
    await (await adminAgain()).ok('revokeEnforcement')
    nextDays(7)
    const maria = await signIn('maria@example.com')
    await enroll(env, maria)
    admin = await adminAgain()

    const history = await admin.ok('getTwoFactorHistory')
    expect(history.days).toBe(90)
    expect(history.to).toBe(new Date(env.clock.now()).toISOString().slice(0, 10))
    const day = (offset: number) => new Date(start + offset * DAY_MS).toISOString().slice(0, 10)
    expect(history.points.map((point) => [point.day, point.active, point.pending, point.inactive])).toEqual([
      [day(0), 1, 0, 2],
      [day(1), 1, 2, 0],
      [day(2), 1, 0, 2],
      [history.to, 2, 0, 1]
    ])
    expect(history.events.map((event) => [event.action, event.actor, event.target])).toEqual([
      ['enforcement.all-enforced', 'admin@example.com', null],
      ['enforcement.all-revoked', 'admin@example.com', null]
    ])
    expect(history.deadlines).toEqual([])

    // A week: the points and events of the last seven days only.
    const week = await admin.ok('getTwoFactorHistory', { days: 7 })
    expect(week.from).toBe(new Date(env.clock.now() - 6 * DAY_MS).toISOString().slice(0, 10))
    expect(week.points.map((point) => point.day)).toEqual([history.to])
    expect(week.events).toEqual([])
    // Today alone.
    expect((await admin.ok('getTwoFactorHistory', { days: 1 })).points).toHaveLength(1)
  })

  it('marks the deadline of an enforcement with a grace period, and leaves out one due at once', async () => {
    await addUser(env, 'maria@example.com')
    await admin.ok('enforceForAllUsers', { graceDays: 14 })
    const history = await admin.ok('getTwoFactorHistory')
    expect(history.deadlines).toEqual([{ at: env.clock.now() + 14 * DAY_MS, group: null }])
    expect(history.points[history.points.length - 1]).toMatchObject({ pending: 1, overdue: 0 })
  })

  it('takes 1 to 400 days, and is for administrators only', async () => {
    for (const days of [0, 401, 1.5, -3]) {
      const error = await admin.fail('getTwoFactorHistory', { days })
      expect(error.code, String(days)).toBe('VALIDATION')
      expect(error.message).toBe('Ask for 1 to 400 days.')
    }
    expect((await admin.fail('getTwoFactorHistory', { days: '7' })).code).toBe('VALIDATION')
    expect((await admin.ok('getTwoFactorHistory', { days: 400 })).days).toBe(400)

    await addUser(env, 'maria@example.com')
    const maria = await signIn('maria@example.com')
    expect((await maria.fail('getTwoFactorHistory')).code).toBe('FORBIDDEN')
    expect((await env.screen().fail('getTwoFactorHistory')).code).toBe('UNAUTHENTICATED')
  })
})

describe('what reading the history costs', () => {
  const plan = (sql: string, params: unknown[] | Record<string, unknown>) =>
    (env.db.prepare(`EXPLAIN QUERY PLAN ${sql}`).all(params) as { detail: string }[]).map((row) => row.detail)

  it('reads and prunes the days by their primary key', () => {
    expect(plan(HISTORY_SQL.find, [1])).toEqual([expect.stringMatching(/^SEARCH distribution_history USING INTEGER PRIMARY KEY \(rowid=\?\)$/)])
    expect(plan(HISTORY_SQL.list, [1, 2])).toEqual([expect.stringMatching(/^SEARCH distribution_history USING INTEGER PRIMARY KEY \(rowid>\? AND rowid<\?\)$/)])
    expect(plan(HISTORY_SQL.prune, [1])).toEqual([expect.stringMatching(/^SEARCH distribution_history USING INTEGER PRIMARY KEY \(rowid<\?\)$/)])
  })

  it('reads each marked action of the audit log through its index, newest first and bounded, never the whole log', () => {
    expect(MARKED_ACTIONS).toContain('enforcement.all-enforced')
    expect(MARKED_ACTIONS).toContain('enforcement.all-revoked')
    expect(MARKED_ACTIONS).not.toContain('enforcement.user-changed')
    for (const action of MARKED_ACTIONS) {
      const { sql, params } = auditPageStatement({ action, limit: 200 })
      const details = plan(sql, params)
      expect(details, action).toEqual([expect.stringMatching(/^SEARCH audit_log USING (COVERING )?INDEX audit_by_action \(action=\? AND id<\?\)$/)])
    }
  })
})
