// twofa-admin seed-demo: fills a directory with generated demo users, for demos
// and for the benchmark (npm run bench). See the help text in ../usage-text.ts.
import { existsSync, mkdirSync } from 'node:fs'
import { dirname } from 'node:path'
import { MAX_DEMO_USERS } from '../../main/core/demo/demo-seed'
import { allowOnly, expectPositionals, UsageError, wholeNumber, type Flags } from '../args'
import type { CliIo } from '../io'
import { withOpenedCore } from '../run-core'

export const SEED_DEMO_USAGE = `  seed-demo --users N [--seed S] [--force]
                                         fill the directory with N generated demo users`

export interface SeedDemoArgs {
  users: number
  seed: number
  force: boolean
}

const MAX_SEED = 0xffffffff

/** Checks the flags of seed-demo; throws UsageError (exit status 2) for anything wrong. */
export function parseSeedDemoArgs(flags: Flags): SeedDemoArgs {
  if (typeof flags.users !== 'string') throw new UsageError('seed-demo needs --users N (how many demo users to create).')
  const users = wholeNumber(flags.users, '--users', 1, MAX_DEMO_USERS)
  const seed = typeof flags.seed === 'string' ? wholeNumber(flags.seed, '--seed', 0, MAX_SEED) : 1
  return { users, seed, force: flags.force === true }
}

function seconds(ms: number): string {
  return ms < 1000 ? `${Math.round(ms)} ms` : `${(ms / 1000).toFixed(1)} s`
}

/** Creates the database (and its key file) when missing, like init, then seeds it. */
export async function seedDemoCommand(rest: string[], allFlags: Flags, dbPath: string, io: CliIo): Promise<number> {
  const flags = allowOnly(allFlags, 'seed-demo', ['users', 'seed', 'force'])
  expectPositionals(rest, 0, 'options only: seed-demo --users N [--seed S] [--force]')
  const args = parseSeedDemoArgs(flags)
  const created = !existsSync(dbPath)
  mkdirSync(dirname(dbPath), { recursive: true })
  return withOpenedCore(dbPath, async (core) => {
    const result = core.local.seedDemo(args)
    await io.stdout(
      `${created ? 'Created' : 'Seeded'} ${dbPath} with ${result.users} demo users (seed ${args.seed}, ${result.enrolled} with 2FA active) in ${seconds(result.elapsedMs)}.\n` +
        (result.skipped > 0 ? `Skipped ${result.skipped} demo users whose email an existing user already has.\n` : '') +
        'Demo users have no password: nobody can sign in as one. To sign in, add yourself: twofa-admin user add --role admin ... --password-stdin\n'
    )
    return 0
  })
}
