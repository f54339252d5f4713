// The audit chain is cheap to read at any size: each look checks only the
// entries written since the verified mark (bounded, with a background catch-up
// beyond that), and a walk over every entry runs in a worker thread with its
// progress, never on the thread that answers the screens.
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { contextOf } from '../../../src/main/core/open-core'
import type { AuditChainStatus } from '../../../src/shared/domain'
import { appendAudit } from '../../../src/main/core/audit/chain'
import { CATCH_UP_LIMIT } from '../../../src/main/core/audit/verification'
import { PROGRESS_EVERY } from '../../../src/main/core/audit/chain'
import { writeTransaction } from '../../../src/main/db/connection'
import { auditPageStatement } from '../../../src/main/db/audit-repo'
import { addUser, setUpAdmin, TestEnv } from '../helpers/harness'

let env: TestEnv
beforeEach(() => {
  env = new TestEnv()
})
afterEach(() => env.dispose())

/** Many entries at once, written as the core writes them (a valid chain). */
function appendEntries(count: number, actor = 'bulk@example.com'): void {
  writeTransaction(env.db, () => {
    for (let i = 0; i < count; i++) appendAudit(env.db, env.clock.now(), { actor, action: 'login.failure', target: actor, details: { i } })
  })
}

async function status(): Promise<AuditChainStatus> {
  return env.cli('getAuditChainStatus')
}

/** Polls until no walk is under way, as the Audit screen does. */
async function settled(): Promise<AuditChainStatus> {
  const deadline = Date.now() + 30_000
  for (;;) {
    const now = await status()
    if (now.verifying === null) return now
    if (Date.now() > deadline) throw new Error('the verification did not finish in 30 s')
    await new Promise((wait) => setTimeout(wait, 20))
  }
}

describe('the verified mark', () => {
  it('checks the new entries once and moves the mark over them', async () => {
    await setUpAdmin(env)
    const first = await status()
    expect(first).toMatchObject({ broken: null, verifying: null, lastFullVerification: null })
    expect(first.verifiedThrough).toBe(first.entries)
    appendEntries(25)
    const next = await status()
    expect(next.entries).toBe(first.entries + 25)
    expect(next.verifiedThrough).toBe(next.entries)
  })

  it('does not walk old entries again: an edit below the mark is found by the whole walk, not by a look', async () => {
    await setUpAdmin(env)
    await addUser(env, 'maria@example.com')
    expect((await status()).broken).toBeNull()
    env.db.prepare("UPDATE audit_log SET actor = 'someone-else' WHERE id = 2").run()
    // A look checks only what came since the mark: the edit is below it.
    expect((await status()).broken).toBeNull()
    await env.cli('verifyWholeAuditLog')
    const after = await settled()
    expect(after.broken).toEqual({ at: 2, reason: 'Entry 2 was changed after it was written.' })
    expect(after.lastFullVerification).toMatchObject({ valid: false, at: env.clock.now() })
  })

  it('notices the entry at the mark being changed, and the newest entries being cut off', async () => {
    await setUpAdmin(env)
    const { verifiedThrough } = await status()
    env.db.prepare("UPDATE audit_log SET hash = 'x' || substr(hash, 2) WHERE id = ?").run(verifiedThrough)
    expect((await status()).broken).toMatchObject({ at: verifiedThrough, reason: expect.stringMatching(new RegExp(`^Entry ${verifiedThrough} was changed after it was`)) })

    const other = new TestEnv()
    try {
      await setUpAdmin(other)
      const mark = (await other.cli('getAuditChainStatus')).verifiedThrough
      other.db.prepare('DELETE FROM audit_log WHERE id >= ?').run(mark - 1)
      // The anchor outside the database knows how far the log went.
      expect((await other.cli('getAuditChainStatus')).broken?.reason).toBe(`Entries ${mark - 1} to ${mark}, the newest, were deleted.`)
    } finally {
      other.dispose()
    }
  })

  it(`checks at most ${CATCH_UP_LIMIT} new entries in the request and the rest in the background`, async () => {
    await setUpAdmin(env)
    await status()
    appendEntries(CATCH_UP_LIMIT * 3)
    const now = await status()
    expect(now.verifiedThrough).toBeLessThan(now.entries)
    expect(now.verifiedThrough).toBeGreaterThan(0)
    const done = await settled()
    expect(done.verifiedThrough).toBe(done.entries)
    expect(done.broken).toBeNull()
  })
})

describe('the whole walk', () => {
  it('runs in a worker thread with its progress, while this thread keeps answering', async () => {
    await setUpAdmin(env)
    appendEntries(PROGRESS_EVERY * 6)
    let turns = 0
    const ticker = setInterval(() => turns++, 0)
    const seen: { checked: number; total: number }[] = []
    try {
      const started = await env.cli('verifyWholeAuditLog')
      expect(started.verifying).not.toBeNull()
      for (let current = started; current.verifying !== null; current = await status()) {
        seen.push(current.verifying)
        // The screens' other calls are answered meanwhile.
        expect((await env.cli('getSecurityOverview')).distribution.total).toBe(1)
        await new Promise((wait) => setTimeout(wait, 5))
      }
    } finally {
      clearInterval(ticker)
    }
    expect(turns).toBeGreaterThan(10)
    expect(seen.some((progress) => progress.checked > 0 && progress.checked < progress.total)).toBe(true)
    const done = await status()
    expect(done.lastFullVerification).toEqual({ at: env.clock.now(), entries: done.entries, valid: true })
    expect(done.verifiedThrough).toBe(done.entries)
  })

  it('a second request joins the walk under way instead of starting another', async () => {
    await setUpAdmin(env)
    appendEntries(PROGRESS_EVERY * 3)
    await status()
    const run = vi.spyOn(contextOf(env.core).background, 'run')
    await env.cli('verifyWholeAuditLog')
    const again = await env.cli('verifyWholeAuditLog')
    expect(again.verifying).not.toBeNull()
    await settled()
    expect(run).toHaveBeenCalledTimes(1)
  })
})

describe('a page of the audit log', () => {
  const plan = (query: Parameters<typeof auditPageStatement>[0]) => {
    const { sql, params } = auditPageStatement(query)
    return (env.db.prepare(`EXPLAIN QUERY PLAN ${sql}`).all(params) as { detail: string }[]).map((row) => row.detail)
  }

  it('is an index seek in id order for every filter shape, never a scan of the log', () => {
    const shapes = [
      { limit: 51 },
      { limit: 51, before: 1000 },
      { limit: 51, action: 'login.failure' as const },
      { limit: 51, user: 'maria@example.com' },
      { limit: 51, user: 'maria@example.com', action: 'login.failure' as const, before: 1000 }
    ]
    for (const shape of shapes) {
      const details = plan(shape)
      const label = JSON.stringify(shape)
      for (const line of details) expect(line, label).not.toMatch(/^SCAN audit_log$/)
      expect(details.some((line) => /SEARCH audit_log USING (INDEX|INTEGER PRIMARY KEY|COVERING INDEX)/.test(line) || /SCAN audit_log USING INTEGER PRIMARY KEY/.test(line)), label).toBe(true)
    }
    // A user's entries of one action come from the (user, action, id) indexes, so the page stops after the limit.
    expect(plan({ limit: 51, user: 'maria@example.com', action: 'login.failure' }).join('\n')).toMatch(/audit_by_actor_action[\s\S]*audit_by_target_action/)
  })

  it('lists the user as actor or target once each, newest first, with its filters', async () => {
    await setUpAdmin(env)
    await addUser(env, 'maria@example.com')
    appendEntries(30, 'maria@example.com')
    const page = await env.cli('listAudit', { user: 'MARIA@example.com', limit: 10 })
    expect(page.entries).toHaveLength(10)
    expect(page.entries.map((entry) => entry.id)).toEqual([...page.entries.map((entry) => entry.id)].sort((a, b) => b - a))
    expect(new Set(page.entries.map((entry) => entry.id)).size).toBe(10)
    const all: number[] = []
    for (let before: number | undefined; ; ) {
      const next = await env.cli('listAudit', { user: 'maria@example.com', action: 'login.failure', limit: 7, before })
      all.push(...next.entries.map((entry) => entry.id))
      if (next.nextCursor === null) break
      before = next.nextCursor
    }
    expect(all).toHaveLength(30)
  })
})
