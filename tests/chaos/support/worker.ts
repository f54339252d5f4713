// A chaos worker: opens the real core on a database and writes through it as
// fast as it can, the way the CLI and the screens do (core.dispatch with the
// CLI caller or a signed-in session), until it is killed or has done its share.
// Run as `node worker.cjs '<json WorkerConfig>'` (bundled by ../global-setup.ts).
import QRCode from 'qrcode'
import type { Enforcement, Role } from '../../../src/shared/domain'
import { judgePassword } from '../../../src/shared/password-policy'
import type { ApiInput, ApiMethod, ApiOutput } from '../../../src/shared/contract'
import type { Result } from '../../../src/shared/errors'
import { appendAudit } from '../../../src/main/core/audit/chain'
import { CLI_CALLER, type Caller } from '../../../src/main/core/caller'
import { fileKeyProvider } from '../../../src/main/core/crypto/keys'
import { databaseOf, openCore, type Core } from '../../../src/main/core/open-core'
import { base32Decode, codeAt, DEFAULT_TOTP, newSecret, otpauthUri } from '../../../src/main/core/crypto/totp'
import { writeTransaction } from '../../../src/main/db/connection'
import { findUserById, setEnforcementOverride } from '../../../src/main/db/users-repo'
import { TARGET_PREFIX, WORKER_PASSWORD, type OperationName, type WorkerConfig, type WorkerReport } from './protocol'

/** Cheap scrypt: the point is the writes, not the hashing. */
const FAST_KDF = { N: 2 ** 10, r: 8, p: 1 }
const ENFORCEMENTS: Enforcement[] = ['inherit', 'enforced', 'exempt']

/** Refusals that a concurrent or repeated operation may meet by the rules; nothing else is acceptable. */
const EXPECTED: Partial<Record<OperationName, string[]>> = {
  enforce: ['ADMIN_ALWAYS_ENFORCED'],
  // Another process enrolled, reset or restarted the same user's enrollment meanwhile.
  enroll: ['ALREADY_ACTIVE', 'ENROLLMENT_EXPIRED', 'INVALID_CODE', 'UNAUTHENTICATED'],
  'failed-login': ['INVALID_CREDENTIALS']
}

class Refused extends Error {
  constructor(readonly code: string, message: string) {
    super(message)
  }
}

/** mulberry32: a small seeded generator, so a failing run can be repeated. */
function random(seed: number): () => number {
  let state = seed >>> 0
  return () => {
    state = (state + 0x6d2b79f5) >>> 0
    let t = state
    t = Math.imul(t ^ (t >>> 15), t | 1)
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61)
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296
  }
}

class Worker {
  private readonly core: Core
  private readonly next: () => number
  private created = 0
  private batches = 0
  readonly report: WorkerReport = { done: {}, expected: {}, unexpected: [] }

  constructor(private readonly config: WorkerConfig) {
    this.next = random(config.seed)
    this.core = openCore({ dbPath: config.dbPath, keyProvider: fileKeyProvider(config.dbPath), passwordKdf: FAST_KDF })
  }

  close(): void {
    this.core.close()
  }

  private pick<T>(items: readonly T[]): T | undefined {
    return items.length === 0 ? undefined : items[Math.floor(this.next() * items.length)]
  }

  private async call<M extends ApiMethod>(method: M, caller: Caller, input: ApiInput<M>): Promise<ApiOutput<M>> {
    const result: Result<ApiOutput<M>> = await this.core.dispatch(method, caller, input)
    if (!result.ok) throw new Refused(result.error.code, `${method}: ${result.error.code} ${result.error.message}`)
    return result.value
  }

  /** Ids of users this worker may touch (shared lost-update targets are left to failed logins); `where` is a fixed clause. */
  private userIds(where = '1'): number[] {
    return databaseOf(this.core)
      .prepare(`SELECT u.id FROM users u LEFT JOIN totp_credentials c ON c.user_id = u.id WHERE u.email NOT LIKE ? AND ${where}`)
      .pluck()
      .all(`${TARGET_PREFIX}%`) as number[]
  }

  async run(name: OperationName, target?: string): Promise<void> {
    try {
      if (await this.operation(name, target)) this.report.done[name] = (this.report.done[name] ?? 0) + 1
    } catch (error) {
      const code = error instanceof Refused ? error.code : 'THROWN'
      if (EXPECTED[name]?.includes(code)) this.report.expected[code] = (this.report.expected[code] ?? 0) + 1
      else this.report.unexpected.push(`${name}: ${error instanceof Error ? error.message : String(error)}`)
    }
  }

  /** Runs one operation; false when there was nothing to do it on (no user without 2FA, say). */
  private async operation(name: OperationName, target?: string): Promise<boolean> {
    switch (name) {
      case 'create': {
        const email = `${this.config.tag}-${this.created++}@chaos.example`
        const role: Role = this.next() < 0.1 ? 'admin' : 'user'
        await this.call('createUser', CLI_CALLER, { name: `Chaos ${email}`, email, role, password: WORKER_PASSWORD })
        // After the commit: the test holds the database to every line it read.
        process.stdout.write(`created ${email}\n`)
        return true
      }
      case 'enforce': {
        const userId = this.pick(this.userIds())
        if (userId === undefined) return false
        await this.call('setEnforcement', CLI_CALLER, { userId, enforcement: this.pick(ENFORCEMENTS) ?? 'inherit' })
        return true
      }
      case 'policy':
        await this.call(this.next() < 0.5 ? 'enforceForAllUsers' : 'revokeEnforcement', CLI_CALLER, {})
        return true
      case 'enroll':
        return this.enroll()
      case 'reset': {
        const userId = this.pick(this.userIds('c.user_id IS NOT NULL'))
        if (userId === undefined) return false
        await this.call('resetTwoFactor', CLI_CALLER, { userId })
        return true
      }
      case 'bulk':
        return this.bulkEnforcement()
      case 'failed-login':
        await this.call('login', { kind: 'session', holder: { sessionId: null } }, { email: target ?? '', password: 'not the password' })
        return true
    }
  }

  /** A person activating 2FA: password, the otpauth URI, the current code. */
  private async enroll(): Promise<boolean> {
    // Among the first few candidates only, so that two processes often enroll the same person at once.
    const userId = this.pick(this.userIds('c.user_id IS NULL AND u.disabled = 0').slice(0, 3))
    if (userId === undefined) return false
    const email = databaseOf(this.core).prepare('SELECT email FROM users WHERE id = ?').pluck().get(userId) as string
    const screen: Caller = { kind: 'session', holder: { sessionId: null } }
    await this.call('login', screen, { email, password: WORKER_PASSWORD })
    const start = await this.call('startEnrollment', screen, {})
    const secret = base32Decode(new URL(start.otpauthUri).searchParams.get('secret') ?? '')
    await this.call('confirmEnrollment', screen, { code: codeAt(secret, Date.now()) })
    await this.call('logout', screen, {})
    return true
  }

  /**
   * Many users' enforcement in one transaction, written as a bulk operation
   * of the service would be: each user's change and its audit entry, all
   * tagged with the batch and its size, so the test can tell a half-applied one.
   */
  private bulkEnforcement(): boolean {
    const ids = this.userIds()
    if (ids.length === 0) return false
    const size = Math.min(ids.length, 20 + Math.floor(this.next() * 180))
    const enforcement = this.pick(ENFORCEMENTS) ?? 'inherit'
    const chosen = new Set<number>()
    while (chosen.size < size) chosen.add(ids[Math.floor(this.next() * ids.length)] as number)
    const batch = `${this.config.tag}-bulk-${this.batches++}`
    const db = databaseOf(this.core)
    writeTransaction(db, () => {
      const now = Date.now()
      const users = [...chosen].map((id) => findUserById(db, id)).filter((user) => user !== null && !(user.role === 'admin' && enforcement === 'exempt'))
      for (const user of users) {
        if (!user) continue
        setEnforcementOverride(db, user.id, enforcement, 'cli', now)
        appendAudit(db, now, {
          actor: 'cli',
          action: 'enforcement.user-changed',
          target: user.email,
          details: { from: user.enforcement, to: enforcement, batch, size: users.length }
        })
      }
    })
    return true
  }
}

const WEIGHTS: [OperationName, number][] = [
  ['create', 30],
  ['enforce', 15],
  ['policy', 5],
  ['enroll', 20],
  ['reset', 10],
  ['bulk', 20]
]
const TOTAL_WEIGHT = WEIGHTS.reduce((sum, [, weight]) => sum + weight, 0)

function chooseOperation(next: () => number): OperationName {
  let roll = next() * TOTAL_WEIGHT
  for (const [name, weight] of WEIGHTS) {
    roll -= weight
    if (roll < 0) return name
  }
  return 'create'
}

/**
 * Draws one QR code the way startEnrollment does. A fresh process spends 120-200 ms
 * (more on a busy two-core machine) compiling the QR and PNG encoders on its first
 * one: most of the 5-255 ms a round runs after 'ready'. Left to the first
 * enrollment, nearly every enrollment was killed inside the encoder rather than in
 * a write, and some runs confirmed almost none.
 */
async function warmUpQrEncoder(): Promise<void> {
  await QRCode.toDataURL(otpauthUri(newSecret(), 'warm-up@chaos.example', DEFAULT_TOTP), { errorCorrectionLevel: 'M', margin: 2, width: 240 })
}

/**
 * Judges one password the way createUser does. The first judgement builds the
 * password-strength dictionaries: 230-260 ms on an idle machine, more under load,
 * so left to the first createUser nearly every round was killed before any user was
 * created (CI saw 0 in 100 rounds).
 */
function warmUpPasswordPolicy(): void {
  judgePassword(WORKER_PASSWORD, { name: 'Warm Up', email: 'warm-up@chaos.example' })
}

async function main(): Promise<void> {
  const config = JSON.parse(process.argv[2] ?? '{}') as WorkerConfig
  const worker = new Worker(config)
  const next = random(config.seed ^ 0x5bd1e995)
  // After opening the database, so kills during start-up still land in the open.
  await warmUpQrEncoder()
  warmUpPasswordPolicy()
  process.stdout.write('ready\n')
  // The failed logins on shared targets are spread at random among the other operations.
  const failedLogins: string[] = []
  for (const target of config.targets ?? []) for (let i = 0; i < (config.failedLoginsPerTarget ?? 0); i++) failedLogins.push(target)
  const total = config.operations === 0 ? Number.POSITIVE_INFINITY : config.operations + failedLogins.length
  for (let done = 0; done < total; done++) {
    const remaining = total - done
    if (failedLogins.length > 0 && next() * remaining < failedLogins.length) {
      const index = Math.floor(next() * failedLogins.length)
      const [target] = failedLogins.splice(index, 1)
      await worker.run('failed-login', target)
    } else {
      await worker.run(chooseOperation(next))
    }
  }
  worker.close()
  process.stdout.write(`report ${JSON.stringify(worker.report)}\n`)
}

main().catch((error: unknown) => {
  process.stderr.write(`chaos worker failed: ${error instanceof Error ? error.stack : String(error)}\n`)
  process.exit(1)
})
