// The command line's care of the database file itself: check, backup, restore,
// and carrying the secrets key to another machine. The logic lives in the core
// (integrity.ts, backup.ts, key-export.ts), shared with the desktop app's menu.
import { existsSync } from 'node:fs'
import { AppError } from '../shared/errors'
import { backupDatabase, restoreDatabase } from '../main/core/backup'
import { checkDatabaseFile } from '../main/core/integrity'
import { exportKeyFile, importKeyFile, readExistingKeyFile } from '../main/core/key-export'
import { keyFilePath, wrappedKeyFilePath } from '../main/core/keys'
import { keyCheckValue } from '../main/core/secrets'
import { openExisting } from '../main/db/maintenance-repo'
import type { CliIo } from './index'
import { UsageError } from './usage'

export const MAINTENANCE_COMMANDS: readonly string[] = ['check', 'backup', 'restore', 'key']

export const MAINTENANCE_USAGE = `  check [--full]                         check the database file (quick_check; --full: integrity_check)
  backup FILE                            write a consistent copy, also while the app is running
  restore FILE                           replace the database with a checked backup (stop the app first;
                                         the replaced file is kept as <db>.before-restore-<time>)
  key export FILE --passphrase-stdin     write the secrets key, sealed with a passphrase
  key import FILE --passphrase-stdin     put an exported key beside a restored database`

type Flags = Record<string, string | boolean | undefined>

function allowOnly(flags: Flags, command: string, allowed: readonly string[]): Flags {
  for (const key of Object.keys(flags)) {
    if (key !== 'db' && flags[key] !== undefined && !allowed.includes(key)) {
      throw new UsageError(`"${command}" does not take --${key}. Run twofa-admin --help for usage.`)
    }
  }
  return flags
}

function oneFile(positionals: readonly string[], usage: string): string {
  const [file] = positionals
  if (positionals.length !== 1 || file === undefined || file.length === 0) throw new UsageError(`Expected one file: ${usage}. Run twofa-admin --help for usage.`)
  return file
}

async function readPassphrase(flags: Flags, io: CliIo, usage: string): Promise<string> {
  if (!flags['passphrase-stdin']) throw new UsageError(`${usage} needs --passphrase-stdin, with the passphrase piped on standard input.`)
  const stdin = await io.readStdin()
  // One trailing newline is what `echo` adds; anything else is part of the passphrase.
  const passphrase = stdin === null ? '' : stdin.replace(/\r?\n$/, '')
  if (passphrase.length === 0) throw new UsageError('Missing passphrase on standard input: pipe it in, e.g. printf \'%s\' "$PASSPHRASE" | twofa-admin key ... --passphrase-stdin')
  return passphrase
}

function requireDatabase(dbPath: string): void {
  if (!existsSync(dbPath)) throw new AppError('NOT_FOUND', `No database at ${dbPath}. Pass the right --db.`)
}

export async function maintenanceCommand(command: string, positionals: string[], allFlags: Flags, dbPath: string, io: CliIo): Promise<number> {
  switch (command) {
    case 'check': {
      const flags = allowOnly(allFlags, 'check', ['full'])
      if (positionals.length > 0) throw new UsageError('Expected no arguments after check. Run twofa-admin --help for usage.')
      const report = checkDatabaseFile(dbPath, { full: flags.full === true })
      if (!report.ok) throw new AppError('DATABASE_CORRUPT', report.message)
      io.stdout('ok\n')
      return 0
    }
    case 'backup': {
      allowOnly(allFlags, 'backup', [])
      const file = oneFile(positionals, 'backup FILE')
      requireDatabase(dbPath)
      const db = openExisting(dbPath)
      try {
        const result = await backupDatabase(db, file)
        io.stdout(`Backed up ${dbPath} to ${result.path} (${result.bytes} bytes, checked).\n`)
        io.stdout('The secrets key is not in the backup: keep an export of it (twofa-admin key export FILE --passphrase-stdin) apart from it.\n')
      } finally {
        db.close()
      }
      return 0
    }
    case 'restore': {
      allowOnly(allFlags, 'restore', [])
      const file = oneFile(positionals, 'restore FILE')
      // A backup made with another key than the one already here would leave every secret unreadable.
      const keyCheck = existsSync(keyFilePath(dbPath)) ? keyCheckValue(readExistingKeyFile(dbPath)) : undefined
      const result = restoreDatabase(file, dbPath, { now: Date.now(), ...(keyCheck === undefined ? {} : { keyCheck }) })
      io.stdout(`Restored ${dbPath} from ${file}: schema ${result.info.schemaVersion}, audit chain verified (${result.info.auditEntries} entries).\n`)
      if (result.asidePath !== null) io.stdout(`The database it replaced is kept as ${result.asidePath}.\n`)
      if (result.info.keyCheck !== null && !existsSync(keyFilePath(dbPath)) && !existsSync(wrappedKeyFilePath(dbPath))) {
        io.stdout("Next, import the backup's secrets key: twofa-admin key import KEY-EXPORT-FILE --passphrase-stdin\n")
      }
      return 0
    }
    case 'key':
      return keyCommand(positionals, allFlags, dbPath, io)
    default:
      throw new UsageError(`Unknown command "${command}". Run twofa-admin --help for usage.`)
  }
}

async function keyCommand(rest: string[], allFlags: Flags, dbPath: string, io: CliIo): Promise<number> {
  const [sub, ...positionals] = rest
  if (sub === 'export') {
    const flags = allowOnly(allFlags, 'key export', ['passphrase-stdin'])
    const file = oneFile(positionals, 'key export FILE --passphrase-stdin')
    const passphrase = await readPassphrase(flags, io, 'key export')
    exportKeyFile(dbPath, file, passphrase)
    io.stdout(`Exported the secrets key of ${dbPath} to ${file}, sealed with your passphrase. Keep the file, the passphrase and the backups apart.\n`)
    return 0
  }
  if (sub === 'import') {
    const flags = allowOnly(allFlags, 'key import', ['passphrase-stdin'])
    const file = oneFile(positionals, 'key import FILE --passphrase-stdin')
    const passphrase = await readPassphrase(flags, io, 'key import')
    const result = importKeyFile(dbPath, file, passphrase)
    if (!result.written) io.stdout(`The same key is already in place (${result.keyFile}).\n`)
    else io.stdout(`Imported the secrets key to ${result.keyFile}${result.verified ? '; it matches the database' : ' (the database holds no secret yet to check it against)'}.\n`)
    return 0
  }
  throw new UsageError(sub === undefined ? 'Missing key subcommand: key export|import FILE --passphrase-stdin.' : `Unknown command "key ${sub}". Run twofa-admin --help for usage.`)
}
