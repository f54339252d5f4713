// twofa-admin import users FILE: people in from a spreadsheet. The file is
// streamed through the core's import (src/main/core/user-import): all rows or
// none, every problem listed with its line, --dry-run to see first.
import { IMPORT_COLUMNS } from '../../shared/contract/user-import'
import type { ImportOutcome } from '../../main/core/user-import/run-import'
import { allowOnly, expectPositionals, UsageError, type Flags } from '../args'
import type { CliIo } from '../io'
import { withCore } from '../run-core'

export const IMPORT_USAGE = `  import users FILE [--dry-run] [--json] [--ignore-unknown-columns]
                                         create and update users from a CSV file with a header row:
                                         ${IMPORT_COLUMNS.join(', ')} (email required; role admin|user,
                                         enforce yes|no|inherit, disabled yes|no). All rows or none.`

export async function importCommand(rest: string[], allFlags: Flags, dbPath: string, io: CliIo): Promise<number> {
  const [what, ...positionals] = rest
  if (what !== 'users') throw new UsageError(what === undefined ? 'import needs what to import: import users FILE.' : `Cannot import "${what}": use import users FILE.`)
  const flags = allowOnly(allFlags, 'import users', ['dry-run', 'json', 'ignore-unknown-columns'])
  const [file] = expectPositionals(positionals, 1, 'the CSV file: import users FILE')
  return withCore(dbPath, async (core) => {
    // Progress on standard error, only for a person at a terminal, at most every half second.
    let shown = 0
    const interactive = io.interactive === true
    const outcome = await core.local.importUsersFromFile(file as string, {
      dryRun: flags['dry-run'] === true,
      ignoreUnknownColumns: flags['ignore-unknown-columns'] === true,
      onProgress: (done, total) => {
        if (!interactive || Date.now() - shown < 500) return
        shown = Date.now()
        io.stderr(total === 0 ? `Reading: ${done} rows\n` : `Applying: ${done} of ${total} rows\n`)
      }
    })
    if (flags.json) {
      const { created, updated, unchanged, errors } = outcome
      await io.stdout(`${JSON.stringify({ created, updated, unchanged, errors })}\n`)
    } else {
      await io.stdout(describe(outcome))
    }
    return outcome.errorsTotal === 0 ? 0 : 1
  })
}

function describe(outcome: ImportOutcome): string {
  const counts = `${outcome.created} to create, ${outcome.updated} to update, ${outcome.unchanged} unchanged`
  if (outcome.errorsTotal > 0) {
    const lines = outcome.errors.map((problem) => `  line ${problem.line}${problem.email === '' ? '' : ` (${problem.email})`}: ${problem.message}\n`)
    const problems = outcome.errorsTotal === 1 ? '1 problem' : `${outcome.errorsTotal} problems`
    return `Nothing was imported: the file has ${problems}. Fix ${outcome.errorsTotal === 1 ? 'it' : 'them'} and import again.\n${lines.join('')}`
  }
  if (outcome.dryRun) return `Dry run of ${outcome.rows} rows: ${counts}. Nothing was changed.\n`
  return `Imported ${outcome.rows} rows: ${outcome.created} created, ${outcome.updated} updated, ${outcome.unchanged} unchanged.${
    outcome.created > 0 ? ' New users have no password yet: set one with "twofa-admin user set-password".' : ''
  }\n`
}
