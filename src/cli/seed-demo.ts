// twofa-admin seed-demo: fills a directory with generated demo users, for demos
// and for the benchmark (npm run bench). See the help text in index.ts.
import { existsSync, mkdirSync } from 'node:fs'
import { dirname } from 'node:path'
import { CLI_CALLER } from '../main/core/caller'
import { MAX_DEMO_USERS } from '../main/core/demo-seed'
import { fileKeyProvider } from '../main/core/keys'
import { openCore } from '../main/core/open-core'
import { UsageError } from './usage'

export interface SeedDemoArgs {
  users: number
  seed: number
  force: boolean
}

const MAX_SEED = 0xffffffff

function wholeNumber(text: string, flag: string, max: number): number {
  if (!/^\d+$/.test(text)) throw new UsageError(`${flag} must be a whole number, not "${text}".`)
  const value = Number(text)
  if (!Number.isSafeInteger(value) || value > max) throw new UsageError(`${flag} must be at most ${max}.`)
  return value
}

/** Checks the flags of seed-demo; throws UsageError (exit status 2) for anything wrong. */
export function parseSeedDemoArgs(flags: Record<string, string | boolean | undefined>): SeedDemoArgs {
  if (typeof flags.users !== 'string') throw new UsageError('seed-demo needs --users N (how many demo users to create).')
  const users = wholeNumber(flags.users, '--users', MAX_DEMO_USERS)
  if (users < 1) throw new UsageError('--users must be at least 1.')
  const seed = typeof flags.seed === 'string' ? wholeNumber(flags.seed, '--seed', MAX_SEED) : 1
  return { users, seed, force: flags.force === true }
}

function seconds(ms: number): string {
  return ms < 1000 ? `${Math.round(ms)} ms` : `${(ms / 1000).toFixed(1)} s`
}

/** Creates the database (and its key file) when missing, like init, then seeds it. */
export async function seedDemo(dbPath: string, args: SeedDemoArgs, out: (text: string) => void): Promise<number> {
  const created = !existsSync(dbPath)
  mkdirSync(dirname(dbPath), { recursive: true })
  const core = openCore({ dbPath, keyProvider: fileKeyProvider(dbPath) })
  try {
    const result = await core.service.seedDemoDirectory(CLI_CALLER, args)
    out(
      `${created ? 'Created' : 'Seeded'} ${dbPath} with ${result.users} demo users (seed ${args.seed}, ${result.enrolled} with 2FA active) in ${seconds(result.elapsedMs)}.\n` +
        (result.skipped > 0 ? `Skipped ${result.skipped} demo users whose email an existing user already has.\n` : '') +
        'Demo users have no password: nobody can sign in as one. To sign in, add yourself: twofa-admin user add --role admin ... --password-stdin\n'
    )
    return 0
  } finally {
    core.close()
  }
}
