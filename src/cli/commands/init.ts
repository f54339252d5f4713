// twofa-admin init: creates the database and its secrets key file (or checks both).
import { existsSync, mkdirSync } from 'node:fs'
import { dirname } from 'node:path'
import { fileKeyProvider } from '../../main/core/crypto/keys'
import { openCore } from '../../main/core/open-core'
import { allowOnly, expectPositionals, type Flags } from '../args'
import type { CliIo } from '../io'

export async function initCommand(rest: string[], allFlags: Flags, dbPath: string, io: CliIo): Promise<number> {
  allowOnly(allFlags, 'init', [])
  expectPositionals(rest, 0, 'no arguments after init')
  const existed = existsSync(dbPath)
  mkdirSync(dirname(dbPath), { recursive: true })
  const keyProvider = fileKeyProvider(dbPath)
  const core = openCore({ dbPath, keyProvider })
  try {
    core.local.ensureDataKey()
  } finally {
    core.close()
  }
  await io.stdout(existed ? `Database ${dbPath} is ready (secrets ${keyProvider.description}).\n` : `Created ${dbPath} with its secrets ${keyProvider.description}.\n`)
  return 0
}
