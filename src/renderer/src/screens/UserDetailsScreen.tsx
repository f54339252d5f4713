// User details: opened by clicking a name in Account > Users.
import { useEffect, useState } from 'react'
import { useShallow } from 'zustand/react/shallow'
import { ConfirmDialog } from '../components/Dialog'
import { Page, PageHeader } from '../components/Page'
import { PageState } from '../components/PageState'
import { StatusShield } from '../components/StatusShield'
import { UserProfileForm } from '../components/UserProfileForm'
import { UserSecuritySection } from '../components/UserSecuritySection'
import { formatDateTime, ROLE_LABEL, statusDetails } from '../lib/format'
import { useAppStore } from '../store/context'
import './UserDetailsScreen.css'
import { visibleText } from '../../../shared/text'

export function UserDetailsScreen({ userId }: { userId: number }) {
  const { user, loading, loadError, actions } = useAppStore(
    useShallow((s) => ({ user: s.userDetails.user, loading: s.userDetails.loading, loadError: s.userDetails.loadError, actions: s.userDetails.actionStatus }))
  )
  const { load, saveProfile, saveEnforcement, resetTwoFactor, unlock, clearAction } = useAppStore((s) => s.userDetails.actions)
  const { navigate } = useAppStore((s) => s.nav.actions)
  const [confirmingReset, setConfirmingReset] = useState(false)

  useEffect(() => {
    void load(userId)
  }, [load, userId])

  const backToUsers = (
    <button type="button" className="link-button back-link" onClick={() => navigate({ name: 'users' })}>
      ← Back to the user list
    </button>
  )

  if (!user || user.id !== userId) {
    return (
      <Page>
        {backToUsers}
        <PageState loading={loading} loadingLabel="Loading user…" error={loadError} />
      </Page>
    )
  }

  // Remount the forms when the app sends a new version of the user, so they show what was saved.
  const version = `${user.id}-${user.updatedAt}-${user.enforced}-${user.status}`
  return (
    <Page>
      {backToUsers}
      <PageHeader
        className="user-heading"
        breadcrumbs="Account › Users"
        title={
          <>
            {visibleText(user.name)}
            <StatusShield status={user.status} details={statusDetails(user)} size={24} align="start" />
            {user.locked ? <span className="badge badge-danger">Locked</span> : null}
            {user.disabled ? <span className="badge">Disabled</span> : null}
          </>
        }
        subtitle={`${visibleText(user.email)} · ${ROLE_LABEL[user.role]} · created ${formatDateTime(user.createdAt)}`}
      />

      <div className="details-grid">
        <section className="card" aria-labelledby="profile-heading">
          <h2 id="profile-heading">Profile</h2>
          <UserProfileForm
            key={version}
            user={user}
            pending={actions.profile.pending}
            error={actions.profile.error}
            success={actions.profile.success}
            onSave={(input) => void saveProfile(input)}
          />
        </section>

        <UserSecuritySection
          key={`security-${version}`}
          user={user}
          save={actions.security}
          reset={confirmingReset ? { ...actions.reset, error: null } : actions.reset}
          unlock={actions.unlock}
          onSave={(enforce) => void saveEnforcement(enforce)}
          onReset={() => {
            clearAction('reset')
            setConfirmingReset(true)
          }}
          onUnlock={() => void unlock()}
        />
      </div>

      {confirmingReset ? (
        <ConfirmDialog
          title={`Reset 2FA for ${user.name}?`}
          confirmLabel="Reset"
          tone="danger"
          pending={actions.reset.pending}
          error={actions.reset.error}
          onCancel={() => setConfirmingReset(false)}
          onConfirm={() =>
            void resetTwoFactor().then((ok) => {
              if (ok) setConfirmingReset(false)
            })
          }
        >
          <p>Use this when {user.name} has lost or replaced their phone and can no longer get authentication codes.</p>
          <p>
            Their authenticator secret and all recovery codes are deleted at once. {user.enforced ? 'Because 2FA is enforced for them, they will have to activate 2FA again at their next login.' : 'They can activate 2FA again from My account.'}
          </p>
        </ConfirmDialog>
      ) : null}
    </Page>
  )
}
