// Account > Security: the distribution of 2FA among users, and enforcement for all.
import { useEffect, useState } from 'react'
import { useShallow } from 'zustand/react/shallow'
import { ConfirmDialog } from '../components/Dialog'
import { DistributionBar } from '../components/DistributionBar'
import { IdleTimeoutSection } from '../components/IdleTimeoutSection'
import { ErrorMessage, SuccessMessage } from '../components/Messages'
import { Page, PageHeader } from '../components/Page'
import { PageState } from '../components/PageState'
import { ENFORCEMENT_LABEL } from '../../../shared/labels'
import { DAY_MS, MAX_GRACE_DAYS, type EnforcementPreview } from '../../../shared/domain'
import { formatDate, formatDateTime, plural } from '../lib/format'
import { useAppStore } from '../store/context'
import { SecurityTrend } from './SecurityTrend'
import { CopyInstructionsForAll } from './UsersSelection'
import './SecurityScreen.css'

export function SecurityScreen() {
  const { overview, loading, loadError, change } = useAppStore(
    useShallow((s) => ({ overview: s.security.overview, loading: s.security.loading, loadError: s.security.loadError, change: s.security.change }))
  )
  const { load, enforceForAllUsers, revokeEnforcement, clearChange, preview, setIdleTimeout, clearIdleTimeout } = useAppStore((s) => s.security.actions)
  const idleTimeout = useAppStore(useShallow((s) => ({ minutes: s.session.idleTimeoutMinutes, status: s.security.idleTimeout })))
  const { navigate } = useAppStore((s) => s.nav.actions)
  const [confirming, setConfirming] = useState<'enforce' | 'revoke' | null>(null)
  const [graceText, setGraceText] = useState('0')
  const graceDays = /^\d{1,3}$/.test(graceText) && Number(graceText) <= MAX_GRACE_DAYS ? Number(graceText) : null
  const [effect, setEffect] = useState<EnforcementPreview | null>(null)
  const previewFor = confirming === 'revoke' ? 'revoke' : confirming === 'enforce' && graceDays !== null ? String(graceDays) : null
  const overviewStamp = overview === null ? null : JSON.stringify(overview.distribution)
  useEffect(() => {
    // The exact effect of what the dialog would do, asked again as the number of days changes.
    if (previewFor === null) {
      setEffect(null)
      return
    }
    let current = true
    void preview(previewFor === 'revoke' ? null : Number(previewFor)).then((answer) => {
      if (current) setEffect(answer)
    })
    return () => {
      current = false
    }
  }, [previewFor, preview, overviewStamp])

  useEffect(() => {
    clearChange()
    clearIdleTimeout()
    void load()
  }, [clearChange, clearIdleTimeout, load])

  const header = <PageHeader breadcrumbs="Account" title="Security" />
  if (!overview) {
    return (
      <Page>
        {header}
        <PageState loading={loading} loadingLabel="Loading the 2FA distribution…" error={loadError} />
      </Page>
    )
  }

  const enforced = overview.enforcedForAll
  const confirm = () => {
    if (confirming === 'enforce' && graceDays === null) return
    void (confirming === 'revoke' ? revokeEnforcement() : enforceForAllUsers(graceDays ?? 0)).then((ok) => {
      if (ok) setConfirming(null)
    })
  }
  const open = (which: 'enforce' | 'revoke') => {
    clearChange()
    setGraceText('0')
    setEffect(null)
    setConfirming(which)
  }
  const d = overview.distribution

  return (
    <Page>
      {header}
      <section className="card" aria-labelledby="distribution-heading">
        <h2 id="distribution-heading">2FA among your users</h2>
        <p className="muted">
          The current distribution of 2FA among {plural(overview.distribution.total, 'user')}. Select a status to see those users.
        </p>
        <DistributionBar distribution={overview.distribution} onSelect={(status) => navigate({ name: 'users', status })} />
      </section>

      <SecurityTrend />

      <section className="card" aria-labelledby="enforcement-heading">
        <h2 id="enforcement-heading">Enforce 2FA activation for all users</h2>
        {enforced ? (
          <>
            <p>
              2FA is enforced for all users
              {overview.enforcedSince ? ` since ${formatDateTime(overview.enforcedSince)}` : ''}
              {overview.enforcedBy ? ` (by ${overview.enforcedBy})` : ''}.{' '}
              {overview.deadline !== null && overview.deadline > Date.now()
                ? `Users without 2FA can still log in until ${formatDate(overview.deadline)}, then they have to activate it.`
                : 'Users without 2FA have to activate it at their next login and cannot deactivate it.'}
            </p>
            <p className="muted">
              {plural(d.pending, 'user')} still {d.pending === 1 ? 'has' : 'have'} to activate 2FA; {plural(d.overdue, 'user')}{' '}
              {d.overdue === 1 ? 'is' : 'are'} overdue.
              {overview.exemptionGroup ? ` Members of ${overview.exemptionGroup.name} are exempt from this enforcement.` : ''}
            </p>
          </>
        ) : (
          <>
            <p>Enforcing 2FA for other users has these consequences:</p>
            <ul className="consequences">
              <li>Users will not be able to log in if they don&apos;t activate 2FA.</li>
              <li>Users will not be able to deactivate 2FA for their personal accounts anymore.</li>
            </ul>
            <p className="muted">Before you enforce 2FA, make sure that your users have one of the supported authenticator apps.</p>
          </>
        )}
        <SuccessMessage message={change.success} />
        {confirming ? null : <ErrorMessage message={change.error} />}
        <div className="button-row">
          {enforced ? (
            <button type="button" className="button" onClick={() => open('enforce')}>
              Change deadline
            </button>
          ) : null}
          <button type="button" className={enforced ? 'button' : 'button button-primary'} onClick={() => open(enforced ? 'revoke' : 'enforce')}>
            {enforced ? ENFORCEMENT_LABEL.revoke : ENFORCEMENT_LABEL.forAll}
          </button>
        </div>
      </section>

      <section className="card" aria-labelledby="instructions-heading">
        <h2 id="instructions-heading">Tell your users</h2>
        <p className="muted">A short text for all users: what 2FA is, which apps work, the deadline if there is one, and how to sign in.</p>
        <CopyInstructionsForAll />
      </section>

      <IdleTimeoutSection minutes={idleTimeout.minutes} status={idleTimeout.status} onSave={(minutes) => void setIdleTimeout(minutes)} onEdit={clearIdleTimeout} />

      {confirming ? (
        <ConfirmDialog
          title={confirming === 'revoke' ? `${ENFORCEMENT_LABEL.revoke} for all users?` : enforced ? 'Change the activation deadline?' : `${ENFORCEMENT_LABEL.forAll}?`}
          confirmLabel={confirming === 'revoke' ? 'Revoke' : enforced ? 'Change deadline' : 'Enforce 2FA'}
          pending={change.pending}
          error={change.error}
          onCancel={() => setConfirming(null)}
          onConfirm={confirm}
        >
          {confirming === 'revoke' ? (
            <>
              <p aria-live="polite">
                {effect === null
                  ? 'Counting…'
                  : effect.wouldNoLongerHaveTo === 0
                    ? 'No user will lose a pending 2FA activation.'
                    : `${plural(effect.wouldNoLongerHaveTo, 'user')} will no longer have to activate 2FA.`}
              </p>
              <p className="muted">Users with active 2FA keep it. Administrators and users enforced individually or by a group stay enforced.</p>
            </>
          ) : (
            <>
              <div className="field field-inline">
                <label htmlFor="grace-days">Users have</label>
                <input
                  id="grace-days"
                  type="number"
                  min={0}
                  max={MAX_GRACE_DAYS}
                  step={1}
                  inputMode="numeric"
                  className="input-days"
                  value={graceText}
                  aria-invalid={graceDays === null}
                  aria-describedby="grace-days-hint"
                  onChange={(event) => setGraceText(event.target.value)}
                />
                <span>days to activate 2FA</span>
              </div>
              <p className={graceDays === null ? 'field-error' : 'field-hint'} id="grace-days-hint">
                {graceDays === null
                  ? `Enter whole days from 0 to ${MAX_GRACE_DAYS}.`
                  : graceDays === 0
                    ? 'No grace period: activation at the next login.'
                    : `Activation due by ${formatDate(Date.now() + graceDays * DAY_MS)}; until then users can log in without 2FA and are reminded each time.`}
              </p>
              <p aria-live="polite">
                {enforced
                  ? `The new deadline applies at once to everyone the enforcement covers, including users who chose Later.${
                      effect === null ? '' : effect.newlyOverdue > 0 ? ` ${plural(effect.newlyOverdue, 'user')} will be overdue at once.` : ' Nobody becomes overdue at once.'
                    }`
                  : effect === null
                    ? 'Counting…'
                    : effect.willHaveToActivate === 0
                      ? 'No user will newly have to activate 2FA: everyone already has 2FA active or enforced, or is exempt.'
                      : `${plural(effect.willHaveToActivate, 'user')} will have to activate 2FA; ${plural(effect.overdueAtOnce, 'user')} ${effect.overdueAtOnce === 1 ? 'is' : 'are'} overdue immediately.`}
              </p>
              <p className="muted">After the deadline they will not be able to log in without activating 2FA, nor deactivate it afterwards.</p>
            </>
          )}
        </ConfirmDialog>
      ) : null}
    </Page>
  )
}
