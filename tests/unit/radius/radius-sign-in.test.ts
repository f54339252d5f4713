// The sign-in a RADIUS client asks for, decided by the core with the app's own
// rules (issue 11): password and code, the challenge, replayed codes, the
// enforcement, the client's "2FA for everyone", and one lockout shared with
// the app's sign-in, also against many attempts at once.
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { codeAt } from '../../../src/main/core/crypto/totp'
import { ACTIVATE_FIRST, CHALLENGE_TTL_MS, CLIENT_REQUIRES_2FA, CODE_PROMPT, REJECT_MESSAGE } from '../../../src/main/core/radius/radius-sign-in'
import { addUser, PASSWORD, setUpAdmin, TestEnv, userWith2fa } from '../helpers/harness'

const VPN = { name: 'vpn', require2fa: false }
const STRICT = { name: 'wifi', require2fa: true }

let env: TestEnv
let secret: Buffer
beforeEach(async () => {
  env = new TestEnv()
  await setUpAdmin(env)
  secret = await userWith2fa(env, 'maria@example.com')
  await addUser(env, 'tom@example.com')
})
afterEach(() => env.dispose())

const decide = (client: typeof VPN, user: string, password: string, state: Buffer | null = null) => env.core.local.radiusSignIn.decide(client, user, password, state)
const code = () => codeAt(secret, env.clock.now())
const failures = (email: string) => env.db.prepare('SELECT failed_attempts FROM users WHERE email = ?').pluck().get(email) as number

describe('a user with 2FA active', () => {
  it('is accepted with the password immediately followed by the current code, audited as the client', async () => {
    expect(await decide(VPN, 'maria@example.com', `${PASSWORD}${code()}`)).toMatchObject({ kind: 'accept', user: 'maria@example.com' })
    const entry = env.db.prepare("SELECT actor, target, details FROM audit_log WHERE action = 'login.success' ORDER BY id DESC LIMIT 1").get()
    expect(entry).toEqual({ actor: 'radius:vpn', target: 'maria@example.com', details: JSON.stringify({ secondFactor: true }) })
    // The shield's tooltip shows it as the last successful 2FA login.
    expect(env.db.prepare('SELECT last_2fa_login_at FROM users WHERE email = ?').pluck().get('maria@example.com')).toBe(env.clock.now())
  })

  it('gets a challenge for the password alone, then is accepted with the code; the State works once', async () => {
    const first = await decide(VPN, 'maria@example.com', PASSWORD)
    expect(first).toMatchObject({ kind: 'challenge', reply: CODE_PROMPT })
    if (first.kind !== 'challenge') throw new Error('no challenge')
    expect(first.state).toHaveLength(16)
    expect(await decide(VPN, 'maria@example.com', code(), first.state)).toMatchObject({ kind: 'accept' })
    env.clock.advance(30_000)
    expect(await decide(VPN, 'maria@example.com', code(), first.state)).toMatchObject({ kind: 'reject', reply: REJECT_MESSAGE })
  })

  it('refuses a State from another client, an expired one, and a replayed code', async () => {
    const forWifi = await decide(STRICT, 'maria@example.com', PASSWORD)
    if (forWifi.kind !== 'challenge') throw new Error('no challenge')
    expect(await decide(VPN, 'maria@example.com', code(), forWifi.state)).toMatchObject({ kind: 'reject' })
    const late = await decide(VPN, 'maria@example.com', PASSWORD)
    if (late.kind !== 'challenge') throw new Error('no challenge')
    env.clock.advance(CHALLENGE_TTL_MS + 1)
    expect(await decide(VPN, 'maria@example.com', code(), late.state)).toMatchObject({ kind: 'reject' })
    // Each refused State is in the log, as the client that sent it.
    const refused = env.db.prepare("SELECT actor, target, json_extract(details, '$.reason') AS reason FROM audit_log WHERE action = 'login.second-factor-failure' ORDER BY id").all()
    expect(refused).toEqual([
      { actor: 'radius:vpn', target: 'maria@example.com', reason: 'expired or foreign State' },
      { actor: 'radius:vpn', target: 'maria@example.com', reason: 'expired or foreign State' }
    ])
    const used = code()
    expect(await decide(VPN, 'maria@example.com', `${PASSWORD}${used}`)).toMatchObject({ kind: 'accept' })
    expect(await decide(VPN, 'maria@example.com', `${PASSWORD}${used}`)).toMatchObject({ kind: 'reject', reason: expect.stringMatching(/replayed/) })
  })

  it('accepts a recovery code as the answer to the challenge, once', async () => {
    const maria = env.screen()
    await maria.ok('login', { email: 'maria@example.com', password: PASSWORD })
    await maria.ok('verifyCode', { code: code() })
    env.clock.advance(30_000)
    const { recoveryCodes } = await maria.ok('regenerateRecoveryCodes', { code: code() })
    env.clock.advance(30_000)
    const challenge = await decide(VPN, 'maria@example.com', PASSWORD)
    if (challenge.kind !== 'challenge') throw new Error('no challenge')
    expect(await decide(VPN, 'maria@example.com', recoveryCodes[0]!, challenge.state)).toMatchObject({ kind: 'accept' })
    const again = await decide(VPN, 'maria@example.com', PASSWORD)
    if (again.kind !== 'challenge') throw new Error('no challenge')
    expect(await decide(VPN, 'maria@example.com', recoveryCodes[0]!, again.state)).toMatchObject({ kind: 'reject' })
  })
})

describe('users without 2FA', () => {
  it('accepts the password alone when 2FA is neither enforced nor required by the client', async () => {
    expect(await decide(VPN, 'tom@example.com', PASSWORD)).toMatchObject({ kind: 'accept' })
  })

  it('rejects with its reason when 2FA is enforced but not active, or the client requires 2FA', async () => {
    expect(await decide(STRICT, 'tom@example.com', PASSWORD)).toMatchObject({ kind: 'reject', reply: CLIENT_REQUIRES_2FA })
    await env.cli('setEnforcement', { userId: env.core.local.findUserIdByEmail('tom@example.com'), enforcement: 'enforced' })
    expect(await decide(VPN, 'tom@example.com', PASSWORD)).toMatchObject({ kind: 'reject', reply: ACTIVATE_FIRST })
    // Only after the right password: a wrong one says nothing about enforcement.
    expect(await decide(VPN, 'tom@example.com', 'wrong password')).toMatchObject({ kind: 'reject', reply: REJECT_MESSAGE })
  })
})

describe('what everyone gets who cannot sign in', () => {
  it('answers unknown users, wrong passwords, disabled and locked accounts with the same reject', async () => {
    await env.cli('updateUser', { userId: env.core.local.findUserIdByEmail('tom@example.com'), disabled: true })
    const answers = [await decide(VPN, 'nobody@example.com', PASSWORD), await decide(VPN, 'maria@example.com', 'wrong'), await decide(VPN, 'tom@example.com', PASSWORD)]
    for (const answer of answers) expect(answer).toMatchObject({ kind: 'reject', reply: REJECT_MESSAGE })
  })

  it('shares one lockout with the app: 10 wrong passwords over RADIUS lock the app sign-in too', async () => {
    for (let i = 0; i < 10; i++) await decide(VPN, 'tom@example.com', `wrong ${i}`)
    expect((await env.screen().fail('login', { email: 'tom@example.com', password: PASSWORD })).code).toBe('ACCOUNT_LOCKED')
    expect(await decide(VPN, 'tom@example.com', PASSWORD)).toMatchObject({ kind: 'reject', reason: expect.stringMatching(/locked/) })
    const actors = env.db.prepare("SELECT DISTINCT actor FROM audit_log WHERE action = 'login.failure' AND target = 'tom@example.com'").pluck().all()
    expect(actors).toEqual(['radius:vpn'])
  })

  it('holds the lockout against 60 attempts at once, right password among them: at most 10 guesses are evaluated', async () => {
    const attempts = await Promise.all(Array.from({ length: 60 }, (_, i) => decide(VPN, 'tom@example.com', i === 59 ? PASSWORD : `wrong ${i}`)))
    expect(failures('tom@example.com')).toBeLessThanOrEqual(10)
    expect(attempts.filter((attempt) => attempt.kind === 'accept').length).toBeLessThanOrEqual(1)
    const evaluated = env.db.prepare("SELECT count(*) FROM audit_log WHERE action = 'login.failure' AND target = 'tom@example.com'").pluck().get() as number
    expect(evaluated).toBeLessThanOrEqual(10)
    expect(await decide(VPN, 'tom@example.com', PASSWORD)).toMatchObject({ kind: 'reject' })
  })

  it('holds it for codes too: 20 wrong codes at once after a right password add at most 10 failures', async () => {
    const challenges = await Promise.all(Array.from({ length: 20 }, () => decide(VPN, 'maria@example.com', PASSWORD)))
    const states = challenges.flatMap((challenge) => (challenge.kind === 'challenge' ? [challenge.state] : []))
    await Promise.all(states.map((state, i) => decide(VPN, 'maria@example.com', String(100000 + i), state)))
    expect(failures('maria@example.com')).toBeLessThanOrEqual(10)
    expect(await decide(VPN, 'maria@example.com', `${PASSWORD}${code()}`)).toMatchObject({ kind: 'reject' })
  })
})
