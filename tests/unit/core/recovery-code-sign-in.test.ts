// A sign-in with a recovery code says how many unused codes are left (for the
// notice that offers new ones), and one code signs in once, even when it is
// sent many times at once through two cores on the same file.
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { fileKeyProvider } from '../../../src/main/core/crypto/keys'
import { codeAt } from '../../../src/main/core/crypto/totp'
import { openCore } from '../../../src/main/core/open-core'
import { addUser, enroll, FAST_KDF, PASSWORD, setUpAdmin, TestEnv } from '../helpers/harness'

const MARIA = 'maria@example.com'
let env: TestEnv
let recoveryCodes: string[]
let secret: Buffer
beforeEach(async () => {
  env = new TestEnv()
  await setUpAdmin(env)
  await addUser(env, MARIA)
  const screen = env.screen()
  await screen.ok('login', { email: MARIA, password: PASSWORD })
  ;({ recoveryCodes, secret } = await enroll(env, screen))
  await screen.ok('logout')
})
afterEach(() => env.dispose())

async function signInWith(code: string) {
  const screen = env.screen()
  expect((await screen.ok('login', { email: MARIA, password: PASSWORD })).step).toBe('second-factor')
  return { screen, result: await screen.call('verifyRecoveryCode', { code }) }
}

describe('a sign-in with a recovery code', () => {
  it('answers how many unused codes are left, down to 0', async () => {
    for (let used = 1; used <= 10; used++) {
      const { screen, result } = await signInWith(recoveryCodes[used - 1] ?? '')
      if (!result.ok) throw new Error(result.error.message)
      expect(result.value).toMatchObject({ step: 'signed-in', me: { email: MARIA }, recoveryCodesLeft: 10 - used })
      expect((await screen.ok('getMyAccount')).recoveryCodesRemaining).toBe(10 - used)
      await screen.ok('logout')
    }
    const counts = env.db.prepare("SELECT json_extract(details, '$.remaining') FROM audit_log WHERE action = 'login.recovery-code-used' ORDER BY id").pluck().all()
    expect(counts).toEqual([9, 8, 7, 6, 5, 4, 3, 2, 1, 0])
  })

  it('counts again from 10 after the codes are regenerated', async () => {
    const { screen, result } = await signInWith(recoveryCodes[0] ?? '')
    expect(result.ok && result.value.recoveryCodesLeft).toBe(9)
    env.clock.advance(30_000)
    const fresh = await screen.ok('regenerateRecoveryCodes', { code: codeAt(secret, env.clock.now()) })
    await screen.ok('logout')
    const again = await signInWith(fresh.recoveryCodes[0] ?? '')
    expect(again.result.ok && again.result.value.recoveryCodesLeft).toBe(9)
  })

  it('a TOTP sign-in carries no count', async () => {
    const screen = env.screen()
    await screen.ok('login', { email: MARIA, password: PASSWORD })
    env.clock.advance(30_000)
    expect(await screen.ok('verifyCode', { code: codeAt(secret, env.clock.now()) })).not.toHaveProperty('recoveryCodesLeft')
  })

  it('a wrong code signs nobody in and uses nothing', async () => {
    const { screen, result } = await signInWith('zzzzz-99999')
    expect(!result.ok && result.error.code).toBe('INVALID_CODE')
    expect((await screen.fail('getMyAccount')).code).toBe('UNAUTHENTICATED')
    expect(env.db.prepare('SELECT count(*) FROM recovery_codes WHERE used_at IS NULL').pluck().get()).toBe(20)
  })

  it('the same code sent many times at once, through two cores on one file, signs in exactly once', async () => {
    const other = openCore({ dbPath: env.dbPath, keyProvider: fileKeyProvider(env.dbPath), clock: env.clock, passwordKdf: FAST_KDF })
    try {
      const holders = Array.from({ length: 8 }, () => ({ sessionId: null as string | null }))
      // Half the sessions on each core, all past the password.
      const coreOf = (i: number) => (i % 2 === 0 ? env.core : other)
      for (const [i, holder] of holders.entries()) {
        const step = await coreOf(i).dispatch('login', { kind: 'session', holder }, { email: MARIA, password: PASSWORD })
        expect(step.ok && step.value.step).toBe('second-factor')
      }
      const code = recoveryCodes[3] ?? ''
      const results = await Promise.all(holders.map((holder, i) => coreOf(i).dispatch('verifyRecoveryCode', { kind: 'session', holder }, { code })))
      const succeeded = results.filter((result) => result.ok)
      expect(succeeded).toHaveLength(1)
      expect(succeeded[0]?.ok && succeeded[0].value.recoveryCodesLeft).toBe(9)
      expect(new Set(results.filter((result) => !result.ok).map((result) => (result.ok ? '' : result.error.code)))).toEqual(new Set(['INVALID_CODE']))
      expect(env.db.prepare("SELECT count(*) FROM audit_log WHERE action = 'login.recovery-code-used'").pluck().get()).toBe(1)
      expect(env.db.prepare('SELECT count(*) FROM recovery_codes r JOIN users u ON u.id = r.user_id WHERE u.email = ? AND r.used_at IS NULL').pluck().get(MARIA)).toBe(9)
    } finally {
      other.close()
    }
  })
})
