// A fresh directory per test: temp database, key file, manual clock, and
// "screens" that call the core through the same dispatcher as every transport.
import BetterSqlite3 from 'better-sqlite3'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import type { ApiInput, ApiMethod, ApiOutput } from '../../../src/shared/contract'
import type { ApiError, Result } from '../../../src/shared/errors'
import { CLI_CALLER, type Caller, type SessionHolder } from '../../../src/main/core/caller'
import { ManualClock } from '../../../src/main/core/clock'
import { fileKeyProvider } from '../../../src/main/core/crypto/keys'
import { databaseOf, openCore, type Core, type CoreOptions } from '../../../src/main/core/open-core'
import type { Database } from '../../../src/main/db/connection'
import type { ScryptParams } from '../../../src/main/core/crypto/passwords'
import { base32Decode, codeAt } from '../../../src/main/core/crypto/totp'

/** Cheap scrypt for tests; one test checks the OWASP default on its own. */
export const FAST_KDF: ScryptParams = { N: 2 ** 10, r: 8, p: 1 }
export const START = Date.UTC(2026, 10, 27, 9, 0, 0)

/** The worker the desktop app and the preview run long checks in, built by the unit tests' global setup. */
export const BACKGROUND_WORKER = join(__dirname, '..', '..', '..', 'out', 'background', 'worker.js')

export class Screen {
  readonly holder: SessionHolder = { sessionId: null }
  constructor(private readonly env: TestEnv) {}

  get caller(): Caller {
    return { kind: 'session', holder: this.holder }
  }

  call<M extends ApiMethod>(method: M, input: ApiInput<M> | Record<string, unknown> = {}): Promise<Result<ApiOutput<M>>> {
    return this.env.core.dispatch(method, this.caller, input)
  }

  async ok<M extends ApiMethod>(method: M, input: ApiInput<M> | Record<string, unknown> = {}): Promise<ApiOutput<M>> {
    const result = await this.call(method, input)
    if (!result.ok) throw new Error(`${method} failed: ${result.error.code} ${result.error.message}`)
    return result.value
  }

  async fail<M extends ApiMethod>(method: M, input: ApiInput<M> | Record<string, unknown> = {}): Promise<ApiError> {
    const result = await this.call(method, input)
    if (result.ok) throw new Error(`${method} unexpectedly succeeded`)
    return result.error
  }
}

export class TestEnv {
  readonly dir: string
  readonly dbPath: string
  readonly clock = new ManualClock(START)
  core: Core

  /** options: what the desktop app or the preview may pass besides the database (warnings, a shorter re-auth window, where exports go), or a real password cost. */
  constructor(private readonly options: Pick<CoreOptions, 'reauthWindowMs' | 'warnings' | 'passwordKdf' | 'exportDestination' | 'onUnexpectedError'> = {}) {
    this.dir = mkdtempSync(join(tmpdir(), 'twofa-test-'))
    this.dbPath = join(this.dir, 'directory.db')
    this.core = this.open()
  }

  private open(): Core {
    return openCore({ dbPath: this.dbPath, keyProvider: fileKeyProvider(this.dbPath), clock: this.clock, passwordKdf: FAST_KDF, backgroundWorker: BACKGROUND_WORKER, ...this.options })
  }

  /** Closes and opens the database again, as after an app restart (sessions are gone). */
  reopen(): void {
    this.core.close()
    this.core = this.open()
  }

  /** The core's own connection, to inspect or damage the file as an attacker or a crash would. */
  get db(): Database {
    return databaseOf(this.core)
  }

  screen(): Screen {
    return new Screen(this)
  }

  private otherWriter: Database | null = null

  /** Another program takes the directory's write lock; the core's connection waits 1 ms for it instead of 5 s. */
  anotherProgramWrites(): void {
    this.letGo()
    this.otherWriter = new BetterSqlite3(this.dbPath)
    this.otherWriter.prepare('BEGIN IMMEDIATE').run()
    this.db.pragma('busy_timeout = 1')
  }

  /** The other program lets go of the write lock, having changed nothing; the core waits 5 s again. */
  letGo(): void {
    if (this.otherWriter === null) return
    this.otherWriter.prepare('ROLLBACK').run()
    this.otherWriter.close()
    this.otherWriter = null
    if (this.db.open) this.db.pragma('busy_timeout = 5000')
  }

  async cli<M extends ApiMethod>(method: M, input: ApiInput<M> | Record<string, unknown> = {}): Promise<ApiOutput<M>> {
    const result = await this.core.dispatch(method, CLI_CALLER, input)
    if (!result.ok) throw new Error(`${method} failed: ${result.error.code} ${result.error.message}`)
    return result.value
  }

  dispose(): void {
    this.letGo()
    this.core.close()
    rmSync(this.dir, { recursive: true, force: true })
  }
}

export function secretFromUri(uri: string): Buffer {
  const secret = new URL(uri).searchParams.get('secret')
  if (!secret) throw new Error('no secret in URI')
  return base32Decode(secret)
}

export const PASSWORD = 'correct horse battery'

/** First run: creates the admin, enrolls their authenticator, returns the signed-in screen and the secret. */
export async function setUpAdmin(env: TestEnv, email = 'admin@example.com'): Promise<{ screen: Screen; secret: Buffer; recoveryCodes: string[] }> {
  const screen = env.screen()
  await screen.ok('setupFirstAdmin', { name: 'Ada Admin', email, password: PASSWORD })
  const { secret, recoveryCodes } = await enroll(env, screen)
  return { screen, secret, recoveryCodes }
}

/** A user who signed in once and activated 2FA (as the RADIUS tests need): returns their TOTP secret. */
export async function userWith2fa(env: TestEnv, email: string): Promise<Buffer> {
  await addUser(env, email)
  const screen = env.screen()
  await screen.ok('login', { email, password: PASSWORD })
  return (await enroll(env, screen)).secret
}

export async function enroll(env: TestEnv, screen: Screen): Promise<{ secret: Buffer; recoveryCodes: string[] }> {
  const start = await screen.ok('startEnrollment')
  const secret = secretFromUri(start.otpauthUri)
  const done = await screen.ok('confirmEnrollment', { code: codeAt(secret, env.clock.now()) })
  // Move to the next time step so the enrollment code is not reused by the next check.
  env.clock.advance(30_000)
  return { secret, recoveryCodes: done.recoveryCodes }
}

export async function addUser(env: TestEnv, email: string, role: 'admin' | 'user' = 'user'): Promise<number> {
  const user = await env.cli('createUser', { name: email.split('@')[0] ?? email, email, role, password: PASSWORD })
  return user.id
}
