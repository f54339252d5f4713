// twofa-admin users enforce|exempt|inherit|unlock --status S | --emails-file FILE [--dry-run] [--json] (issue 13).
import { writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { CliSandbox } from '../helpers/cli'

let cli: CliSandbox
beforeEach(async () => {
  cli = new CliSandbox()
  expect((await cli.run(['init'])).code).toBe(0)
  const added = await cli.run(['user', 'add', '--name', 'Ada', '--email', 'ada@example.com', '--role', 'admin', '--password-stdin'], 'correct horse battery\n')
  expect(added.code, added.err).toBe(0)
  for (const name of ['ana', 'ben', 'cho']) {
    const user = await cli.run(['user', 'add', '--name', name, '--email', `${name}@example.com`, '--password-stdin'], 'correct horse battery\n')
    expect(user.code, user.err).toBe(0)
  }
})
afterEach(() => cli.dispose())

function file(name: string, text: string): string {
  const path = join(cli.dir, name)
  writeFileSync(path, text)
  return path
}

async function status(): Promise<Record<string, unknown>> {
  return JSON.parse((await cli.run(['status', '--json'])).out) as Record<string, unknown>
}

async function auditEntries(): Promise<number> {
  return (JSON.parse((await cli.run(['audit', '--limit', '500', '--json'])).out) as unknown[]).length
}

describe('twofa-admin users (bulk)', () => {
  it('enforces by --status with a dry run first, then for real, with one audit entry per changed user', async () => {
    const before = await auditEntries()
    const dry = await cli.run(['users', 'enforce', '--status', 'inactive', '--dry-run'])
    expect(dry).toMatchObject({
      code: 0,
      err: '',
      out: 'Dry run: 3 users will have to activate 2FA at their next login. Nothing was changed.\n'
    })
    expect(await status()).toMatchObject({ pending: 1, inactive: 3 })
    const done = await cli.run(['users', 'enforce', '--status', 'inactive', '--json'])
    expect(done.code, done.err).toBe(0)
    expect(JSON.parse(done.out)).toMatchObject({ dryRun: false, action: 'enforce', selected: 3, willChange: 3, willHaveToActivate: 3, administratorsUnchanged: 0 })
    expect(await status()).toMatchObject({ pending: 4, inactive: 0 })
    expect((await auditEntries()) - before).toBe(3)
    // Everyone is pending now, the administrator (always enforced) among them.
    expect((await cli.run(['users', 'enforce', '--status', 'pending'])).out).toBe(
      'Nothing will change; 1 administrator is always enforced and unchanged; 3 users already enforced individually are unchanged.\n'.replace('will change', 'changed')
    )
    const verify = await cli.run(['audit', '--verify'])
    expect(verify.code, verify.out).toBe(0)
  })

  it('takes a file of emails: comments and blank lines ignored', async () => {
    const list = file('wave1.txt', '# wave 1\nana@example.com\n\n  BEN@example.com  # the lead\n')
    const run = await cli.run(['users', 'exempt', '--emails-file', list])
    expect(run).toMatchObject({ code: 0, out: '2 users were exempted from 2FA enforcement.\n' })
    const inherit = await cli.run(['users', 'inherit', '--emails-file', list, '--json'])
    expect(JSON.parse(inherit.out)).toMatchObject({ willChange: 2 })
    expect((await cli.run(['users', 'unlock', '--status', 'inactive'])).out).toBe('Nothing changed; 3 users not locked are unchanged.\n')
  })

  it('an unknown email, a bad line or a wrong flag changes nothing and exits non-zero', async () => {
    const before = await auditEntries()
    const unknown = await cli.run(['users', 'enforce', '--emails-file', file('a.txt', 'ana@example.com\nnobody@example.com\n')])
    expect(unknown.code).toBe(1)
    expect(unknown.err).toBe('twofa-admin: No user has the email nobody@example.com: nothing was changed.\n')
    const bad = await cli.run(['users', 'enforce', '--emails-file', file('b.txt', 'ana@example.com\nnot an email\n')])
    expect(bad.code).toBe(2)
    expect(bad.err).toContain('line 2: "not an email" is not an email address. Nothing was changed.')
    expect((await cli.run(['users', 'enforce', '--emails-file', file('c.txt', '# nothing\n\n')])).code).toBe(2)
    expect((await cli.run(['users', 'enforce', '--emails-file', join(cli.dir, 'missing.txt')])).code).toBe(2)
    expect((await cli.run(['users', 'enforce', '--status', 'everyone'])).err).toContain('--status takes active, pending, overdue, inactive')
    expect((await cli.run(['users', 'enforce'])).code).toBe(2)
    expect((await cli.run(['users', 'enforce', '--status', 'active', '--emails-file', 'x'])).code).toBe(2)
    expect((await cli.run(['users', 'delete', '--status', 'active'])).code).toBe(2)
    expect((await cli.run(['users', 'enforce', '--status', 'active', '--grace-days', '3'])).code).toBe(2)
    expect(await auditEntries()).toBe(before)
    expect(await status()).toMatchObject({ pending: 1, inactive: 3 })
  })
})
