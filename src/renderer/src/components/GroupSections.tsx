// Account > Groups > a group, the pure parts of its details: the enforcement
// section, the exemption from "Enforce 2FA for all users", and what the
// confirmations of Remove, Revoke enforcement and Delete group say.
import { useEffect, useId, useState, type ReactNode } from 'react'
import type { EnforcementPreview, GroupSummary, UserRow } from '../../../shared/domain'
import { ENFORCEMENT_LABEL } from '../../../shared/labels'
import { visibleText } from '../../../shared/text'
import { EXEMPT_LABEL, isAhead, removalText, revokePreviewText } from '../lib/group-wording'
import { formatDate, formatDateTime, plural } from '../lib/format'
import type { GroupCheck, PolicyFacts } from '../store/slices/group-details'
import { GroupDistribution } from './Groups'
import './Groups.css'

interface EnforcementSectionProps {
  group: GroupSummary
  now: number
  busy: boolean
  onEnforce: () => void
  onRevoke: () => void
  /** The exemption from "Enforce 2FA for all users", in the same card. */
  children?: ReactNode
}

export function GroupEnforcementSection({ group, now, busy, onEnforce, onRevoke, children }: EnforcementSectionProps) {
  const name = visibleText(group.name)
  return (
    <section className="card" aria-labelledby="group-enforcement-heading">
      <h2 id="group-enforcement-heading">Enforce 2FA activation for this group</h2>
      <GroupDistribution distribution={group.distribution} label={`2FA among the ${plural(group.members, 'member')} of ${name}`} />
      {group.enforced ? (
        <p>
          2FA is enforced for this group
          {group.enforcedAt !== null ? ` since ${formatDateTime(group.enforcedAt)}` : ''}
          {group.enforcedBy ? ` (by ${visibleText(group.enforcedBy)})` : ''}.{' '}
          {isAhead(group.deadline, now)
            ? `Members without 2FA have to activate it by ${formatDate(group.deadline)}; they cannot deactivate it.`
            : 'Members without 2FA have to activate it at their next login and cannot deactivate it.'}
        </p>
      ) : (
        <>
          <p>Enforcing 2FA for the members has these consequences:</p>
          <ul className="consequences">
            <li>Users will not be able to log in if they don&apos;t activate 2FA (after the days you give them to do so).</li>
            <li>Users will not be able to deactivate 2FA for their personal accounts anymore.</li>
          </ul>
        </>
      )}
      <div className="group-section-actions">
        {group.enforced ? (
          <>
            <button type="button" className="button" disabled={busy} onClick={onEnforce}>
              Change deadline
            </button>
            <button type="button" className="button" disabled={busy} onClick={onRevoke}>
              {ENFORCEMENT_LABEL.revoke}
            </button>
          </>
        ) : (
          <button type="button" className="button button-primary" disabled={busy} onClick={onEnforce}>
            Enforce 2FA for this group
          </button>
        )}
      </div>
      {children}
    </section>
  )
}

function exemptionHint(group: GroupSummary, policy: PolicyFacts | null): string {
  const now = policy === null ? '' : policy.enforcedForAll ? ' (it is on now)' : ' (it is off now)'
  if (group.exemptFromPolicy) {
    return `This is the exemption group: its members don't have to activate 2FA when it is enforced for all users${now}. Enforcing 2FA for this group, for a user or for administrators still applies to them.`
  }
  const other = policy?.exemptionGroup
  if (other) return `The exemption group is ${visibleText(other.name)}. Only one group can be exempt: this one would replace it.`
  return `No group is exempt. The members of the exemption group don't have to activate 2FA when it is enforced for all users${now}.`
}

/** The switch that makes this group the exemption group of "Enforce 2FA for all users" (or no longer). */
/** What turning the switch would do, in exact counts from previewEnforcement. */
export function exemptionEffectText(exempt: boolean, effect: EnforcementPreview | null): string | null {
  if (effect === null) return null
  const turning = exempt ? 'Turning this off' : 'Turning this on'
  if (effect.wouldNoLongerHaveTo > 0) return `${turning}: ${plural(effect.wouldNoLongerHaveTo, 'user')} would no longer have to activate 2FA.`
  if (effect.willHaveToActivate > 0) {
    return `${turning}: ${plural(effect.willHaveToActivate, 'user')} would have to activate 2FA, ${effect.overdueAtOnce.toLocaleString('en-US')} of them at their next login.`
  }
  return `${turning} changes nobody's 2FA now.`
}

export function GroupExemption({
  group,
  policy,
  pending,
  effect,
  onChange
}: {
  group: GroupSummary
  policy: PolicyFacts | null
  pending: boolean
  effect: EnforcementPreview | null
  onChange: (exempt: boolean) => void
}) {
  const id = useId()
  // What was asked shows while the app answers (and "Confirm it's you" may ask first); then what it answered.
  const [requested, setRequested] = useState<boolean | null>(null)
  useEffect(() => {
    if (!pending) setRequested(null)
  }, [pending])
  return (
    <div className="group-exemption" role="group" aria-labelledby={`${id}-heading`}>
      <h3 id={`${id}-heading`}>{ENFORCEMENT_LABEL.forAll}</h3>
      <div className="group-exempt-switch">
        <input
          id={id}
          type="checkbox"
          role="switch"
          checked={requested ?? group.exemptFromPolicy}
          aria-disabled={pending ? true : undefined}
          aria-describedby={`${id}-hint`}
          onChange={(event) => {
            if (pending) return
            setRequested(event.target.checked)
            onChange(event.target.checked)
          }}
        />
        <div>
          <label htmlFor={id}>{EXEMPT_LABEL}</label>
          <span className="field-hint" id={`${id}-hint`}>
            {exemptionHint(group, policy)}
            {exemptionEffectText(group.exemptFromPolicy, effect) === null ? null : ` ${exemptionEffectText(group.exemptFromPolicy, effect)}`}
          </span>
        </div>
      </div>
    </div>
  )
}

export function RemoveMemberBody({ user, checked }: { user: UserRow; checked: GroupCheck | null }) {
  if (checked?.kind !== 'remove') return null
  const person = visibleText(user.name)
  return (
    <>
      <p>
        {person} ({visibleText(user.email)}) stays a user; only their membership of {visibleText(checked.result.group.name)} ends.
      </p>
      <p>
        <strong>{removalText(person, checked.result)}</strong>
      </p>
    </>
  )
}

export function RevokeBody({ checked }: { checked: GroupCheck | null }) {
  if (checked?.kind !== 'revoke') return null
  return (
    <>
      <p>
        <strong>{revokePreviewText(checked.preview)}</strong>
      </p>
      <p className="muted">Users with active 2FA keep it. Members enforced another way (as administrators, individually, by another group or for all users) stay enforced.</p>
    </>
  )
}

export function DeleteGroupBody({ group, policy, checked }: { group: GroupSummary; policy: PolicyFacts | null; checked: GroupCheck | null }) {
  return (
    <>
      <p>{`${group.members === 1 ? 'Its one member stays a user' : `Its ${plural(group.members, 'member')} stay users`}: only the group goes. This cannot be undone.`}</p>
      {group.enforced && checked?.kind === 'revoke' ? (
        <p>
          <strong>{revokePreviewText(checked.preview)}</strong>
        </p>
      ) : null}
      {group.exemptFromPolicy ? (
        <p>
          <strong>
            {`It is the exemption group: its members will no longer be left out of "${ENFORCEMENT_LABEL.forAll}"`}
            {policy?.enforcedForAll ? ', which is on: those without 2FA will have to activate it.' : '.'}
          </strong>
        </p>
      ) : null}
    </>
  )
}
