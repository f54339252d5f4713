// twofa-admin check | backup | restore | key: the care of the database file
// itself. These work on the files, without opening the directory through the
// core (a damaged file must not be migrated or written to); the logic is the
// core's (src/main/core/maintenance), shared with the desktop app's menu.
import { existsSync } from 'node:fs'
import { AppError } from '../../shared/errors'
import { tasksInThisThread } from '../../main/core/background/runner'
import { keyFilePath, wrappedKeyFilePath } from '../../main/core/crypto/keys'
import { keyCheckValue } from '../../main/core/crypto/secrets'
import { chainKeyOf } from '../../main/core/audit/chain'
import { checkDatabaseFile } from '../../main/core/maintenance/integrity'
import { exportKeyFile, importKeyFile, readExistingKeyFile } from '../../main/core/maintenance/key-export'
import { restoreDatabase } from '../../main/core/maintenance/in-background'
import { backupCheckSummary } from '../../main/core/maintenance/restore'
import { allowOnly, expectPositionals, HELP_HINT, readSecretFromStdin, UsageError, type Flags } from '../args'
import type { CliIo } from '../io'

export const MAINTENANCE_COMMANDS: readonly string[] = ['check', 'backup', 'restore', 'key']

export const MAINTENANCE_USAGE = `  check [--full]                         check the database file (quick_check; --full: integrity_check)
  backup FILE                            write a consistent copy, also while the app is running
  restore FILE                           replace the database with a checked backup (stop the app first;
                                         the replaced file is kept as <db>.before-restore-<time>)
  key export FILE --passphrase-stdin     write the secrets key, sealed with a passphrase
  key import FILE --passphrase-stdin     put an exported key beside a restored database`

function oneFile(positionals: readonly string[], usage: string): string {
  const [file] = expectPositionals(positionals, 1, `one file: ${usage}`)
  if (file === undefined || file.length === 0) throw new UsageError(`Expected one file: ${usage}. ${HELP_HINT}`)
  return file
}

function requireDatabase(dbPath: string): void {
  if (!existsSync(dbPath)) throw new AppError('NOT_FOUND', `No database at ${dbPath}. Pass the right --db.`)
}

export async function maintenanceCommand(command: string, positionals: string[], allFlags: Flags, dbPath: string, io: CliIo): Promise<number> {
  // The command line has no screen to keep answering: its long work runs in this thread.
  const background = tasksInThisThread({ path: dbPath })
  switch (command) {
    case 'check': {
      const flags = allowOnly(allFlags, 'check', ['full'])
      expectPositionals(positionals, 0, 'no arguments after check')
      const report = checkDatabaseFile(dbPath, { full: flags.full === true })
      if (!report.ok) throw new AppError('DATABASE_CORRUPT', report.message)
      await io.stdout('ok\n')
      return 0
    }
    case 'backup': {
      allowOnly(allFlags, 'backup', [])
      const file = oneFile(positionals, 'backup FILE')
      requireDatabase(dbPath)
      const result = await background.run('backup', { destination: file, overwrite: false })
      await io.stdout(`Backed up ${dbPath} to ${result.path} (${result.bytes} bytes, checked).\n`)
      await io.stdout('The secrets key is not in the backup: keep an export of it (twofa-admin key export FILE --passphrase-stdin) apart from it.\n')
      return 0
    }
    case 'restore': {
      allowOnly(allFlags, 'restore', [])
      const file = oneFile(positionals, 'restore FILE')
      // A backup made with another key than the one already here would leave every secret unreadable.
      const key = existsSync(keyFilePath(dbPath)) ? readExistingKeyFile(dbPath) : null
      const result = await restoreDatabase(background, file, dbPath, {
        now: Date.now(),
        keyCheck: key === null ? undefined : keyCheckValue(key),
        // With the key at hand, the backup's keyed audit entries are checked before it replaces anything.
        chainKey: key === null ? null : chainKeyOf(key)
      })
      await io.stdout(`Restored ${dbPath} from ${file}: schema ${result.info.schemaVersion}, ${backupCheckSummary(result.info)}.\n`)
      if (result.asidePath !== null) await io.stdout(`The database it replaced is kept as ${result.asidePath}.\n`)
      if (result.info.auditKeyedUnchecked) await io.stdout('After importing the key, check them: twofa-admin audit --verify\n')
      if (result.info.keyCheck !== null && !existsSync(keyFilePath(dbPath)) && !existsSync(wrappedKeyFilePath(dbPath))) {
        await io.stdout("Next, import the backup's secrets key: twofa-admin key import KEY-EXPORT-FILE --passphrase-stdin\n")
      }
      return 0
    }
    case 'key':
      return keyCommand(positionals, allFlags, dbPath, io)
    default:
      throw new UsageError(`Unknown command "${command}". ${HELP_HINT}`)
  }
}

async function keyCommand(rest: string[], allFlags: Flags, dbPath: string, io: CliIo): Promise<number> {
  const [sub, ...positionals] = rest
  if (sub === 'export') {
    const flags = allowOnly(allFlags, 'key export', ['passphrase-stdin'])
    const file = oneFile(positionals, 'key export FILE --passphrase-stdin')
    const passphrase = await readSecretFromStdin(io, flags, 'passphrase-stdin', 'key export')
    exportKeyFile(dbPath, file, passphrase)
    await io.stdout(`Exported the secrets key of ${dbPath} to ${file}, sealed with your passphrase. Keep the file, the passphrase and the backups apart.\n`)
    return 0
  }
  if (sub === 'import') {
    const flags = allowOnly(allFlags, 'key import', ['passphrase-stdin'])
    const file = oneFile(positionals, 'key import FILE --passphrase-stdin')
    const passphrase = await readSecretFromStdin(io, flags, 'passphrase-stdin', 'key import')
    const result = importKeyFile(dbPath, file, passphrase)
    if (!result.written) await io.stdout(`The same key is already in place (${result.keyFile}).\n`)
    else await io.stdout(`Imported the secrets key to ${result.keyFile}${result.verified ? '; it matches the database' : ' (the database holds no secret yet to check it against)'}.\n`)
    return 0
  }
  throw new UsageError(sub === undefined ? 'Missing key subcommand: key export|import FILE --passphrase-stdin.' : `Unknown command "key ${sub}". ${HELP_HINT}`)
}
