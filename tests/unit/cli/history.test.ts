// twofa-admin status --history [--days N] [--json]: the recorded days, the
// enforcement changes and the deadlines, as JSON and for people; days 1 to 400.
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import type { TwoFactorHistory } from '../../../src/shared/contract'
import { DAY_MS } from '../../../src/shared/domain'
import { ManualClock } from '../../../src/main/core/clock'
import { fileKeyProvider } from '../../../src/main/core/crypto/keys'
import { recordDistributionPoint } from '../../../src/main/core/history/recorder'
import { contextOf, openCore } from '../../../src/main/core/open-core'
import { CliSandbox } from '../helpers/cli'
import { FAST_KDF } from '../helpers/harness'

let sandbox: CliSandbox
beforeEach(() => {
  sandbox = new CliSandbox('twofa-cli-history-')
})
afterEach(() => sandbox.dispose())

const cli = (args: string[], stdin: string | null = null) => sandbox.run(args, stdin)
const dayOf = (ms: number) => new Date(ms).toISOString().slice(0, 10)

/** Recordings on earlier days, as the app would have made them then (the command line runs on the real clock). */
function recordDaysAgo(daysAgo: number[]): void {
  const clock = new ManualClock(Date.now())
  const core = openCore({ dbPath: sandbox.db, keyProvider: fileKeyProvider(sandbox.db), clock, passwordKdf: FAST_KDF, passwordThreads: 0 })
  try {
    for (const ago of daysAgo) {
      clock.set(Date.now() - ago * DAY_MS)
      recordDistributionPoint(contextOf(core))
    }
  } finally {
    core.close()
  }
}

describe('twofa-admin status --history', () => {
  beforeEach(async () => {
    expect((await cli(['init'])).code).toBe(0)
    expect((await cli(['user', 'add', '--name', 'Ada', '--email', 'ada@example.com', '--role', 'admin', '--password-stdin'], 'a long admin password')).code).toBe(0)
    expect((await cli(['user', 'add', '--name', 'Maria', '--email', 'maria@example.com', '--password-stdin'], 'maria password 2026')).code).toBe(0)
  })

  it('prints the recorded days (today recorded as it looks), the enforcement changes and the deadlines as JSON', async () => {
    recordDaysAgo([100, 20, 5])
    expect((await cli(['enforce-all'])).code).toBe(0)
    const run = await cli(['status', '--history', '--json'])
    expect(run.err).toBe('')
    expect(run.code).toBe(0)
    const history = JSON.parse(run.out) as TwoFactorHistory
    expect(history.days).toBe(90)
    expect(history.to).toBe(dayOf(Date.now()))
    expect(history.points.map((point) => point.day)).toEqual([dayOf(Date.now() - 20 * DAY_MS), dayOf(Date.now() - 5 * DAY_MS), dayOf(Date.now())])
    expect(history.points[0]).toMatchObject({ total: 2, active: 0, pending: 1, inactive: 1 })
    expect(history.points[2]).toMatchObject({ total: 2, active: 0, pending: 2, inactive: 0 })
    expect(history.events).toEqual([expect.objectContaining({ action: 'enforcement.all-enforced', actor: 'cli', target: null })])

    const week = JSON.parse((await cli(['status', '--history', '--days', '7', '--json'])).out) as TwoFactorHistory
    expect(week.days).toBe(7)
    expect(week.points.map((point) => point.day)).toEqual([dayOf(Date.now() - 5 * DAY_MS), dayOf(Date.now())])
    const longest = JSON.parse((await cli(['status', '--history', '--days', '400', '--json'])).out) as TwoFactorHistory
    expect(longest.points).toHaveLength(4)
  })

  it('prints a table for people', async () => {
    recordDaysAgo([3])
    await cli(['enforce-all'])
    const run = await cli(['status', '--history', '--days', '30'])
    expect(run.code).toBe(0)
    const lines = run.out.split('\n')
    expect(lines[0]).toBe(`2FA over the last 30 days (${dayOf(Date.now() - 29 * DAY_MS)} to ${dayOf(Date.now())}, UTC):`)
    expect(lines[1]).toMatch(/^ {2}Day +Users +2FA active +Pending +Not active +Overdue$/)
    expect(lines[2]).toMatch(new RegExp(`^  ${dayOf(Date.now() - 3 * DAY_MS)}  2 +0 \\(0%\\) +1 \\(50%\\) +1 \\(50%\\) +\\d+$`))
    expect(lines[3]).toMatch(new RegExp(`^  ${dayOf(Date.now())}  2 +0 \\(0%\\) +2 \\(100%\\) +0 \\(0%\\) +\\d+$`))
    expect(run.out).toMatch(/Enforcement changes:\n {2}\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ {2}enforcement\.all-enforced {2}by cli\n/)
  })

  it('takes --days from 1 to 400 only, and --days only with --history', async () => {
    const cases: [string[], RegExp][] = [
      [['status', '--history', '--days', '0'], /--days must be at least 1\./],
      [['status', '--history', '--days', '401'], /--days must be at most 400\./],
      [['status', '--history', '--days', 'ten'], /--days must be a whole number, not "ten"\./],
      [['status', '--history', '--days=-3'], /--days must be a whole number, not "-3"\./],
      [['status', '--days', '7'], /--days goes with --history/],
      [['status', '--history', '--verify'], /"status --history" does not take --verify/],
      [['status', '--history', 'extra'], /Expected no arguments after status --history/]
    ]
    for (const [args, message] of cases) {
      const run = await cli(args)
      expect(run.code, args.join(' ')).toBe(2)
      expect(run.err, args.join(' ')).toMatch(message)
      expect(run.err.trim().split('\n'), args.join(' ')).toHaveLength(1)
    }
    expect((await cli(['--help'])).out).toContain('status --history [--days N] [--json]')
  })
})
