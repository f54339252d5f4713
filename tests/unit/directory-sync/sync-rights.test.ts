// A directory sync an administrator asks for reads the whole directory (seconds
// over the network) before its write transaction; another administrator may
// demote or disable them meanwhile. The sync checks them again when it has its
// turn to write (guards.ts stillAdminWhenWriting) and under its write lock
// (core/still-admin.ts), as a bulk change and an import do
// (background/rights-at-write.test.ts); the schedule and the command line,
// which have no account, are not concerned.
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { contextOf } from '../../../src/main/core/open-core'
import { addUser, setUpAdmin, TestEnv, type Screen } from '../helpers/harness'
import { connectionTo, type Slapd, startSlapd, stopAllSlapd } from '../helpers/slapd'

let server: Slapd
let env: TestEnv
let admin: Screen
beforeAll(async () => {
  server = await startSlapd({ users: 20 })
  env = new TestEnv()
  ;({ screen: admin } = await setUpAdmin(env))
  await addUser(env, 'other-admin@example.com', 'admin')
  await env.cli('setDirectoryConnection', connectionTo(server))
}, 60_000)
afterAll(async () => {
  env?.dispose()
  await stopAllSlapd()
})

const fromDirectory = (): number => env.db.prepare("SELECT count(*) FROM users WHERE source = 'ldap'").pluck().get() as number

describe('the administrator behind a directory sync', () => {
  it('demoted while the sync read the directory: refused when it has its turn to write, nothing written', async () => {
    const gate = contextOf(env.core).writeGate
    const acquire = gate.acquire.bind(gate)
    let asked = false
    gate.acquire = () => {
      asked = true
      env.db.exec("UPDATE users SET role = 'user' WHERE email = 'admin@example.com'")
      return acquire()
    }
    try {
      const result = await admin.call('syncDirectory', { dryRun: false })
      expect(asked, 'the sync never asked for the write gate').toBe(true)
      expect(result.ok ? 'OK' : result.error.code).toBe('FORBIDDEN')
    } finally {
      gate.acquire = acquire
    }
    expect(fromDirectory()).toBe(0)
    expect(env.db.prepare("SELECT count(*) FROM audit_log WHERE action = 'directory.synced'").pluck().get()).toBe(0)
    // The command line is the local administrator: its sync is not refused.
    expect(await env.cli('syncDirectory', { dryRun: false })).toMatchObject({ applied: true, created: 20 })
    expect(fromDirectory()).toBe(20)
  }, 60_000)

  it('demoted after the turn’s check (by another process): the write transaction’s own check refuses', async () => {
    // An administrator again, with a user the directory no longer has: a sync would remove it.
    env.db.exec("UPDATE users SET role = 'admin' WHERE email = 'admin@example.com'")
    const synced = (): number => env.db.prepare("SELECT count(*) FROM audit_log WHERE action = 'directory.synced'").pluck().get() as number
    const before = { synced: synced(), users: env.db.prepare('SELECT count(*), sum(disabled) FROM users').raw().get() }
    await server.remove(server.userDn(1))
    const ctx = contextOf(env.core)
    const gate = ctx.writeGate
    const acquire = gate.acquire.bind(gate)
    // The check at the turn left out, as if another process demoted them between it and the transaction.
    const run = ctx.background.run.bind(ctx.background)
    ctx.background.run = (name, input, onProgress, signal) => run(name, input, onProgress, signal)
    gate.acquire = () => {
      env.db.exec("UPDATE users SET role = 'user' WHERE email = 'admin@example.com'")
      return acquire()
    }
    try {
      const result = await admin.call('syncDirectory', { dryRun: false })
      expect(result.ok ? 'OK' : result.error.code).toBe('FORBIDDEN')
      expect(result.ok ? '' : result.error.message).toMatch(/rights were removed before this change could be written. Nothing was changed/)
    } finally {
      gate.acquire = acquire
      ctx.background.run = run
    }
    expect(synced()).toBe(before.synced)
    expect(env.db.prepare('SELECT count(*), sum(disabled) FROM users').raw().get()).toEqual(before.users)
  }, 60_000)
})
