// Which 2FA classes a list holds. A class is a base class and a group set
// (migration 8), and its status comes from the enforcement settings of the
// moment (the policy, the enforced groups and their deadlines), so a filter
// by status, by "overdue" or by group is a choice among the classes in use:
// as many as there are combinations of groups in use, never as many as users.
import type { TwoFactorClass, TwoFactorFilter } from '../../../shared/domain'
import * as groupsRepo from '../../db/groups-repo'
import * as listingRepo from '../../db/listing-repo'
import type { ClassCounts, ClassFilter } from '../../db/listing-repo'
import type { Database } from '../../db/sqlite'
import { classStanding, isDue, parseClass, type EnforcementPolicy } from '../enforcement/rules'
import type { ArmSource } from './keyset'
import { classMayHold, countWithRowTests, rowTestsOf, type RowQuestion } from './row-filters'

export interface ClassQuestion extends RowQuestion {
  status?: TwoFactorFilter
  groupId?: number
  now: number
}

/** Whether every user of a class is in the filter: true, false, or 'per-user' (the overdue part of an `always` class). */
export function classInFilter(twoFactor: TwoFactorClass, status: TwoFactorFilter, policy: EnforcementPolicy, now: number): boolean | 'per-user' {
  const standing = classStanding(twoFactor, policy)
  if (status !== 'overdue') return standing.status === status
  if (standing.status !== 'pending') return false
  return standing.deadline === 'per-user' ? 'per-user' : isDue(standing.deadline, now)
}

export function classFilter(counts: ClassCounts, policy: EnforcementPolicy, question: ClassQuestion, setsWithGroup: ReadonlySet<number> | null): ClassFilter {
  const tests = rowTestsOf(question)
  const rows = tests.length === 0 ? {} : { rows: { tests, now: question.now } }
  if (question.status === undefined && setsWithGroup === null && question.enforcementSource === undefined) return { ...listingRepo.ALL_CLASSES, ...rows }
  const classes: TwoFactorClass[] = []
  let perUser = false
  for (const twoFactor of counts.keys()) {
    if (setsWithGroup !== null && !setsWithGroup.has(parseClass(twoFactor).groupSet)) continue
    if (question.enforcementSource !== undefined && !classMayHold(twoFactor, question.enforcementSource, policy)) continue
    if (question.status !== undefined) {
      const inFilter = classInFilter(twoFactor, question.status, policy, question.now)
      if (inFilter === false) continue
      if (inFilter === 'per-user') perUser = true
    }
    classes.push(twoFactor)
  }
  return { classes, dueBy: perUser ? question.now : null, ...rows }
}

/** The classes a list reads, from the counters and the enforcement settings of this snapshot. */
export function armSource(db: Database, policy: EnforcementPolicy, question: ClassQuestion): ArmSource & { counts: ClassCounts } {
  const counts = listingRepo.readClassCounts(db)
  const sets = question.groupId === undefined ? null : new Set(groupsRepo.setsWithGroup(db, question.groupId))
  return { filter: classFilter(counts, policy, question, sets), inUse: [...counts.keys()], policy, counts }
}

/** Exact number of users a filter holds: the counters, less those of `always` classes still in grace when only the overdue are wanted. */
export function countInFilter(db: Database, source: ArmSource & { counts: ClassCounts }, now: number): number {
  return countWithRowTests(db, source.filter, (filter) => countOfClassFilter(db, source.counts, filter, now))
}

function countOfClassFilter(db: Database, counts: ClassCounts, filter: ClassFilter, now: number): number {
  const total = listingRepo.countOfClasses(counts, filter.classes)
  if (filter.dueBy === null || filter.classes === null) return total
  const always = filter.classes.filter((twoFactor) => parseClass(twoFactor).base === 'always')
  return total - groupsRepo.countIndividualInGrace(db, always, now)
}
