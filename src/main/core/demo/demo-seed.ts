// Fills a directory with generated demo users in one transaction: the engine
// behind `twofa-admin seed-demo`, also used by the benchmark and the tests.
import { randomBytes } from 'node:crypto'
import { AppError } from '../../../shared/errors'
import { withBulkCache, writeTransaction, type Database } from '../../db/connection'
import { checkpointAndTruncateWal, demoWriter, optimizeSearchIndex, withDeferredUserIndexes } from '../../db/demo-repo'
import { readMeta, writeMeta } from '../../db/meta-repo'
import { hasAnyUser } from '../../db/users-repo'
import { appendAudit } from '../audit/chain'
import { generateDemoUsers } from './demo-directory'
import { secretSealer } from '../crypto/secrets'

/** Up to the largest directory the bench measures (issue 14: 10M users). */
export const MAX_DEMO_USERS = 10_000_000
const SECRET_BYTES = 20
const DEMO_META_KEY = 'demo_seed'

export interface SeedDemoOptions {
  users: number
  seed: number
  now: number
  /** Add demo users to a directory that already has real users. */
  force: boolean
  /** Written to the audit log. */
  actor: string
}

export interface SeedDemoResult {
  /** Demo users created. */
  users: number
  enrolled: number
  /** Demo users not created because a user with the same email already existed (only with force). */
  skipped: number
  elapsedMs: number
}

/** What seed-demo recorded in the meta table, or null for a directory that was never seeded. */
export function demoSeedInfo(db: Database): { seed: number; users: number; at: number } | null {
  const text = readMeta(db, DEMO_META_KEY)
  return text === null ? null : (JSON.parse(text) as { seed: number; users: number; at: number })
}

/**
 * Demo users have no password (nobody can sign in as one) and, when enrolled, a
 * real random secret encrypted under the directory's key, so every screen and
 * every query sees them exactly like real users.
 */
export function seedDemoDirectory(db: Database, dataKey: Buffer, options: SeedDemoOptions): SeedDemoResult {
  if (!Number.isSafeInteger(options.users) || options.users < 1 || options.users > MAX_DEMO_USERS) {
    throw new AppError('VALIDATION', `The number of demo users must be between 1 and ${MAX_DEMO_USERS}.`, 'users')
  }
  const started = performance.now()
  const seal = secretSealer(dataKey)
  let enrolled = 0
  let skipped = 0
  withBulkCache(db, () =>
    writeTransaction(db, () => {
      const previous = demoSeedInfo(db)
      if (previous !== null) {
        throw new AppError('VALIDATION', `This database already holds ${previous.users} demo users (seed ${previous.seed}). Seed a new file instead.`)
      }
      if (!options.force && hasAnyUser(db)) {
        throw new AppError('VALIDATION', 'This database already has users. Seed a new file, or pass --force to add demo users next to them.')
      }
      withDeferredUserIndexes(db, () => {
        const writer = demoWriter(db)
        // Random bytes in blocks: one call per secret would cost more than the encryption.
        let pool = Buffer.alloc(0)
        let offset = 0
        generateDemoUsers({ count: options.users, seed: options.seed, now: options.now }, (user) => {
          const id = writer.user({ ...user, enforcementBy: user.enforcementAt === null ? null : 'seed-demo' })
          if (id === null) {
            skipped++
            return
          }
          if (user.confirmedAt === null) return
          if (offset + SECRET_BYTES > pool.length) {
            pool = randomBytes(SECRET_BYTES * 4096)
            offset = 0
          }
          const secret = pool.subarray(offset, offset + SECRET_BYTES)
          offset += SECRET_BYTES
          writer.credential({ userId: id, secretEnc: seal(id, secret), confirmedAt: user.confirmedAt })
          enrolled++
        })
        pool.fill(0)
      })
      const created = options.users - skipped
      writeMeta(db, DEMO_META_KEY, JSON.stringify({ seed: options.seed, users: created, at: options.now }))
      appendAudit(db, options.now, {
        actor: options.actor,
        action: 'user.created',
        target: null,
        details: { demo: true, users: created, seed: options.seed, enrolled, skipped }
      })
    })
  )
  // After the commit: merging the search index into one segment makes each search read one doclist per trigram.
  writeTransaction(db, () => optimizeSearchIndex(db))
  checkpointAndTruncateWal(db)
  return { users: options.users - skipped, enrolled, skipped, elapsedMs: performance.now() - started }
}
