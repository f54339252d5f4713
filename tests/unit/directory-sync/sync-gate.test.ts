// A directory sync reads the whole directory (seconds, over the network) before
// its one write transaction. The screens' writes must go on while it reads, and
// wait for it without blocking the thread while it writes: the sync takes the
// write gate (core/write-gate.ts) only for its transaction (TaskEnv.beforeWriting).
// With the calling connection's busy timeout cut to 1 ms, a write that reached
// SQLite during the transaction would fail with DATABASE_BUSY.
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { contextOf } from '../../../src/main/core/open-core'
import { setUpAdmin, TestEnv, type Screen } from '../helpers/harness'
import { connectionTo, type Slapd, startSlapd, stopAllSlapd } from '../helpers/slapd'

let server: Slapd
let env: TestEnv
let admin: Screen
beforeAll(async () => {
  server = await startSlapd({ users: 5000, sizeLimit: 500 })
  env = new TestEnv()
  ;({ screen: admin } = await setUpAdmin(env))
  await env.cli('setDirectoryConnection', connectionTo(server))
}, 60_000)
afterAll(async () => {
  env?.dispose()
  await stopAllSlapd()
})

describe('a screen that writes while a directory sync runs', () => {
  it('writes at once while the sync reads, and waits for its transaction instead of failing on the busy lock', async () => {
    const me = (await admin.ok('getMyAccount')).me.id
    const ctx = contextOf(env.core)
    const gate = ctx.writeGate
    // Whether the gate was held as each progress report of the sync arrived: never while it read.
    const seen: { reading: boolean; held: boolean }[] = []
    const run = ctx.background.run.bind(ctx.background)
    ctx.background.run = (name, input, onProgress, signal) =>
      run(name, input, (progress) => {
        if (name === 'syncDirectory') seen.push({ reading: progress.total === 0, held: gate.held })
        onProgress?.(progress)
      }, signal)
    env.db.pragma('busy_timeout = 1')
    try {
      let finished = false
      const sync = admin.ok('syncDirectory', { dryRun: false }).finally(() => (finished = true))
      const renames: Promise<{ beforeSyncEnded: boolean }>[] = []
      let sawHeld = false
      const started = Date.now()
      while (!finished && Date.now() - started < 60_000 && renames.length < 5_000) {
        sawHeld ||= gate.held
        renames.push(admin.ok('updateUser', { userId: me, name: `Ada ${renames.length}` }).then(() => ({ beforeSyncEnded: !finished })))
        await new Promise((next) => setTimeout(next, 2))
      }
      const result = await sync
      const answered = await Promise.all(renames)
      expect(result).toMatchObject({ applied: true, created: 5000 })
      expect(sawHeld, 'the sync never took the gate').toBe(true)
      expect(answered.some((rename) => rename.beforeSyncEnded), 'no write went through while the sync read the directory').toBe(true)
      expect((await admin.ok('getUser', { userId: me })).name).toBe(`Ada ${renames.length - 1}`)
      const reading = seen.filter((step) => step.reading)
      const applying = seen.filter((step) => !step.reading)
      expect(reading.length, 'no progress while reading').toBeGreaterThan(1)
      expect(applying.length, 'no progress while applying').toBeGreaterThan(1)
      expect(reading.every((step) => !step.held), 'the gate was held while the sync read the directory').toBe(true)
      expect(applying.every((step) => step.held), 'the gate was open while the sync wrote').toBe(true)
    } finally {
      env.db.pragma('busy_timeout = 5000')
      ctx.background.run = run
    }
  }, 120_000)
})
