// A full disk, simulated with PRAGMA max_page_count (the database may not grow):
// a write that does not fit fails with one clear message and changes nothing,
// whatever it touches (one user, or a credential with ten recovery codes); earlier data stays
// whole, and once there is room again the same operation succeeds.
import { rmSync } from 'node:fs'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import type { ApiError } from '../../src/shared/errors'
import { CLI_CALLER, type Caller } from '../../src/main/core/caller'
import { databaseOf, type Core } from '../../src/main/core/open-core'
import { base32Decode, codeAt } from '../../src/main/core/crypto/totp'
import { checkDirectory } from './support/check-directory'
import { freshDirectory, openDirectoryCore } from './support/processes'
import { WORKER_PASSWORD } from './support/protocol'

let dir: string
let dbPath: string
let core: Core
beforeEach(async () => {
  ;({ dir, dbPath } = await freshDirectory(Array.from({ length: 50 }, (_, i) => `before-${i}@chaos.example`)))
  core = openDirectoryCore(dbPath)
})
afterEach(() => {
  core.close()
  rmSync(dir, { recursive: true, force: true })
})

function dump(): string {
  const tables = ['users', 'totp_credentials', 'totp_enrollments', 'recovery_codes', 'enforcement_policy', 'audit_log', 'meta']
  return JSON.stringify(tables.map((table) => databaseOf(core).prepare(`SELECT * FROM ${table} ORDER BY 1`).all()))
}

/** No more pages: the database cannot grow past its current size. */
function fillDisk(): void {
  const pages = databaseOf(core).pragma('page_count', { simple: true }) as number
  databaseOf(core).pragma(`max_page_count = ${pages}`)
}

function freeSpace(): void {
  databaseOf(core).pragma('max_page_count = 1073741823')
}

async function createUser(email: string, name = email): Promise<{ ok: true } | { ok: false; error: ApiError }> {
  const result = await core.dispatch('createUser', CLI_CALLER, { name, email, role: 'user', password: WORKER_PASSWORD })
  return result.ok ? { ok: true } : { ok: false, error: result.error }
}

describe('a full disk', () => {
  it('refuses each write with a clear message, changes nothing, and works again once there is room', async () => {
    // Maria is half-way through activating 2FA when the disk fills up.
    const maria: Caller = { kind: 'session', holder: { sessionId: null } }
    expect((await core.dispatch('login', maria, { email: 'before-7@chaos.example', password: WORKER_PASSWORD })).ok).toBe(true)
    const start = await core.dispatch('startEnrollment', maria, {})
    if (!start.ok) throw new Error(start.error.message)
    const secret = base32Decode(new URL(start.value.otpauthUri).searchParams.get('secret') ?? '')

    fillDisk()
    // Pages have some room left: fill it, with long names then short ones, until nothing fits.
    let refusal: ApiError | null = null
    let accepted = 0
    for (const length of [200, 40, 1]) {
      for (let i = 0; i < 10_000; i++) {
        const result = await createUser(`fill-${length}-${i}@chaos.example`, 'x'.repeat(length))
        if (!result.ok) {
          refusal = result.error
          break
        }
        accepted++
      }
    }
    expect(refusal).toEqual({ code: 'DISK_FULL', message: 'The disk is full: nothing was changed. Free some disk space and try again.' })
    expect(accepted).toBeLessThan(1000)

    const before = dump()
    const refusals: string[] = []
    const expectRefused = async (label: string, outcome: Promise<{ ok: boolean; error?: ApiError }>) => {
      const result = await outcome
      refusals.push(`${label}: ${result.ok ? 'accepted' : result.error?.code}`)
    }
    // One user; a credential with its ten recovery codes, its audit entry and the end of the enrollment.
    await expectRefused('createUser', createUser('after@chaos.example'))
    await expectRefused('confirmEnrollment', core.dispatch('confirmEnrollment', maria, { code: codeAt(secret, Date.now()) }))
    expect(refusals).toEqual(['createUser: DISK_FULL', 'confirmEnrollment: DISK_FULL'])
    expect(dump()).toBe(before)
    const whole = await checkDirectory(dbPath, Array.from({ length: 50 }, (_, i) => `before-${i}@chaos.example`))
    expect(whole.problems).toEqual([])
    expect(whole.facts.users).toBe(50 + accepted)

    // Room again: the same steps succeed, and the directory is still whole.
    freeSpace()
    expect((await createUser('after@chaos.example')).ok).toBe(true)
    const confirmed = await core.dispatch('confirmEnrollment', maria, { code: codeAt(secret, Date.now()) })
    expect(confirmed.ok ? confirmed.value.recoveryCodes : confirmed.error).toHaveLength(10)
    const after = await checkDirectory(dbPath)
    expect(after.problems).toEqual([])
    expect(after.facts.activeUsers).toBe(1)
  })
})
