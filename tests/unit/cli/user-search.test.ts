// twofa-admin user list --search TEXT (issue 14): the built command finds
// exactly the users the search rule names (a name or an email containing the
// text, ignoring ASCII case; 1-2 characters: starting with it), compared with
// an independent filter of `user list --json`; in the chosen order, every match
// once with no cap past 1,000; an exact count line; a clear line when nothing
// matches; a quiet stop when the reader goes away; status 2 for a bad call.
import { spawn } from 'node:child_process'
import { resolve } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { CliSandbox } from '../helpers/cli'

const ROOT = resolve(__dirname, '..', '..', '..')
const BIN = resolve(ROOT, 'bin', 'twofa-admin.cjs')

interface Run {
  code: number | null
  out: string
  err: string
}

interface Listed {
  email: string
  name: string
  role: string
  status: string
}

/** Runs the built twofa-admin (bin/twofa-admin.cjs) on the sandbox's database. */
function built(sandbox: CliSandbox, args: string[]): Promise<Run> {
  return new Promise((done, fail) => {
    const child = spawn(process.execPath, [BIN, ...args], { env: { ...process.env, TWOFA_ADMIN_DB: sandbox.db }, stdio: ['ignore', 'pipe', 'pipe'] })
    let out = ''
    let err = ''
    child.stdout.on('data', (chunk: Buffer) => (out += chunk.toString('utf8')))
    child.stderr.on('data', (chunk: Buffer) => (err += chunk.toString('utf8')))
    child.once('error', fail)
    child.once('close', (code) => done({ code, out, err }))
  })
}

async function listJson(sandbox: CliSandbox, args: string[]): Promise<Listed[]> {
  const run = await built(sandbox, ['user', 'list', ...args, '--json'])
  expect(run.err).toBe('')
  expect(run.code).toBe(0)
  return JSON.parse(run.out) as Listed[]
}

/** SQLite's lower(): ASCII letters only, so the rule is checked independently of the engine. */
const asciiLower = (text: string): string => text.replace(/[A-Z]/g, (letter) => letter.toLowerCase())

/** The search rule, written plainly: the users of `all` (kept in its order) that the text names. */
function matching(all: readonly Listed[], text: string): Listed[] {
  const term = asciiLower(text.trim())
  const prefix = [...term].length < 3
  const hit = (field: string): boolean => (prefix ? asciiLower(field).startsWith(term) : asciiLower(field).includes(term))
  return all.filter((user) => hit(user.name) || hit(user.email))
}

const emails = (users: readonly Listed[]): string[] => users.map((user) => user.email)

describe('twofa-admin user list --search on a few hundred users', () => {
  let sandbox: CliSandbox
  let all: Listed[]
  beforeAll(async () => {
    sandbox = new CliSandbox('twofa-search-')
    expect((await built(sandbox, ['seed-demo', '--users', '400'])).code).toBe(0)
    all = await listJson(sandbox, [])
    expect(all).toHaveLength(400)
  }, 60_000)
  afterAll(() => sandbox.dispose())

  it('finds exactly the user of a full email typed in capitals', async () => {
    // A user whose email is in no other name or email, so that exactly one matches.
    const alone = all.find((user) => matching(all, user.email).length === 1)
    expect(alone).toBeDefined()
    const found = await listJson(sandbox, ['--search', alone!.email.toUpperCase()])
    expect(emails(found)).toEqual([alone!.email])
  })

  it('finds exactly the users of a domain, with or without the @', async () => {
    const ofDomain = all.filter((user) => user.email.endsWith('@eu.example.com'))
    expect(ofDomain.length).toBeGreaterThan(10)
    const found = await listJson(sandbox, ['--search', '@EU.example.com'])
    expect(emails(found)).toEqual(emails(ofDomain))
    // Without the @, the domain is also the tail of longer ones (example.org is in lab.example.org).
    const org = await listJson(sandbox, ['--search', 'example.org'])
    expect(emails(org)).toEqual(emails(matching(all, 'example.org')))
    expect(new Set(org.map((user) => user.email.split('@')[1]))).toEqual(new Set(['example.org', 'lab.example.org']))
  })

  it('finds the start of a name or an email for one or two characters, anywhere for three or more', async () => {
    for (const text of ['m', 'Ma', 'mar', 'AN.', 'son@']) {
      const expected = matching(all, text)
      expect(expected.length, text).toBeGreaterThan(0)
      expect(emails(await listJson(sandbox, ['--search', text])), text).toEqual(emails(expected))
    }
  })

  it('combines the search with the status filter and orders by the chosen column', async () => {
    const pending = await listJson(sandbox, ['--status', 'pending'])
    expect(emails(await listJson(sandbox, ['--search', 'a', '--status', 'pending']))).toEqual(emails(matching(pending, 'a')))
    const expected = matching(all, 'ar')
    const descending = await listJson(sandbox, ['--search', 'ar', '--desc'])
    expect(emails(descending)).toEqual(emails(expected).reverse())
    const byName = await listJson(sandbox, ['--search', 'ar', '--sort', 'name'])
    expect(new Set(emails(byName))).toEqual(new Set(emails(expected)))
    expect(byName).toHaveLength(expected.length)
    // Ties in name are broken by id both ways: the other direction is the exact reverse.
    expect(emails(await listJson(sandbox, ['--search', 'ar', '--sort', 'name', '--desc']))).toEqual(emails(byName).reverse())
  })

  it('takes the role, the sort and the direction without a search too, and then prints no count', async () => {
    const admins = all.filter((user) => user.role === 'admin')
    expect(admins.length).toBeGreaterThan(0)
    expect(emails(await listJson(sandbox, ['--role', 'admin']))).toEqual(emails(admins))
    expect(emails(await listJson(sandbox, ['--desc']))).toEqual(emails(all).reverse())
    const table = await built(sandbox, ['user', 'list', '--sort', 'email', '--role', 'user'])
    const lines = table.out.trimEnd().split('\n')
    expect(lines.slice(1).map((line) => line.split(/ +/)[0])).toEqual(emails(all.filter((user) => user.role === 'user')))
  })

  it('prints the matches as a table ending with their exact number', async () => {
    const expected = matching(all, 'an')
    const run = await built(sandbox, ['user', 'list', '--search', 'an'])
    expect(run.code).toBe(0)
    const lines = run.out.trimEnd().split('\n')
    expect(lines[0]).toMatch(/^EMAIL +NAME +ROLE +2FA +ENFORCEMENT +LOCKED$/)
    expect(lines.slice(1, -1).map((line) => line.split(/ +/)[0])).toEqual(emails(expected))
    expect(lines.at(-1)).toBe(`${expected.length} users match "an".`)
  })

  it('says so clearly when nothing matches, with status 0', async () => {
    const run = await built(sandbox, ['user', 'list', '--search', 'nobody-zzq'])
    expect(run).toEqual({ code: 0, out: 'No users match "nobody-zzq".\n', err: '' })
    expect(await listJson(sandbox, ['--search', 'nobody-zzq'])).toEqual([])
  })

  it('refuses a blank or too long text, an unknown sort, role or flag with one line and status 2', async () => {
    const cases: [string[], RegExp][] = [
      [['--search', ''], /--search needs a text/],
      [['--search', '   '], /--search needs a text/],
      [['--search', 'a'.repeat(255)], /--search takes at most 254 characters/],
      [['--search', 'maria', '--sort', 'age'], /--sort must be one of name, email, role, status/],
      [['--search', 'maria', '--role', 'boss'], /--role must be admin or user/],
      [['--search'], /--search/],
      [['--search', 'maria', '--serch', 'x'], /--serch/],
      [['--search', 'maria', '--force'], /"user list" does not take --force/]
    ]
    for (const [args, message] of cases) {
      const run = await built(sandbox, ['user', 'list', ...args])
      expect(run.code, args.join(' ')).toBe(2)
      expect(run.out, args.join(' ')).toBe('')
      expect(run.err, args.join(' ')).toMatch(/^twofa-admin: [^\n]+\n$/)
      expect(run.err, args.join(' ')).toMatch(message)
    }
  }, 60_000)
})

describe('twofa-admin user list --search with more than a thousand matches', () => {
  let sandbox: CliSandbox
  let all: Listed[]
  beforeAll(async () => {
    sandbox = new CliSandbox('twofa-search-many-')
    expect((await built(sandbox, ['seed-demo', '--users', '2500'])).code).toBe(0)
    all = await listJson(sandbox, [])
    expect(all).toHaveLength(2500)
  }, 60_000)
  afterAll(() => sandbox.dispose())

  it('lists every match once, in order, with no cap, and counts them exactly', async () => {
    // Three of the six demo domains end in example.com: some 1,250 matches, not everyone.
    const expected = matching(all, 'EXAMPLE.com')
    expect(expected.length).toBeGreaterThan(1000)
    expect(expected.length).toBeLessThan(all.length)
    expect(emails(await listJson(sandbox, ['--search', 'EXAMPLE.com']))).toEqual(emails(expected))
    expect(emails(await listJson(sandbox, ['--search', 'example.com', '--desc']))).toEqual(emails(expected).reverse())
    const table = await built(sandbox, ['user', 'list', '--search', 'example.com'])
    const lines = table.out.trimEnd().split('\n')
    expect(lines).toHaveLength(expected.length + 2)
    expect(lines.at(-1)).toBe(`${expected.length.toLocaleString('en-US')} users match "example.com".`)
  }, 60_000)

  it('lists everyone a search names in the orders that sort every match', async () => {
    for (const sort of ['name', 'status']) {
      const found = await listJson(sandbox, ['--search', 'example', '--sort', sort])
      expect(found, sort).toHaveLength(2500)
      expect(new Set(emails(found)), sort).toEqual(new Set(emails(all)))
    }
    const prefix = matching(all, 'e')
    expect(emails(await listJson(sandbox, ['--search', 'e']))).toEqual(emails(prefix))
  }, 60_000)

  it('stops quietly with status 0 when the reader closes the pipe early (| head -1)', async () => {
    const child = spawn(process.execPath, [BIN, 'user', 'list', '--search', 'example'], {
      env: { ...process.env, TWOFA_ADMIN_DB: sandbox.db },
      stdio: ['ignore', 'pipe', 'pipe']
    })
    let stderr = ''
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString('utf8')))
    await new Promise<void>((readFirst) => child.stdout.once('data', () => readFirst()))
    child.stdout.destroy()
    const code = await new Promise<number | null>((exited) => child.once('exit', (exitCode) => exited(exitCode)))
    expect(stderr).toBe('')
    expect(code).toBe(0)
  }, 30_000)
})
