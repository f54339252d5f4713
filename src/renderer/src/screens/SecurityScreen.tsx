// Account > Security: the distribution of 2FA among users, and enforcement for all.
import { useEffect, useState } from 'react'
import { useShallow } from 'zustand/react/shallow'
import { ConfirmDialog } from '../components/Dialog'
import { DistributionBar } from '../components/DistributionBar'
import { ErrorMessage, SuccessMessage } from '../components/Messages'
import { Page, PageHeader } from '../components/Page'
import { PageState } from '../components/PageState'
import { ENFORCEMENT_LABEL } from '../../../shared/labels'
import { formatDateTime, plural } from '../lib/format'
import { useAppStore } from '../store/context'
import './SecurityScreen.css'

export function SecurityScreen() {
  const { overview, loading, loadError, change } = useAppStore(
    useShallow((s) => ({ overview: s.security.overview, loading: s.security.loading, loadError: s.security.loadError, change: s.security.change }))
  )
  const { load, enforceForAllUsers, revokeEnforcement, clearChange } = useAppStore((s) => s.security.actions)
  const { navigate } = useAppStore((s) => s.nav.actions)
  const [confirming, setConfirming] = useState(false)

  useEffect(() => {
    clearChange()
    void load()
  }, [clearChange, load])

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
  const confirm = () =>
    void (enforced ? revokeEnforcement() : enforceForAllUsers()).then((ok) => {
      if (ok) setConfirming(false)
    })

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

      <section className="card" aria-labelledby="enforcement-heading">
        <h2 id="enforcement-heading">Enforce 2FA activation for all users</h2>
        {enforced ? (
          <p>
            2FA is enforced for all users
            {overview.enforcedSince ? ` since ${formatDateTime(overview.enforcedSince)}` : ''}
            {overview.enforcedBy ? ` (by ${overview.enforcedBy})` : ''}. Users without 2FA have to activate it at their next login and cannot deactivate it.
          </p>
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
        <div>
          <button
            type="button"
            className={enforced ? 'button' : 'button button-primary'}
            onClick={() => {
              clearChange()
              setConfirming(true)
            }}
          >
            {enforced ? ENFORCEMENT_LABEL.revoke : ENFORCEMENT_LABEL.forAll}
          </button>
        </div>
      </section>

      {confirming ? (
        <ConfirmDialog
          title={enforced ? `${ENFORCEMENT_LABEL.revoke} for all users?` : `${ENFORCEMENT_LABEL.forAll}?`}
          confirmLabel={enforced ? 'Revoke' : 'Enforce 2FA'}
          pending={change.pending}
          error={change.error}
          onCancel={() => setConfirming(false)}
          onConfirm={confirm}
        >
          {enforced ? (
            <>
              <p>
                {overview.wouldBecomeInactive === 0
                  ? 'No user will lose a pending 2FA activation.'
                  : `${plural(overview.wouldBecomeInactive, 'user')} will no longer have to activate 2FA at their next login.`}
              </p>
              <p className="muted">Users with active 2FA keep it. Administrators and users enforced individually stay enforced.</p>
            </>
          ) : (
            <>
              <p>
                {overview.wouldBecomePending === 0
                  ? 'No user will newly have to activate 2FA: everyone already has 2FA active or enforced, or is exempt.'
                  : `${plural(overview.wouldBecomePending, 'user')} will have to activate 2FA at their next login.`}
              </p>
              <p className="muted">They will not be able to log in without activating 2FA, nor deactivate it afterwards.</p>
            </>
          )}
        </ConfirmDialog>
      ) : null}
    </Page>
  )
}
