// A directory with 80 days behind it, for the screenshots of the 2FA trend
// (history-shots.mjs bundles and runs this): the real core on a clock that
// walks day by day, so every point, enforcement change and deadline is one the
// app itself recorded (and the audit chain holds). New hires arrive, people
// activate 2FA, slowly at first; enforcement for all users with three weeks to
// activate; a group of contractors enforced with a deadline still ahead.
// Prints the administrator's email, password and TOTP secret as JSON.
import { CLI_CALLER, type Caller } from '../../src/main/core/caller'
import { ManualClock } from '../../src/main/core/clock'
import { fileKeyProvider } from '../../src/main/core/crypto/keys'
import { base32Decode, codeAt } from '../../src/main/core/crypto/totp'
import { recordDistributionPoint } from '../../src/main/core/history/recorder'
import { contextOf, openCore, type Core } from '../../src/main/core/open-core'
import type { ApiInput, ApiMethod, ApiOutput } from '../../src/shared/contract'

const DAY_MS = 86_400_000
const DAYS = 80
const PASSWORD = 'demo password 2026'
const FIRST = ['Amara', 'Ben', 'Carla', 'Dev', 'Elif', 'Felix', 'Greta', 'Hugo', 'Ines', 'Jamal', 'Kaito', 'Lena', 'Mateo', 'Nora', 'Omar', 'Pia', 'Quentin', 'Rosa', 'Sven', 'Tara']
const LAST = ['Okafor', 'Nguyen', 'Schmidt', 'Rossi', 'Kowalski', 'Haddad', 'Silva', 'Tanaka', 'Dubois', 'Larsen']

const dbPath = process.argv[2]
if (!dbPath) throw new Error('Usage: history-fixture DB')

// Ten in the morning, DAYS days ago: the clock then walks one day at a time to today.
const today = Math.floor(Date.now() / DAY_MS) * DAY_MS
const clock = new ManualClock(today - DAYS * DAY_MS + 10 * 3600_000)
const core: Core = openCore({ dbPath, keyProvider: fileKeyProvider(dbPath), clock, passwordKdf: { N: 2 ** 14, r: 8, p: 1 }, passwordThreads: 0 })

async function call<M extends ApiMethod>(caller: Caller, method: M, input: ApiInput<M>): Promise<ApiOutput<M>> {
  const result = await core.dispatch(method, caller, input)
  if (!result.ok) throw new Error(`${method}: ${result.error.message}`)
  return result.value
}

const people: { name: string; email: string }[] = []
let hired = 0
async function hire(count: number): Promise<void> {
  for (let i = 0; i < count; i++, hired++) {
    const first = FIRST[hired % FIRST.length]!
    const last = LAST[Math.floor(hired / FIRST.length) % LAST.length]!
    const person = { name: `${first} ${last}`, email: `${first}.${last}@example.com`.toLowerCase() }
    await call(CLI_CALLER, 'createUser', { ...person, role: 'user', password: PASSWORD })
    people.push(person)
  }
}

/** Signs in as the person and activates 2FA with an authenticator, as they would; returns the secret. */
async function activate(email: string): Promise<string> {
  const caller: Caller = { kind: 'session', holder: { sessionId: null } }
  await call(caller, 'login', { email, password: PASSWORD })
  const start = await call(caller, 'startEnrollment', {})
  const secret = new URL(start.otpauthUri).searchParams.get('secret') ?? ''
  await call(caller, 'confirmEnrollment', { code: codeAt(base32Decode(secret), clock.now()) })
  await call(caller, 'logout', {})
  clock.advance(60_000)
  return secret
}

let waiting: string[] = []
async function activateSome(count: number): Promise<void> {
  for (const email of waiting.splice(0, count)) await activate(email)
}

async function main(): Promise<void> {
  await call(CLI_CALLER, 'createUser', { name: 'Ada Lovelace', email: 'ada@example.com', role: 'admin', password: PASSWORD })
  const adminSecret = await activate('ada@example.com')
  await hire(26)
  waiting = people.map((person) => person.email)
  // Two who never have to: a shared front-desk account and a kiosk.
  const exempt = waiting.splice(5, 2)
  for (const email of exempt) {
    const user = core.local.findUserIdByEmail(email)
    await call(CLI_CALLER, 'setEnforcement', { userId: user, enforcement: 'exempt' })
  }
  await activateSome(3)
  let contractors: number | null = null
  for (let day = 0; day < DAYS; day++) {
    // Ten in the morning of the next day.
    if (day > 0) clock.set((Math.floor(clock.now() / DAY_MS) + 1) * DAY_MS + 10 * 3600_000)
    if (day % 9 === 4) {
      await hire(2)
      waiting.push(...people.slice(-2).map((person) => person.email))
    }
    if (day < 26 && day % 5 === 2) await activateSome(1)
    // Enforcement for all users, three weeks to activate.
    if (day === 26) await call(CLI_CALLER, 'enforceForAllUsers', { graceDays: 21 })
    if (day > 26 && day <= 47) await activateSome(day % 3 === 0 ? 1 : 2)
    if (day > 47 && day % 4 === 0) await activateSome(1)
    if (day === 62) {
      // Contractors join, in a group of their own, with a month to activate.
      await hire(6)
      const emails = people.slice(-6).map((person) => person.email)
      const group = await call(CLI_CALLER, 'createGroup', { name: 'Contractors' })
      contractors = group.id
      await call(CLI_CALLER, 'addGroupMembers', { groupId: group.id, emails })
      await call(CLI_CALLER, 'enforceGroup', { groupId: group.id, graceDays: 24 })
      waiting.push(...emails)
    }
    if (contractors !== null && day > 64 && day % 3 === 0) await activateSome(1)
    recordDistributionPoint(contextOf(core), clock.now())
  }
  process.stdout.write(`${JSON.stringify({ email: 'ada@example.com', password: PASSWORD, secret: adminSecret })}\n`)
}

main()
  .finally(() => core.close())
  .catch((error: unknown) => {
    console.error(`history fixture: ${(error as Error).stack ?? String(error)}`)
    process.exit(1)
  })
