// What Account > Groups says about a group's enforcement and about the effect
// of a change, in the product's words (the vendor help page: "activate 2FA",
// "at their next login", "Enforce 2FA for all users"). Pure, for the screen,
// the store's success notes and unit tests alike.
import type { GroupMembersResult } from '../../../shared/contract'
import type { EnforcementPreview, GroupSummary } from '../../../shared/domain'
import { ENFORCEMENT_LABEL } from '../../../shared/labels'
import { visibleText } from '../../../shared/text'
import { formatDate, plural } from './format'

export const EXEMPT_LABEL = `Exempt from "${ENFORCEMENT_LABEL.forAll}"`

const count = (n: number) => n.toLocaleString('en-US')

/** A deadline still ahead (a grace period); one that passed means activation at the next login. */
export function isAhead(deadline: number | null, now: number): deadline is number {
  return deadline !== null && deadline > now
}

/** The Enforcement column and the details' header: one line per fact. */
export function enforcementLines(group: Pick<GroupSummary, 'enforced' | 'deadline' | 'exemptFromPolicy'>, now: number): string[] {
  const lines: string[] = []
  if (group.enforced) lines.push(isAhead(group.deadline, now) ? `Enforced, activation due by ${formatDate(group.deadline)}` : 'Enforced')
  if (group.exemptFromPolicy) lines.push(EXEMPT_LABEL)
  return lines.length > 0 ? lines : ['Not enforced']
}

/** "2 will have to activate 2FA, 1 of them at their next login." for users a change makes enforced. */
export function willHaveToActivateText(effect: EnforcementPreview, deadline: number | null, now: number, tense: 'will' | 'now' = 'will'): string | null {
  const n = effect.willHaveToActivate
  const m = effect.overdueAtOnce
  if (n === 0) return null
  const verb = tense === 'will' ? 'will have' : n === 1 ? 'now has' : 'now have'
  const by = isAhead(deadline, now) ? `by ${formatDate(deadline)}` : 'at their next login'
  if (n === 1) return `1 ${verb} to activate 2FA ${m === 1 ? 'at their next login' : by}.`
  const rest = m < n && isAhead(deadline, now) ? ` ${m === 0 ? 'They have' : n - m === 1 ? 'The other has' : 'The others have'} until ${formatDate(deadline)}.` : ''
  return `${count(n)} ${verb} to activate 2FA, ${count(m)} of them at their next login.${rest}`
}

export function noLongerText(effect: EnforcementPreview, tense: 'will' | 'now' = 'will'): string | null {
  const k = effect.wouldNoLongerHaveTo
  if (k === 0) return null
  return `${count(k)} ${tense === 'will' ? 'will no longer have' : k === 1 ? 'no longer has' : 'no longer have'} to activate 2FA.`
}

/** The sentences of a members change's effect on 2FA; "nothing changes" when there is none. */
export function effectSentences(effect: EnforcementPreview, deadline: number | null, now: number, tense: 'will' | 'now' = 'will'): string[] {
  const sentences = [willHaveToActivateText(effect, deadline, now, tense), noLongerText(effect, tense)].filter((line): line is string => line !== null)
  return sentences.length > 0 ? sentences : [tense === 'will' ? "Nobody's 2FA changes: no one will newly have to activate it, and no one stops having to." : "Nobody's 2FA changed."]
}

/** The dry run of Add members (or of a removal), before its confirm button. */
export function membersCheckSummary(result: GroupMembersResult, kind: 'add' | 'remove'): string {
  const name = visibleText(result.group.name)
  if (kind === 'add') {
    const already = result.unchanged > 0 ? ` (${plural(result.unchanged, 'is already a member', 'are already members')})` : ''
    if (result.changed === 0) return `All of them are already members of ${name}: nothing changes.`
    return `${plural(result.changed, 'user')} will be added to ${name}${already}.`
  }
  if (result.changed === 0) return `Not a member of ${name}: nothing changes.`
  return `${plural(result.changed, 'member')} will be removed from ${name}.`
}

/** The confirmation of removing one member, from the dry run: what it does to their 2FA. */
export function removalText(person: string, result: GroupMembersResult): string {
  const group = visibleText(result.group.name)
  if (result.changed === 0) return `${person} is not a member of ${group} (any more): nothing changes.`
  if (result.effect.wouldNoLongerHaveTo > 0) return `${person} will no longer have to activate 2FA.`
  if (result.effect.willHaveToActivate > 0) return `${person} will have to activate 2FA${result.effect.overdueAtOnce > 0 ? ' at their next login' : ''}: this group exempts them from "${ENFORCEMENT_LABEL.forAll}".`
  return `${person}'s 2FA does not change.`
}

/** The note once members were added or removed. */
export function membersChangedMessage(result: GroupMembersResult, kind: 'add' | 'remove'): string {
  const name = visibleText(result.group.name)
  const done = kind === 'add' ? `Added ${plural(result.changed, 'member')} to ${name}.` : `Removed ${plural(result.changed, 'member')} from ${name}.`
  if (result.changed === 0) return kind === 'add' ? `Nothing changed: they were already members of ${name}.` : `Nothing changed: not a member of ${name}.`
  const effect = [willHaveToActivateText(result.effect, result.group.deadline, Date.now(), 'now'), noLongerText(result.effect, 'now')].filter(Boolean)
  return [done, ...effect].join(' ')
}

/** The note once the group's enforcement (or its deadline) is set. */
export function enforcedMessage(group: GroupSummary, wasEnforced: boolean): string {
  const name = visibleText(group.name)
  const when = isAhead(group.deadline, Date.now()) ? `by ${formatDate(group.deadline)}` : 'at their next login'
  return wasEnforced ? `The deadline for ${name} changed: members without 2FA have to activate it ${when}.` : `2FA is now enforced for ${name}. Members without 2FA have to activate it ${when}.`
}

export function exemptionMessage(name: string, exempt: boolean): string {
  return exempt ? `${visibleText(name)} is now exempt from "${ENFORCEMENT_LABEL.forAll}".` : `${visibleText(name)} is no longer exempt from "${ENFORCEMENT_LABEL.forAll}".`
}

/** The enforce confirmation: exactly who previewEnforcement says. */
export function enforcePreviewText(preview: EnforcementPreview): string {
  const n = preview.willHaveToActivate
  const m = preview.overdueAtOnce
  if (n === 0) return 'No user will newly have to activate 2FA: every member already has 2FA active or enforced, or is exempt.'
  return `${plural(n, 'user')} will have to activate 2FA; ${count(m)} of them ${m === 1 ? 'is' : 'are'} overdue immediately.`
}

export function revokePreviewText(preview: EnforcementPreview): string {
  const n = preview.wouldNoLongerHaveTo
  return n === 0 ? 'No user will lose a pending 2FA activation.' : `${plural(n, 'user')} will no longer have to activate 2FA.`
}

/** The deadline a grace period gives from now: "at their next login" for none. */
export function graceDeadlineText(graceDays: number, now: number): string {
  return graceDays === 0 ? 'at their next login' : `by ${formatDate(now + graceDays * 86_400_000)}`
}
