// CSV import (issue 10, part 1): every shape of file an admin's spreadsheet
// produces is read, every problem is reported with its line, and any problem
// (or a dry run) changes nothing at all: not one user, not one audit entry.
import { writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import type { ImportResult } from '../../../src/shared/contract'
import { addUser, setUpAdmin, TestEnv } from '../helpers/harness'

let env: TestEnv
beforeEach(() => {
  env = new TestEnv()
})
afterEach(() => env.dispose())

/** What the directory holds: every user's importable fields, and the audit log's length. */
function snapshot(): { users: unknown[]; audit: number } {
  const users = env.db.prepare('SELECT email, name, role, enforcement, disabled, source, password_hash IS NULL AS nopw FROM users ORDER BY id').all()
  const audit = (env.db.prepare('SELECT count(*) AS n FROM audit_log').get() as { n: number }).n
  return { users, audit }
}

async function importFile(text: string | Buffer, options: { dryRun?: boolean; ignoreUnknownColumns?: boolean } = {}): Promise<ImportResult> {
  const path = join(env.dir, `import-${Math.random().toString(36).slice(2)}.csv`)
  writeFileSync(path, text)
  return env.core.local.importUsersFromFile(path, { dryRun: options.dryRun ?? false, ignoreUnknownColumns: options.ignoreUnknownColumns ?? false })
}

const user = (email: string) => env.db.prepare('SELECT * FROM users WHERE email = ?').get(email) as Record<string, unknown> | undefined

describe('reading the file', () => {
  it('reads a BOM, semicolons, CRLF, and quoted fields with separators, quotes and line breaks', async () => {
    const text = '\uFEFFEmail;NAME;Role;Notes\r\n"maria@example.com";"Maria; ""Mia"" Rossi";admin;\r\n\r\nli@example.com;Li Wei;user;"two\r\nlines; one field"\r\nbad;X;user;\r\n'
    const result = await importFile(Buffer.from(text, 'utf8'), { ignoreUnknownColumns: true })
    // The row after the quoted line break is numbered as the file shows it.
    expect(result.errors).toEqual([{ line: 6, email: 'bad', message: expect.stringMatching(/Enter an email address/) }])
    expect(result).toMatchObject({ applied: false, created: 2, rows: 3 })
    const fixed = await importFile(Buffer.from(text.replace('bad;X;user;\r\n', ''), 'utf8'), { ignoreUnknownColumns: true })
    expect(fixed).toMatchObject({ applied: true, created: 2, updated: 0, unchanged: 0, rows: 2, errors: [] })
    expect(user('maria@example.com')).toMatchObject({ name: 'Maria; "Mia" Rossi', role: 'admin', source: 'csv', password_hash: null })
    expect(user('li@example.com')).toMatchObject({ name: 'Li Wei', role: 'user' })
  })

  it('refuses a line break or a control character in a name, as the form does', async () => {
    const result = await importFile('email,name\nli@example.com,"Li\nWei"\n')
    expect(result.errors).toEqual([{ line: 2, email: 'li@example.com', message: 'A name cannot contain control or text-direction characters.' }])
  })

  it('reads commas with quoted commas, columns in any order, and defaults for missing columns', async () => {
    const result = await importFile('name,email\n"Rossi, Maria",maria@example.com\n,li@example.com\n')
    expect(result.errors).toEqual([])
    expect(user('maria@example.com')).toMatchObject({ name: 'Rossi, Maria', role: 'user', enforcement: 'inherit', disabled: 0 })
    // No name: the part before the @, which people recognise.
    expect(user('li@example.com')).toMatchObject({ name: 'li' })
  })

  it('numbers lines as the file does: blank lines and line breaks inside quotes count', async () => {
    const result = await importFile('email,notes\n\nok@example.com,"two\nlines"\nnot-an-email,X\n', { ignoreUnknownColumns: true })
    expect(result.errors).toEqual([{ line: 5, email: 'not-an-email', message: expect.stringMatching(/"not-an-email": Enter an email address/) }])
  })

  it('refuses a file that is not UTF-8, a broken quote, an empty file, a missing or unknown column, with the line', async () => {
    const cases: [string | Buffer, RegExp, number][] = [
      [Buffer.from([0x65, 0x6d, 0x61, 0x69, 0x6c, 0x0a, 0x6d, 0xe4, 0x40, 0x78, 0x2e, 0x64, 0x65, 0x0a]), /not UTF-8/, 0],
      ['email,name\nmaria@example.com,"Maria\n', /^A quoted field is never closed/, 2],
      ['email,name\nmaria@example.com,Ma"ria\nx@example.com,"a"b\n', /quote/, 3],
      ['', /The file is empty/, 1],
      ['name,role\nMaria,user\n', /no "email" column/, 1],
      ['email,name,phone\nmaria@example.com,Maria,123\n', /^Unknown column "phone"/, 1],
      ['email,email\nmaria@example.com,x@example.com\n', /appears twice/, 1]
    ]
    for (const [text, message, line] of cases) {
      const before = snapshot()
      const result = await importFile(text)
      expect(result.applied, String(text)).toBe(false)
      expect(result.errors[0]?.message).toMatch(message)
      if (line > 0) expect(result.errors[0]?.line).toBeGreaterThanOrEqual(line - 1)
      expect(snapshot()).toEqual(before)
    }
  })

  it('ignores unknown columns when asked', async () => {
    const result = await importFile('email,phone,name\nmaria@example.com,123,Maria\n', { ignoreUnknownColumns: true })
    expect(result.errors).toEqual([])
    expect(user('maria@example.com')).toMatchObject({ name: 'Maria' })
  })
})

describe('all rows or none', () => {
  it('lists every problem with its line and changes nothing: bad email, role, enforce, disabled, field count, duplicate in any case', async () => {
    await addUser(env, 'kept@example.com')
    const before = snapshot()
    const text = [
      'email,name,role,enforce,disabled',
      'good@example.com,Good,user,yes,no',
      'bad-email,Bad,user,,',
      'r@example.com,R,root,,',
      'e@example.com,E,user,always,',
      'd@example.com,D,user,,maybe',
      'short@example.com,Short',
      'Good@Example.com,Again,user,,',
      'kept@example.com,Kept Renamed,,,'
    ].join('\n')
    const result = await importFile(text)
    expect(result.applied).toBe(false)
    expect(result.errors.map((problem) => [problem.line, problem.email])).toEqual([
      [3, 'bad-email'],
      [4, 'r@example.com'],
      [5, 'e@example.com'],
      [6, 'd@example.com'],
      [7, 'short@example.com'],
      [8, 'good@example.com']
    ])
    expect(result.errors[1]?.message).toMatch(/Role is "root": use admin or user/)
    expect(result.errors[2]?.message).toMatch(/Enforce is "always"/)
    expect(result.errors[3]?.message).toMatch(/Disabled is "maybe": use yes or no/)
    expect(result.errors[4]?.message).toMatch(/2 fields where the header has 5/)
    expect(result.errors[5]?.message).toMatch(/also on line 2/)
    expect(result.errorsTotal).toBe(6)
    expect(snapshot()).toEqual(before)
  })

  it('applies the last-admin rule row by row: demoting both administrators refuses the second and changes nothing', async () => {
    await setUpAdmin(env)
    await addUser(env, 'second@example.com', 'admin')
    const before = snapshot()
    const result = await importFile('email,role\nadmin@example.com,user\nsecond@example.com,user\n')
    expect(result.applied).toBe(false)
    expect(result.errors).toEqual([{ line: 3, email: 'second@example.com', message: expect.stringMatching(/last active administrator/) }])
    expect(snapshot()).toEqual(before)
    // One of them alone is fine.
    expect((await importFile('email,role\nadmin@example.com,user\n')).applied).toBe(true)
    expect(user('admin@example.com')).toMatchObject({ role: 'user' })
  })

  it('keeps administrators enforced: exempting one is refused, as in a single change', async () => {
    await setUpAdmin(env)
    await addUser(env, 'boss@example.com', 'admin')
    const result = await importFile('email,role,enforce\nboss@example.com,,no\nnew@example.com,admin,no\n')
    expect(result.errors.map((problem) => problem.line)).toEqual([2, 3])
    expect(result.errors[0]?.message).toMatch(/always enforced for administrators/)
    // Demoted in the same row, the exemption is allowed.
    expect((await importFile('email,role,enforce\nboss@example.com,user,no\n')).errors).toEqual([])
  })

  it('a dry run says what the import does, exactly, and changes nothing', async () => {
    await addUser(env, 'maria@example.com')
    const text = 'email,name,enforce\nMARIA@example.com,Maria Rossi,yes\nnew@example.com,New,\nmaria2@example.com,,no\n'
    const before = snapshot()
    const dry = await importFile(text, { dryRun: true })
    expect(snapshot()).toEqual(before)
    expect(dry).toMatchObject({ applied: false, dryRun: true, created: 2, updated: 1, unchanged: 0, errors: [] })
    expect(dry.changes[0]).toEqual({
      line: 2,
      email: 'maria@example.com',
      kind: 'update',
      fields: { name: { from: 'maria', to: 'Maria Rossi' }, enforcement: { from: 'inherit', to: 'enforced' } }
    })
    const real = await importFile(text)
    expect({ ...real, applied: undefined, dryRun: undefined }).toEqual({ ...dry, applied: undefined, dryRun: undefined })
    expect(real.applied).toBe(true)
    // Run again: nothing left to change.
    expect(await importFile(text)).toMatchObject({ created: 0, updated: 0, unchanged: 3 })
  })
})

describe('what an import changes', () => {
  it('matches emails in any case, updates name, role, enforcement and disabled, deletes nobody, and audits each changed user once plus the import', async () => {
    await addUser(env, 'maria@example.com')
    await addUser(env, 'li@example.com')
    await addUser(env, 'untouched@example.com')
    const auditBefore = snapshot().audit
    const result = await importFile('email,name,role,enforce,disabled\nMaria@Example.COM,Maria R,admin,yes,no\nli@example.com,,,inherit,yes\nnew@example.com,New,user,no,\n')
    expect(result).toMatchObject({ applied: true, created: 1, updated: 2, unchanged: 0 })
    expect(user('maria@example.com')).toMatchObject({ name: 'Maria R', role: 'admin', enforcement: 'enforced', disabled: 0, source: 'local' })
    expect(user('li@example.com')).toMatchObject({ name: 'li', disabled: 1 })
    expect(user('new@example.com')).toMatchObject({ enforcement: 'exempt', source: 'csv' })
    expect(user('untouched@example.com')).toBeDefined()
    const entries = env.db.prepare('SELECT action, target, details FROM audit_log WHERE id > ? ORDER BY id').all(auditBefore) as { action: string; target: string | null; details: string }[]
    expect(entries.map((entry) => [entry.action, entry.target])).toEqual([
      ['user.updated', 'maria@example.com'],
      ['user.updated', 'li@example.com'],
      ['user.created', 'new@example.com'],
      ['users.imported', null]
    ])
    expect(JSON.parse(entries[3]?.details ?? '{}')).toEqual({ rows: 3, created: 1, updated: 2, unchanged: 0 })
    // The chain still verifies with the import's entries in it.
    expect((await env.cli('getAuditChainStatus')).broken).toBeNull()
  })

  it('shows imported users as having no password yet, until an administrator sets one', async () => {
    const { screen } = await setUpAdmin(env)
    await importFile('email,name\nnew@example.com,New Person\n')
    const id = env.core.local.findUserIdByEmail('new@example.com')
    expect(await screen.ok('getUser', { userId: id })).toMatchObject({ hasPassword: false, source: 'csv', directoryDn: null })
    // Nobody signs in without a password.
    expect((await env.screen().fail('login', { email: 'new@example.com', password: 'anything at all 123' })).code).toBe('INVALID_CREDENTIALS')
    expect(await screen.ok('setUserPassword', { userId: id, password: 'a brand new passphrase 42' })).toMatchObject({ hasPassword: true })
    expect((await env.screen().call('login', { email: 'new@example.com', password: 'a brand new passphrase 42' })).ok).toBe(true)
  })
})
