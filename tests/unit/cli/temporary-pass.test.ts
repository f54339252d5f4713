// twofa-admin user temporary-pass: the pass printed once, single use unless
// --multi, 1 to 720 hours, revocable, audited as the command line.
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import BetterSqlite3 from 'better-sqlite3'
import { sessionCaller } from '../../../src/main/core/caller'
import { fileKeyProvider } from '../../../src/main/core/crypto/keys'
import { openCore } from '../../../src/main/core/open-core'
import { FAST_KDF } from '../helpers/harness'
import { CliSandbox } from '../helpers/cli'

let sandbox: CliSandbox
beforeEach(async () => {
  sandbox = new CliSandbox('twofa-cli-pass-')
  await sandbox.run(['init'])
  await sandbox.run(['user', 'add', '--name', 'Maria', '--email', 'maria@example.com', '--password-stdin'], 'maria password 2026')
})
afterEach(() => sandbox.dispose())

const cli = (args: string[]) => sandbox.run(args)
const PASS = /\b([a-z2-9]{4}-[a-z2-9]{4}-[a-z2-9]{4}-[a-z2-9]{4})\b/

/** Logs in through the contract, as a screen would, on the sandbox's database. */
async function loginStep(password: string): Promise<string> {
  const core = openCore({ dbPath: sandbox.db, keyProvider: fileKeyProvider(sandbox.db), passwordKdf: FAST_KDF, passwordThreads: 0 })
  try {
    const result = await core.dispatch('login', sessionCaller({ sessionId: null }), { email: 'maria@example.com', password })
    return result.ok ? result.value.step : result.error.code
  } finally {
    core.close()
  }
}

function audit(): { actor: string; action: string; details: string }[] {
  const raw = new BetterSqlite3(sandbox.db, { readonly: true })
  const rows = raw.prepare("SELECT actor, action, details FROM audit_log WHERE action LIKE 'temporary-pass.%' ORDER BY id").all() as never
  raw.close()
  return rows
}

describe('twofa-admin user temporary-pass', () => {
  it('prints the pass once (single use, 8 hours by default); it signs in once, as a pass', async () => {
    const issued = await cli(['user', 'temporary-pass', 'maria@example.com'])
    expect(issued).toMatchObject({ code: 0, err: '' })
    expect(issued.out).toMatch(/^Temporary access pass for maria@example.com: [a-z2-9-]{19}\n/)
    expect(issued.out).toMatch(/\(8 hours\), single use\./)
    expect(issued.out).toMatch(/shown only now/)
    const pass = PASS.exec(issued.out)?.[1] ?? ''
    // Never again: user show says nothing of it.
    expect((await cli(['user', 'show', 'maria@example.com', '--json'])).out).not.toContain(pass)
    expect(await loginStep(pass)).toBe('temporary-pass')
    expect(await loginStep(pass)).toBe('INVALID_CREDENTIALS')
    expect(audit().map((entry) => [entry.actor, entry.action])).toEqual([
      ['cli', 'temporary-pass.issued'],
      ['maria@example.com', 'temporary-pass.used']
    ])
  })

  it('--multi lasts until it expires or 2FA is activated; --once is the default said out loud; --hours sets how long', async () => {
    const multi = await cli(['user', 'temporary-pass', 'maria@example.com', '--multi', '--hours', '720', '--json'])
    const parsed = JSON.parse(multi.out) as { email: string; pass: string; expiresAt: number; singleUse: boolean }
    expect(parsed).toMatchObject({ email: 'maria@example.com', singleUse: false })
    expect(await loginStep(parsed.pass)).toBe('temporary-pass')
    expect(await loginStep(parsed.pass)).toBe('temporary-pass')
    const once = await cli(['user', 'temporary-pass', 'maria@example.com', '--once', '--hours', '1'])
    expect(once.out).toMatch(/\(1 hour\), single use/)
    // The new pass revoked the multi-use one.
    expect(await loginStep(parsed.pass)).toBe('INVALID_CREDENTIALS')
    expect(JSON.parse(audit().find((entry) => entry.action === 'temporary-pass.revoked')?.details ?? '{}')).toMatchObject({ reason: 'replaced' })
  })

  it('--revoke revokes it; revoking when there is none says so', async () => {
    const pass = PASS.exec((await cli(['user', 'temporary-pass', 'maria@example.com'])).out)?.[1] ?? ''
    const revoked = await cli(['user', 'temporary-pass', 'maria@example.com', '--revoke'])
    expect(revoked).toMatchObject({ code: 0, out: expect.stringMatching(/was revoked/) as unknown })
    expect(await loginStep(pass)).toBe('INVALID_CREDENTIALS')
    const again = await cli(['user', 'temporary-pass', 'maria@example.com', '--revoke'])
    expect(again.code).toBe(1)
    expect(again.err).toMatch(/has no temporary access pass that is still valid/)
  })

  it('refuses bad input with one line and no change', async () => {
    const cases: [string[], number, RegExp][] = [
      [['user', 'temporary-pass', 'maria@example.com', '--hours', '0'], 2, /--hours must be a whole number from 1 to 720/],
      [['user', 'temporary-pass', 'maria@example.com', '--hours', '721'], 2, /from 1 to 720/],
      [['user', 'temporary-pass', 'maria@example.com', '--hours', '1.5'], 2, /whole number/],
      [['user', 'temporary-pass', 'maria@example.com', '--hours', 'eight'], 2, /whole number/],
      [['user', 'temporary-pass', 'maria@example.com', '--once', '--multi'], 2, /not both/],
      [['user', 'temporary-pass', 'maria@example.com', '--revoke', '--hours', '2'], 2, /--revoke takes no/],
      [['user', 'temporary-pass', 'maria@example.com', '--force'], 2, /does not take --force/],
      [['user', 'temporary-pass'], 2, /Expected one email/],
      [['user', 'temporary-pass', 'nobody@example.com'], 1, /No user with the email nobody@example.com/]
    ]
    for (const [args, code, message] of cases) {
      const result = await cli(args)
      expect([args.join(' '), result.code]).toEqual([args.join(' '), code])
      expect(result.err).toMatch(message)
      expect(result.err.trim().split('\n')).toHaveLength(1)
    }
    expect(audit()).toEqual([])
  })

  it('is in the help', async () => {
    const help = await cli(['--help'])
    expect(help.out).toMatch(/user temporary-pass EMAIL \[--hours N\] \[--once \| --multi\]/)
    expect(help.out).toMatch(/user temporary-pass EMAIL --revoke/)
  })
})
