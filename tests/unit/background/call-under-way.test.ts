// A call that may write counts as under way until it has answered, and a
// background task that asks for the write gate meanwhile waits for it
// (core/write-gate.ts). A login awaits its password hash (scrypt at its real
// cost here) before it writes the guess: a bulk change asked meanwhile must not
// take the write lock under it. With the calling connection's busy timeout cut
// to 1 ms, a login whose write met the change's lock would fail with
// DATABASE_BUSY, its guess neither counted nor audited.
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { OWASP_SCRYPT } from '../../../src/main/core/crypto/passwords'
import { contextOf } from '../../../src/main/core/open-core'
import { addUser, setUpAdmin, TestEnv, type Screen } from '../helpers/harness'

let env: TestEnv
let admin: Screen
beforeAll(async () => {
  env = new TestEnv({ passwordKdf: OWASP_SCRYPT })
  ;({ screen: admin } = await setUpAdmin(env))
  env.core.local.seedDemo({ users: 40_000, seed: 5, force: true })
  await addUser(env, 'guess@gate.example')
}, 120_000)
afterAll(() => env?.dispose())

describe('a call under way when a background task asks for the gate', () => {
  it('a login hashing its password is let finish its write before a bulk change begins', async () => {
    const gate = contextOf(env.core).writeGate
    const acquire = gate.acquire.bind(gate)
    let askedAt: number | null = null
    gate.acquire = () => {
      askedAt ??= performance.now()
      return acquire()
    }
    env.db.pragma('busy_timeout = 1')
    try {
      let loginAnsweredAt = 0
      const login = env
        .screen()
        .call('login', { email: 'guess@gate.example', password: 'a wrong guess' })
        .then((result) => ((loginAnsweredAt = performance.now()), result))
      const change = admin.call('applyBulkChange', { selection: { filter: { status: 'inactive' } }, action: 'enforce' })
      const [guess, changed] = await Promise.all([login, change])
      expect(askedAt, 'the change never asked for the gate').not.toBeNull()
      expect(askedAt!, 'the change asked for the gate only after the login had answered: nothing was tested').toBeLessThan(loginAnsweredAt)
      expect(guess.ok ? 'OK' : guess.error.code).toBe('INVALID_CREDENTIALS')
      expect(changed.ok ? 'OK' : changed.error.code).toBe('OK')
    } finally {
      env.db.pragma('busy_timeout = 5000')
      gate.acquire = acquire
    }
    // The guess was counted and audited, once.
    expect(env.db.prepare("SELECT failed_attempts FROM users WHERE email = 'guess@gate.example'").pluck().get()).toBe(1)
    expect(env.db.prepare("SELECT count(*) FROM audit_log WHERE action = 'login.failure' AND target = 'guess@gate.example'").pluck().get()).toBe(1)
  }, 120_000)
})
