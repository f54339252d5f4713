// The command line's import: the file is streamed from disk into the same
// run as the screens' (run-import.ts), on the core's own connection, in the
// calling thread (the command line has no screen to keep answering).
import { accessSync, constants, createReadStream, statSync } from 'node:fs'
import { AppError } from '../../../shared/errors'
import type { CoreContext } from '../context'
import { CLI_ACTOR } from '../guards'
import { runImport, type ImportOutcome } from './run-import'

export function userImportLocal(ctx: CoreContext) {
  return {
    /** Imports (or with dryRun checks) the CSV file at `path`; every problem is listed. */
    async importUsersFromFile(
      path: string,
      options: { dryRun: boolean; ignoreUnknownColumns: boolean; onProgress?: (done: number, total: number) => void }
    ): Promise<ImportOutcome> {
      requireReadableFile(path)
      const stream = createReadStream(path, { highWaterMark: 256 * 1024 })
      try {
        return await runImport(ctx.db, stream, {
          dryRun: options.dryRun,
          ignoreUnknownColumns: options.ignoreUnknownColumns,
          actor: { label: CLI_ACTOR.label, userId: null, recentlyAuthenticated: true },
          now: ctx.clock.now(),
          onProgress: ({ done, total }) => options.onProgress?.(done, total)
        })
      } finally {
        stream.destroy()
      }
    }
  }
}

/** A missing, unreadable or not-a-file path, said plainly before anything is read. */
function requireReadableFile(path: string): void {
  try {
    if (!statSync(path).isFile()) throw new AppError('VALIDATION', `${path} is a folder or a device, not a CSV file.`)
    accessSync(path, constants.R_OK)
  } catch (error) {
    if (error instanceof AppError) throw error
    const code = (error as NodeJS.ErrnoException).code
    if (code === 'ENOENT') throw new AppError('NOT_FOUND', `There is no file ${path}.`)
    throw new AppError('VALIDATION', `Cannot read ${path} (${code ?? (error as Error).message}). Check its permissions.`)
  }
}
