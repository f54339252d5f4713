// twofa-admin export users|audit (issue 10, exports): the report equals what
// `user list --json` says, fields a spreadsheet would run are neutralised, a
// file appears only once complete and never replaces another, and the audit
// copy carries every link, so that it can be checked away from the database.
import { spawn } from 'node:child_process'
import { existsSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs'
import { join, resolve } from 'node:path'
import BetterSqlite3 from 'better-sqlite3'
import { parse } from 'csv-parse/sync'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { chainKeyOf, entryHash, entryMac, keyedFrom } from '../../../src/main/core/audit/chain'
import { fileKeyProvider } from '../../../src/main/core/crypto/keys'
import { databaseOf, openCore } from '../../../src/main/core/open-core'
import { USER_EXPORT_COLUMNS } from '../../../src/main/core/export/columns'
import { CliSandbox } from '../helpers/cli'

const ROOT = resolve(__dirname, '..', '..', '..')
let sandbox: CliSandbox
beforeEach(async () => {
  sandbox = new CliSandbox('twofa-export-')
  expect((await sandbox.run(['init'])).code).toBe(0)
})
afterEach(() => sandbox.dispose())

const cli = (args: string[], stdin: string | null = null) => sandbox.run(args, stdin)

async function addUser(name: string, email: string): Promise<void> {
  expect((await cli(['user', 'add', `--name=${name}`, '--email', email, '--password-stdin'], 'a long enough password 2026')).err).toBe('')
}

describe('twofa-admin export users', () => {
  it('says for every user what user list --json says, in CSV and in JSON, with the status filter', async () => {
    expect((await cli(['seed-demo', '--users', '400'])).code).toBe(0)
    const listed = JSON.parse((await cli(['user', 'list', '--json'])).out) as Record<string, unknown>[]
    const json = JSON.parse((await cli(['export', 'users', '--format', 'json'])).out) as Record<string, unknown>[]
    const csv = parse((await cli(['export', 'users'])).out, { columns: true }) as Record<string, string>[]
    expect(listed).toHaveLength(400)
    expect(json).toHaveLength(400)
    expect(Object.keys(csv[0] ?? {})).toEqual([...USER_EXPORT_COLUMNS])
    for (const [i, user] of listed.entries()) {
      const exported = json[i] ?? {}
      for (const field of ['email', 'name', 'role', 'status', 'enforcement', 'locked', 'disabled']) expect(exported[field], `${String(user.email)} ${field}`).toEqual(user[field])
      // The CSV says the same as the JSON, as text (the demo names hold no formula characters).
      expect(csv[i]).toEqual(Object.fromEntries(Object.entries(exported).map(([key, value]) => [key, value === null ? '' : String(value)])))
      // Why a user is enforced agrees with the status the list shows.
      if (exported.status === 'pending') expect(['admin', 'individual', 'policy']).toContain(exported.enforced_by)
      if (exported.status === 'inactive') expect(['exempt', 'none']).toContain(exported.enforced_by)
      expect(exported.active_since === null).toBe(exported.status !== 'active')
    }
    const pending = JSON.parse((await cli(['export', 'users', '--format', 'json', '--status', 'pending'])).out) as { email: string }[]
    expect(pending.map((user) => user.email)).toEqual(listed.filter((user) => user.status === 'pending').map((user) => user.email))
  })

  it('neutralises fields a spreadsheet would run as a formula, and quotes commas, quotes and line ends', async () => {
    const names = ['=HYPERLINK("http://evil.example","Click")', '+1 555 Plus', '-Minus, "Quoted"', '@Sum(A1)', 'Plain Name']
    for (const [i, name] of names.entries()) await addUser(name, `user${i}@example.com`)
    const out = (await cli(['export', 'users'])).out
    expect(out).toContain(`"'=HYPERLINK(""http://evil.example"",""Click"")"`)
    const rows = parse(out, { columns: true }) as { email: string; name: string }[]
    expect(rows.map((row) => row.name)).toEqual(["'=HYPERLINK(\"http://evil.example\",\"Click\")", "'+1 555 Plus", '\'-Minus, "Quoted"', "'@Sum(A1)", 'Plain Name'])
    expect(out.split('\r\n')).toHaveLength(names.length + 2)
    // JSON keeps them as they are: it is not opened by a spreadsheet.
    const json = JSON.parse((await cli(['export', 'users', '--format', 'json'])).out) as { name: string }[]
    expect(json.map((user) => user.name)).toEqual(names)
  })

  it("writes each user's own source: local, or the import or sync that brought them", async () => {
    await addUser('Maria Garcia', 'maria@example.com')
    await addUser('Tom Jones', 'tom@example.com')
    const raw = new BetterSqlite3(sandbox.db)
    raw.prepare("UPDATE users SET source = 'ldap' WHERE email = 'tom@example.com'").run()
    raw.close()
    const json = JSON.parse((await cli(['export', 'users', '--format', 'json'])).out) as { email: string; source: string }[]
    expect(json.map((user) => [user.email, user.source])).toEqual([
      ['maria@example.com', 'local'],
      ['tom@example.com', 'ldap']
    ])
  })

  it('writes --out owner-only and never replaces a file, and refuses bad options changing nothing', async () => {
    await addUser('Maria Garcia', 'maria@example.com')
    const file = join(sandbox.dir, 'report.csv')
    expect(await cli(['export', 'users', '--out', file])).toMatchObject({ code: 0, out: '', err: '' })
    expect(statSync(file).mode & 0o777).toBe(0o600)
    expect(readFileSync(file, 'utf8')).toContain('maria@example.com,Maria Garcia,user,inactive')
    writeFileSync(file, 'keep me')
    const again = await cli(['export', 'users', '--out', file])
    expect(again.code).toBe(1)
    expect(again.err).toMatch(/already exists: choose another name/)
    expect(readFileSync(file, 'utf8')).toBe('keep me')
    expect((await cli(['export', 'users', '--format', 'xml'])).err).toMatch(/--format must be csv or json, not "xml"/)
    expect((await cli(['export', 'users', '--status', 'sleeping'])).code).toBe(2)
    expect((await cli(['export', 'audit', '--since', 'last week'])).err).toMatch(/--since takes a date/)
    expect((await cli(['export', 'audit', '--since', '2026-12-01T09:30:00'])).code).toBe(2)
    expect((await cli(['export', 'groups'])).err).toMatch(/Unknown export "groups": users or audit/)
    expect(readdirSync(sandbox.dir).filter((name) => name.includes('.partial-'))).toEqual([])
  })

  it('killed halfway leaves no file under the name asked for', async () => {
    expect((await cli(['seed-demo', '--users', '30000'])).code).toBe(0)
    const file = join(sandbox.dir, 'big.csv')
    const child = spawn(process.execPath, [join(ROOT, 'bin', 'twofa-admin.cjs'), '--db', sandbox.db, 'export', 'users', '--out', file], { stdio: 'ignore' })
    // Until the export has started writing its temporary file, then a little more.
    const started = Date.now()
    while (!readdirSync(sandbox.dir).some((name) => name.startsWith('.big.csv.partial-')) && Date.now() - started < 20_000) await new Promise((r) => setTimeout(r, 5))
    await new Promise((r) => setTimeout(r, 20))
    child.kill('SIGKILL')
    await new Promise((r) => child.once('exit', r))
    expect(existsSync(file)).toBe(false)
    expect(readdirSync(sandbox.dir).filter((name) => name.startsWith('.big.csv.partial-'))).toHaveLength(1)
    // A whole export afterwards still works, has every user, and clears what the killed one left.
    expect((await cli(['export', 'users', '--out', file])).code).toBe(0)
    expect(readFileSync(file, 'utf8').split('\r\n').length).toBe(30_000 + 2)
    expect(readdirSync(sandbox.dir).filter((name) => name.includes('.partial-'))).toEqual([])
  }, 60_000)
})

describe('twofa-admin export audit', () => {
  it('copies every entry with its link, oldest first, so that the chain can be checked away from the database', async () => {
    await addUser('Maria Garcia', 'maria@example.com')
    expect((await cli(['user', 'enforce', 'maria@example.com'])).code).toBe(0)
    expect((await cli(['enforce-all'])).code).toBe(0)
    interface Line {
      id: number
      time: string
      at: number
      actor: string
      action: string
      target: string | null
      details: string
      prev_hash: string
      hash: string
    }
    const lines = (await cli(['export', 'audit', '--format', 'jsonl'])).out.trimEnd().split('\n').map((line) => JSON.parse(line) as Line)
    expect(lines.map((entry) => entry.action)).toEqual(['user.created', 'enforcement.user-changed', 'enforcement.all-enforced'])
    // Offline: each link follows the one before, and with the chain key each is its own HMAC.
    const core = openCore({ dbPath: sandbox.db, keyProvider: fileKeyProvider(sandbox.db) })
    const from = keyedFrom(databaseOf(core))
    core.close()
    const key = chainKeyOf(fileKeyProvider(sandbox.db).getDataKey())
    let prev = '0'.repeat(64)
    for (const entry of lines) {
      expect(entry.prev_hash).toBe(prev)
      const record = { id: entry.id, at: entry.at, actor: entry.actor, action: entry.action as never, target: entry.target, details: entry.details }
      expect(from !== null && entry.id >= from ? entryMac(key, prev, record) : entryHash(prev, record)).toBe(entry.hash)
      expect(entry.time).toBe(new Date(entry.at).toISOString().replace(/\.\d{3}Z$/, 'Z'))
      prev = entry.hash
    }
    // CSV: the same entries, the same columns.
    const csv = parse((await cli(['export', 'audit'])).out, { columns: true }) as Record<string, string>[]
    expect(csv.map((row) => row.hash)).toEqual(lines.map((entry) => entry.hash))
    expect(csv[1]?.details).toBe(lines[1]?.details)
    // --since: the entries from that moment on.
    const since = new Date(lines[1]!.at).toISOString()
    const later = (await cli(['export', 'audit', '--format', 'jsonl', '--since', since])).out.trimEnd().split('\n')
    expect(later.map((line) => (JSON.parse(line) as { id: number }).id)).toEqual(lines.filter((entry) => entry.at >= lines[1]!.at).map((entry) => entry.id))
    expect((await cli(['export', 'audit', '--since', '2999-01-01'])).out).toBe('id,time,at,actor,action,target,details,prev_hash,hash\r\n')
  })
})
