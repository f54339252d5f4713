// The attacks of issue 9 on the file: a backup with a trigger that makes an
// attacker admin, a backup whose log was rewritten to hide a promotion, the
// newest entries of the log deleted. Each restored or passed unnoticed before.
import { existsSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import BetterSqlite3 from 'better-sqlite3'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { entryHash } from '../../../src/main/core/audit/chain'
import { anchorPath } from '../../../src/main/core/audit/anchor'
import { CliSandbox } from '../helpers/cli'
import { addUser, setUpAdmin, TestEnv } from '../helpers/harness'

let env: TestEnv
let sandbox: CliSandbox
beforeEach(() => {
  env = new TestEnv()
  sandbox = new CliSandbox('twofa-tamper-')
})
afterEach(() => {
  sandbox.dispose()
  env.dispose()
})

/** A backup of the test directory, changed by `edit` as an attacker with the file (and without the key) would. */
async function forgedBackup(name: string, edit: (raw: BetterSqlite3.Database) => void): Promise<string> {
  const file = join(env.dir, name)
  await env.core.local.backup(file)
  const raw = new BetterSqlite3(file)
  try {
    edit(raw)
  } finally {
    raw.close()
  }
  return file
}

async function restoreWithCli(file: string): Promise<{ code: number; err: string }> {
  env.core.close()
  const result = await sandbox.run(['--db', env.dbPath, 'restore', file])
  env.reopen()
  return result
}

const BACKDOOR = "CREATE TRIGGER promote_on_failure AFTER INSERT ON audit_log BEGIN UPDATE users SET role = 'admin' WHERE email = 'eve@example.com'; END"

describe('a tampered backup', () => {
  it('with a trigger that promotes an attacker after a failed sign-in is refused, saying what was found', async () => {
    await setUpAdmin(env)
    await addUser(env, 'eve@example.com')
    const file = await forgedBackup('backdoor.db', (raw) => raw.exec(BACKDOOR))
    const result = await restoreWithCli(file)
    expect(result.code).toBe(1)
    expect(result.err).toMatch(/an extra trigger "promote_on_failure"/)
    // Nothing was replaced: eve cannot become admin by a failed sign-in.
    await env.screen().call('login', { email: 'eve@example.com', password: 'wrong' })
    expect((await env.cli('getUser', { userId: 2 })).role).toBe('user')
  })

  it('whose log was rewritten to hide a promotion is refused: the chain cannot be recomputed without the key', async () => {
    await setUpAdmin(env)
    const eveId = await addUser(env, 'eve@example.com')
    await env.cli('setEnforcement', { userId: eveId, enforcement: 'exempt' })
    const file = await forgedBackup('rewritten.db', (raw) => {
      raw.prepare("UPDATE users SET role = 'admin' WHERE email = 'eve@example.com'").run()
      // Drop the entries about eve and chain the rest again, as well as one can without the key.
      raw.prepare("DELETE FROM audit_log WHERE target = 'eve@example.com'").run()
      const rows = raw.prepare('SELECT * FROM audit_log ORDER BY id').all() as { id: number; at: number; actor: string; action: string; target: string | null; details: string }[]
      raw.prepare('DELETE FROM audit_log').run()
      let prev = '0'.repeat(64)
      rows.forEach((row, index) => {
        const entry = { ...row, id: index + 1 }
        const hash = entryHash(prev, entry as never)
        raw.prepare('INSERT INTO audit_log (id, at, actor, action, target, details, prev_hash, hash) VALUES (?, ?, ?, ?, ?, ?, ?, ?)').run(entry.id, entry.at, entry.actor, entry.action, entry.target, entry.details, prev, hash)
        prev = hash
      })
    })
    const result = await restoreWithCli(file)
    expect(result.code).toBe(1)
    expect(result.err).toMatch(/audit log in the backup .* does not verify/)
  })
})

describe('a tampered live database', () => {
  it('with an extra trigger is refused at open, by every command, with what was found', async () => {
    await setUpAdmin(env)
    env.core.close()
    const raw = new BetterSqlite3(env.dbPath)
    raw.exec(BACKDOOR)
    raw.close()
    const result = await sandbox.run(['--db', env.dbPath, 'status'])
    expect(result.code).toBe(1)
    expect(result.err).toMatch(/an extra trigger "promote_on_failure".*changed outside the app/)
    expect(() => env.reopen()).toThrow(expect.objectContaining({ code: 'DATABASE_TAMPERED' }))
    // A changed index is found too (the test needs a core again: put the schema back).
    const fix = new BetterSqlite3(env.dbPath)
    fix.exec('DROP TRIGGER promote_on_failure; DROP INDEX audit_by_action; CREATE INDEX audit_by_action ON audit_log (action)')
    fix.close()
    expect(() => env.reopen()).toThrow(/a changed index "audit_by_action"/)
    const back = new BetterSqlite3(env.dbPath)
    back.exec('DROP INDEX audit_by_action; CREATE INDEX audit_by_action ON audit_log (action, id)')
    back.close()
    env.reopen()
  })

  it('whose newest audit entries were deleted is found out, by a look and by audit --verify', async () => {
    await setUpAdmin(env)
    await addUser(env, 'maria@example.com')
    const before = await env.cli('getAuditChainStatus')
    expect(before.broken).toBeNull()
    env.db.prepare('DELETE FROM audit_log WHERE id > ?').run(before.entries - 2)
    env.db.prepare('UPDATE audit_verification SET verified_through = ?, verified_hash = (SELECT hash FROM audit_log WHERE id = ?)').run(before.entries - 2, before.entries - 2)
    expect((await env.cli('getAuditChainStatus')).broken?.reason).toBe(`Entries ${before.entries - 1} to ${before.entries}, the newest, were deleted.`)
    const verify = await sandbox.run(['--db', env.dbPath, 'audit', '--verify'])
    expect(verify.code).toBe(1)
    expect(verify.out).toMatch(/BROKEN at entry \d+: Entries \d+ to \d+, the newest, were deleted/)
  })

  it('whose anchor was forged is found out; a missing anchor is written anew, and the log says so', async () => {
    await setUpAdmin(env)
    const path = anchorPath(env.dbPath)
    expect(existsSync(path)).toBe(true)
    const anchor = JSON.parse(readFileSync(path, 'utf8')) as { id: number }
    writeFileSync(path, JSON.stringify({ ...anchor, id: anchor.id - 1 }))
    expect((await env.cli('getAuditChainStatus')).broken?.reason).toMatch(/audit anchor .* was changed/)

    const other = new TestEnv()
    try {
      await setUpAdmin(other)
      const otherPath = anchorPath(other.dbPath)
      rmSync(otherPath)
      const status = await other.cli('getAuditChainStatus')
      expect(status.broken).toBeNull()
      expect((await other.cli('listAudit', { action: 'audit.anchor-created' })).entries).toHaveLength(1)
      expect(existsSync(otherPath)).toBe(true)
    } finally {
      other.dispose()
    }
  })
})
