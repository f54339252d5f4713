// The links of a bulk change's many audit entries are made on a thread of their
// own (core/audit/links-thread.ts) while the change's UPDATE runs. What must
// hold: the thread makes exactly what this thread would (the order, the details'
// JSON, every link), so the chain verifies; whatever goes wrong on the thread
// (it throws, never answers, answers garbage or wrong links) the entries are
// still written, each once, as a chain that verifies; and nothing may be
// appended to the log between the beginning and the end.
import { randomBytes } from 'node:crypto'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { beginAuditEntries, entryMac, type AuditEvent } from '../../../src/main/core/audit/chain'
import { linksHere, startLinks, type LinkMac, type LinksJob } from '../../../src/main/core/audit/links-thread'
import { writeTransaction } from '../../../src/main/db/connection'
import type { AuditRecord } from '../../../src/main/db/audit-repo'
import { setUpAdmin, TestEnv } from '../helpers/harness'

const TARGETS = ['Zoë.Adams@example.com', 'adam@example.com', 'ADAM@example.com', null, 'łukasz@example.pl', 'b@x', 'a"b\\c@example.com', '']

function eventsOf(count: number): AuditEvent[] {
  return Array.from({ length: count }, (_, i) => ({
    actor: i % 5 === 0 ? 'other-admin@example.com' : 'admin@example.com',
    action: i % 3 === 0 ? 'account.unlocked' : 'enforcement.user-changed',
    target: i < TARGETS.length ? TARGETS[i] : `user${(i * 7919) % count}@Example.com`,
    details: { from: i % 2 === 0 ? 'inherit' : 'exempt', to: 'enforced', enforced: i % 4 !== 0, note: 'ünïcödé "quoted"', nested: { i, list: [i, null] }, bulk: true }
  }))
}

const key = randomBytes(32)
const mac: LinkMac = (prevHash, record) => entryMac(key, prevHash, record as Omit<AuditRecord, 'prevHash' | 'hash'>)

function jobOf(count: number): LinksJob {
  return {
    key,
    after: { id: 41, hash: 'ab'.repeat(32) },
    at: 1_765_000_000_000,
    events: eventsOf(count).map((event) => ({ actor: event.actor, action: event.action, target: event.target ?? null, details: JSON.stringify(event.details ?? {}) }))
  }
}

describe('the links thread', () => {
  it('makes the same order and links as this thread', () => {
    const job = jobOf(3_000)
    const there = startLinks(job).take()
    expect(there, 'the thread answered').not.toBeNull()
    const here = linksHere(job, mac)
    expect([...there!.order]).toEqual([...here.order])
    expect(there!.hashes).toEqual(here.hashes)
    // The order is by target, ASCII case ignored, and holds every event once.
    const keys = [...here.order].map((e) => (job.events[e]!.target ?? '').toLowerCase())
    expect(keys).toEqual([...keys].sort())
    expect(new Set(here.order).size).toBe(job.events.length)
  })

  it('gives nothing, without waiting longer than asked, when its thread throws, never answers or answers garbage', () => {
    const job = jobOf(50)
    const answering = (body: string) => `
      const { workerData } = require('node:worker_threads')
      ${body}
      Atomics.store(workerData.flag, 0, 1)
      Atomics.notify(workerData.flag, 0)`
    const throwing = answering("workerData.port.postMessage({ error: 'no' })")
    const garbage = answering("workerData.port.postMessage({ order: new Int32Array(50), hashes: 'x'.repeat(64 * 50) })")
    const short = answering("workerData.port.postMessage({ order: Int32Array.from({ length: 49 }, (_, i) => i), hashes: 'x'.repeat(64 * 50) })")
    for (const source of [throwing, garbage, short, 'setTimeout(() => {}, 60_000)', 'this is not JavaScript']) {
      const started = Date.now()
      expect(startLinks(job, { source, waitMs: 300 }).take()).toBeNull()
      expect(Date.now() - started).toBeLessThan(5_000)
    }
  })
})

describe('entries begun and finished in one write transaction', () => {
  let env: TestEnv
  beforeEach(async () => {
    env = new TestEnv()
    await setUpAdmin(env)
  })
  afterEach(() => env.dispose())

  const written = (from: number) => env.db.prepare('SELECT id, actor, action, target, details FROM audit_log WHERE id > ? ORDER BY id').all(from) as { target: string | null; details: string }[]
  const lastId = () => env.db.prepare('SELECT max(id) FROM audit_log').pluck().get() as number

  async function expectChainHolds(): Promise<void> {
    const status = await env.cli('verifyWholeAuditLog')
    expect(status.broken).toBeNull()
  }

  it('write every event once, in the order of their targets, the same with the thread and without, and the chain verifies', async () => {
    const events = eventsOf(2_500)
    const at = env.clock.now()
    const before = lastId()
    writeTransaction(env.db, () => beginAuditEntries(env.db, at, events, { offThreadFrom: 1 }).finish())
    const threaded = written(before)
    expect(threaded).toHaveLength(events.length)
    const keys = threaded.map((row) => (row.target ?? '').toLowerCase())
    expect(keys).toEqual([...keys].sort())
    const asJson = (rows: { target: string | null; details: string }[]) => rows.map((row) => `${row.target}|${row.details}`).sort()
    expect(asJson(threaded)).toEqual(asJson(events.map((event) => ({ target: event.target ?? null, details: JSON.stringify(event.details) }))))
    await expectChainHolds()

    const middle = lastId()
    writeTransaction(env.db, () => beginAuditEntries(env.db, at, events, { offThreadFrom: Number.POSITIVE_INFINITY }).finish())
    const strip = (rows: object[]) => rows.map((row) => ({ ...row, id: undefined }))
    expect(strip(written(middle))).toEqual(strip(threaded))
    await expectChainHolds()
  })

  it('still write a chain that verifies when the thread answers links that do not hold, or none', async () => {
    const events = eventsOf(300)
    // A thread that answers well-formed links of another key: the right order and details, wrong hashes.
    const wrongKey = `
      const { workerData } = require('node:worker_threads')
      const { createHmac } = require('node:crypto')
      const { targets, details, flag, port } = workerData
      const keys = targets.map((t) => (t === null ? '' : t).toLowerCase())
      const order = Int32Array.from(keys.keys()).sort((a, b) => (keys[a] < keys[b] ? -1 : keys[a] > keys[b] ? 1 : a - b))
      const hashes = Array.from(order, (e) => createHmac('sha256', 'not the key').update(String(e)).digest('hex'))
      port.postMessage({ order, hashes: hashes.join('') })
      Atomics.store(flag, 0, 1)
      Atomics.notify(flag, 0)`
    // A thread that links other details than it was given (under the right key): its links do not hold for what is written.
    const otherDetails = `
      const { workerData } = require('node:worker_threads')
      const { createHmac } = require('node:crypto')
      const { key, afterId, afterHash, at, actors, actions, targets, flag, port } = workerData
      const keys = targets.map((t) => (t === null ? '' : t).toLowerCase())
      const order = Int32Array.from(keys.keys()).sort((a, b) => (keys[a] < keys[b] ? -1 : keys[a] > keys[b] ? 1 : a - b))
      let prev = afterHash
      const hashes = Array.from(order, (e, i) => (prev = createHmac('sha256', key).update(prev).update('\\n').update(JSON.stringify([afterId + 1 + i, at, actors[e], actions[e], targets[e], '{"forged":true}'])).digest('hex')))
      port.postMessage({ order, hashes: hashes.join('') })
      Atomics.store(flag, 0, 1)
      Atomics.notify(flag, 0)`
    for (const source of [wrongKey, otherDetails, 'setTimeout(() => {}, 60_000)']) {
      const before = lastId()
      writeTransaction(env.db, () => beginAuditEntries(env.db, env.clock.now(), events, { offThreadFrom: 1, thread: { source, waitMs: 200 } }).finish())
      const rows = written(before)
      expect(rows).toHaveLength(events.length)
      expect(rows.map((row) => row.details).sort()).toEqual(events.map((event) => JSON.stringify(event.details)).sort())
      await expectChainHolds()
    }
  })

  it('refuse to finish, and write none of them, when an entry was appended in between', async () => {
    const before = lastId()
    expect(() =>
      writeTransaction(env.db, () => {
        const entries = beginAuditEntries(env.db, env.clock.now(), eventsOf(10), { offThreadFrom: 1 })
        beginAuditEntries(env.db, env.clock.now(), eventsOf(1)).finish()
        entries.finish()
      })
    ).toThrow(/appended between/)
    expect(lastId()).toBe(before)
    await expectChainHolds()
  })
})
