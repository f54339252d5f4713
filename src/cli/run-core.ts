// Opening the directory for one command, and calling the core as the local
// administrator. The command line goes through the same dispatcher as the
// screens (payload checks, rules, audit), with actor "cli".
import { existsSync } from 'node:fs'
import type { ApiInput, ApiMethod, ApiOutput } from '../shared/contract'
import { AppError } from '../shared/errors'
import { CLI_CALLER } from '../main/core/caller'
import { fileKeyProvider } from '../main/core/crypto/keys'
import { openCore, type Core } from '../main/core/open-core'

/** Opens the existing database at dbPath for `fn`, and closes it after, whatever happens. */
export async function withCore(dbPath: string, fn: (core: Core) => Promise<number>): Promise<number> {
  if (!existsSync(dbPath)) {
    throw new AppError('NOT_FOUND', `No database at ${dbPath}. Run "twofa-admin init --db ${dbPath}" first, or pass the right --db.`)
  }
  return withOpenedCore(dbPath, fn)
}

/** Opens (or creates) the database at dbPath with its key file. */
export async function withOpenedCore(dbPath: string, fn: (core: Core) => Promise<number>): Promise<number> {
  const core = openCore({ dbPath, keyProvider: fileKeyProvider(dbPath) })
  try {
    return await fn(core)
  } finally {
    core.close()
  }
}

/** One contract method as the local administrator; a refusal becomes the AppError it carries. */
export async function call<M extends ApiMethod>(core: Core, method: M, input: ApiInput<M>): Promise<ApiOutput<M>> {
  const result = await core.dispatch(method, CLI_CALLER, input)
  if (!result.ok) throw new AppError(result.error.code, result.error.message, result.error.field)
  return result.value
}
