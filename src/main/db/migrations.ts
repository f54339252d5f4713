// Numbered schema steps. Each bumps PRAGMA user_version; all pending steps run
// in one transaction, and a database written by a newer app is refused.
import { AppError } from '../../shared/errors'
import { APPLICATION_ID, type Database } from './sqlite'
import type { Migration } from './migrations/migration'
import { directory } from './migrations/001-directory'
import { classesAndSearch } from './migrations/002-classes-and-search'
import { auditVerification } from './migrations/003-audit-verification'
import { userKeyChanges } from './migrations/004-user-key-changes'
import { lockoutLevels } from './migrations/005-lockout-levels'
import { directorySources } from './migrations/006-directory-sources'
import { radiusClients } from './migrations/007-radius-clients'
import { groupsAndDeadlines } from './migrations/008-groups-and-deadlines'
import { temporaryPasses } from './migrations/009-temporary-passes'
import { distributionHistory } from './migrations/010-distribution-history'
import { directoryGroups } from './migrations/011-directory-groups'
import { userFilters } from './migrations/012-user-filters'
import { searchShapes } from './migrations/013-search-shapes'
import { administratorsIndex } from './migrations/014-administrators-index'
import { narrowSearchCovers } from './migrations/015-narrow-search-covers'
import { localPartEnds } from './migrations/016-local-part-ends'
import { classWalkCovers } from './migrations/017-class-walk-covers'
import { guessGenerations } from './migrations/018-guess-generations'
import { domainCounts } from './migrations/019-domain-counts'
import { nameWords } from './migrations/020-name-words'
import { wordEnds } from './migrations/021-word-ends'
import { wordsByEmail } from './migrations/022-words-by-email'

export type { Migration } from './migrations/migration'

/** Every step, in order. A new step is a file in migrations/ and one line here. */
export const MIGRATIONS: readonly Migration[] = [directory, classesAndSearch, auditVerification, userKeyChanges, lockoutLevels, directorySources, radiusClients, groupsAndDeadlines, temporaryPasses, distributionHistory, directoryGroups, userFilters, searchShapes, administratorsIndex, narrowSearchCovers, localPartEnds, classWalkCovers, guessGenerations, domainCounts, nameWords, wordEnds, wordsByEmail]

export const LATEST_VERSION = MIGRATIONS[MIGRATIONS.length - 1]?.version ?? 0

export function schemaVersion(db: Database): number {
  return db.pragma('user_version', { simple: true }) as number
}

/** Refuses a database written by a newer app, before anything is written to it. */
export function assertNotNewer(db: Database, migrations: readonly Migration[] = MIGRATIONS): void {
  const latest = migrations[migrations.length - 1]?.version ?? 0
  const current = schemaVersion(db)
  if (current > latest) {
    throw new AppError(
      'DATABASE_TOO_NEW',
      `This database was written by a newer version of 2FA Admin (schema ${current}; this app knows up to ${latest}). Update the app; nothing was changed.`
    )
  }
}

export function migrate(db: Database, migrations: readonly Migration[] = MIGRATIONS): void {
  assertIncreasing(migrations)
  assertNotNewer(db, migrations)
  const current = schemaVersion(db)
  const pending = migrations.filter((step) => step.version > current)
  if (pending.length === 0) return
  db.transaction(() => {
    for (const step of pending) {
      step.up(db)
      db.pragma(`user_version = ${step.version}`)
    }
    db.pragma(`application_id = ${APPLICATION_ID}`)
  }).immediate()
}

function assertIncreasing(migrations: readonly Migration[]): void {
  migrations.forEach((step, index) => {
    const previous = index === 0 ? 0 : (migrations[index - 1]?.version ?? 0)
    if (!Number.isInteger(step.version) || step.version <= previous) {
      throw new Error(`Migration versions must increase: ${step.version} follows ${previous}.`)
    }
  })
}
