// The smaller attacks of issue 9: weak passwords on every path that sets one,
// a database path that is a symbolic link, a key file others can read or own.
import { chmodSync, existsSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { assertPrivateFile } from '../../../src/main/db/file-safety'
import { keyFilePath } from '../../../src/main/core/crypto/keys'
import { CliSandbox } from '../helpers/cli'
import { addUser, PASSWORD, setUpAdmin, TestEnv } from '../helpers/harness'

const WEAK = ['aaaaaaaaaaaa', 'password1234', 'qwertyuiop123', 'elevenchars']

describe('passwords', () => {
  let env: TestEnv
  beforeEach(() => {
    env = new TestEnv()
  })
  afterEach(() => env.dispose())

  it('are refused when short, common or the user’s own email, on every path that sets one', async () => {
    const first = env.screen()
    for (const password of [...WEAK, 'ada@example.com']) {
      const refused = await first.fail('setupFirstAdmin', { name: 'Ada', email: 'ada@example.com', password })
      expect(['WEAK_PASSWORD', 'VALIDATION'], password).toContain(refused.code)
      expect(refused.field, password).toBe('password')
    }
    const { screen: admin } = await setUpAdmin(env)
    for (const password of [...WEAK, 'maria@example.com']) {
      expect((await admin.fail('createUser', { name: 'Maria', email: 'maria@example.com', role: 'user', password })).field, password).toBe('password')
    }
    await addUser(env, 'tom@example.com')
    const tom = env.screen()
    await tom.ok('login', { email: 'tom@example.com', password: PASSWORD })
    for (const password of [...WEAK, 'tom@example.com']) {
      expect((await tom.fail('changePassword', { currentPassword: PASSWORD, newPassword: password })).field, password).toBe('newPassword')
    }
    // A refused new password costs no guess of the current one.
    expect((env.db.prepare("SELECT failed_attempts FROM users WHERE email = 'tom@example.com'").pluck().get() as number)).toBe(0)
  })
})

describe('the files the directory trusts', () => {
  let dir: string
  let sandbox: CliSandbox
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'twofa-files-'))
    sandbox = new CliSandbox('twofa-files-')
  })
  afterEach(() => {
    sandbox.dispose()
    rmSync(dir, { recursive: true, force: true })
  })

  it('a database path that is a symbolic link is refused, and nothing is created where it points', async () => {
    const target = join(dir, 'elsewhere.db')
    const link = join(dir, 'directory.db')
    symlinkSync(target, link)
    const result = await sandbox.run(['--db', link, 'init'])
    expect(result.code).toBe(1)
    expect(result.err).toMatch(/is a symbolic link\. Pass the real file instead/)
    expect(existsSync(target)).toBe(false)
  })

  it('a key file others can read is refused with how to fix it; a linked one too', async () => {
    expect((await sandbox.run(['init'])).code).toBe(0)
    const key = keyFilePath(sandbox.db)
    chmodSync(key, 0o644)
    const readable = await sandbox.run(['status'])
    expect(readable.code).toBe(0)
    // status needs no secret; anything that uses the key refuses it.
    const add = await sandbox.run(['user', 'add', '--name', 'Ada', '--email', 'ada@example.com', '--role', 'admin', '--password-stdin'], 'a long admin password')
    expect(add.code).toBe(1)
    expect(add.err).toMatch(new RegExp(`can be read by other users \\(mode 644\\)\\. Run: chmod 600 ${key.replace(/[.]/g, '\\.')}`))
    chmodSync(key, 0o600)
    const elsewhere = join(dir, 'someone-elses.key')
    writeFileSync(elsewhere, 'x', { mode: 0o600 })
    rmSync(key)
    symlinkSync(elsewhere, key)
    const linked = await sandbox.run(['user', 'add', '--name', 'Ada', '--email', 'ada@example.com', '--role', 'admin', '--password-stdin'], 'a long admin password')
    expect(linked.err).toMatch(/is a symbolic link/)
  })

  it('a key file owned by another user is refused', () => {
    const key = join(dir, 'x.key')
    writeFileSync(key, 'x', { mode: 0o600 })
    expect(() => assertPrivateFile(key, 'The secrets key file', { platform: 'linux', uid: 424242 })).toThrow(/belongs to another user/)
    expect(() => assertPrivateFile(key, 'The secrets key file')).not.toThrow()
  })
})
