// The Users filters beyond the 2FA status and the group (issue 13): role,
// locked, disabled, why 2FA is enforced, where users come from, few recovery
// codes left. Why 2FA is enforced narrows the classes a list reads (an
// individual enforcement is an `always` or `active` class, the policy an
// `inherit` or `active` class whose group set is enforced); every filter is
// also a row test on the user's own columns (db/row-filter-repo.ts).
//
// A narrow test (locked, disabled, an administrator, an individual
// enforcement or exemption, from a CSV import or the directory, few recovery
// codes) holds few users in practice and has a partial index: its pages and
// its exact count read only its rows. A broad test is the complement of a
// narrow one (not locked, enabled, a user, following the policy, added here):
// its pages filter the order's index, and its count is the list's without it
// less the narrow set's, by inclusion and exclusion over the broad tests (at
// most 2^5 counts of small sets). Lists with row tests jump to a position by
// stepping from the start (the signposts know only names, emails, roles and
// classes); see docs/PERFORMANCE.md.
import type { UserListFilter } from '../../../shared/contract'
import type { TwoFactorClass } from '../../../shared/domain'
import type { Database } from '../../db/connection'
import type { ClassFilter, RowTest } from '../../db/listing-repo'
import * as rowFilterRepo from '../../db/row-filter-repo'
import { classStanding, parseClass, type EnforcementPolicy } from '../enforcement/rules'

export type RowQuestion = Pick<UserListFilter, 'role' | 'locked' | 'disabled' | 'enforcementSource' | 'source' | 'fewRecoveryCodes'>

/** The row tests of a question's filters, in a fixed order (so the statement text is one of few). */
export function rowTestsOf(question: RowQuestion): RowTest[] {
  const tests: RowTest[] = []
  if (question.enforcementSource !== undefined) tests.push(question.enforcementSource)
  if (question.role !== undefined) tests.push(question.role)
  if (question.locked !== undefined) tests.push(question.locked ? 'locked' : 'notLocked')
  if (question.disabled !== undefined) tests.push(question.disabled ? 'disabled' : 'enabled')
  if (question.source !== undefined) tests.push(question.source === 'local' ? 'local' : question.source)
  if (question.fewRecoveryCodes === true) tests.push('fewRecoveryCodes')
  // A narrow test first: its partial index is the one the list reads.
  return [...new Set(tests)].sort((a, b) => Number(rowFilterRepo.isNarrow(b)) - Number(rowFilterRepo.isNarrow(a)))
}

/** Whether a class can hold users of an enforcement source (the row test then picks them). */
export function classMayHold(twoFactor: TwoFactorClass, source: NonNullable<RowQuestion['enforcementSource']>, policy: EnforcementPolicy): boolean {
  const { base, groupSet } = parseClass(twoFactor)
  switch (source) {
    case 'admin':
    case 'individual':
      return base === 'active' || base === 'always'
    case 'exempt':
      return base === 'active' || base === 'exempt'
    case 'policy':
      // Enforced by the policy or a group: what a user of the set who follows them and has no 2FA is.
      return (base === 'active' || base === 'inherit') && classStanding(groupSet === 0 ? 'inherit' : `inherit@${groupSet}`, policy).status === 'pending'
  }
}

/**
 * The exact number of users a filter with row tests holds. With a narrow
 * test, one count of its partial index; with broad tests only, the classes'
 * count (`countClasses`, from the counters) less and plus the counts of the
 * complements' small sets.
 */
export function countWithRowTests(db: Database, filter: ClassFilter, countClasses: (filter: ClassFilter) => number): number {
  const rows = filter.rows
  if (rows === undefined || rows.tests.length === 0) return countClasses(filter)
  if (filter.classes !== null && filter.classes.length === 0) return 0
  if (rows.tests.some(rowFilterRepo.isNarrow)) return rowFilterRepo.countNarrow(db, filter)
  const complements = [...new Set(rows.tests.map((test) => rowFilterRepo.BROAD[test as rowFilterRepo.BroadTest].complement))]
  let total = 0
  for (let mask = 0; mask < 1 << complements.length; mask++) {
    const chosen = complements.filter((_, bit) => (mask & (1 << bit)) !== 0)
    const sign = chosen.length % 2 === 0 ? 1 : -1
    total += sign * (chosen.length === 0 ? countClasses({ ...filter, rows: undefined }) : rowFilterRepo.countNarrow(db, { ...filter, rows: { tests: chosen, now: rows.now } }))
  }
  return total
}
