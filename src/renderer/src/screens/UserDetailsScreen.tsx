// User details: opened by clicking a name in Account > Users.
import { useEffect, useState } from 'react'
import { useShallow } from 'zustand/react/shallow'
import { ConfirmDialog } from '../components/Dialog'
import { IssueTemporaryPassDialog } from '../components/IssueTemporaryPassDialog'
import { Page, PageHeader } from '../components/Page'
import { PageState } from '../components/PageState'
import { StatusShield } from '../components/StatusShield'
import { TemporaryPassSection } from '../components/TemporaryPassSection'
import { UserProfileForm } from '../components/UserProfileForm'
import { GeneratedPasswordDialog } from '../components/GeneratedPasswordDialog'
import { SetPasswordDialog, UserPasswordSection } from '../components/UserPasswordSection'
import { UserSecuritySection } from '../components/UserSecuritySection'
import { formatDateTime, ROLE_LABEL, statusDetails } from '../lib/format'
import { useAppStore } from '../store/context'
import './UserDetailsScreen.css'
import { visibleText } from '../../../shared/text'

export function UserDetailsScreen({ userId }: { userId: number }) {
  const { user, loading, loadError, actions, formVersion } = useAppStore(
    useShallow((s) => ({
      user: s.userDetails.user,
      loading: s.userDetails.loading,
      loadError: s.userDetails.loadError,
      actions: s.userDetails.actionStatus,
      formVersion: s.userDetails.formVersion
    }))
  )
  const { load, saveProfile, saveEnforcement, resetTwoFactor, unlock, setPassword, generatePassword, clearAction } = useAppStore((s) => s.userDetails.actions)
  const { navigate } = useAppStore((s) => s.nav.actions)
  const meId = useAppStore((s) => s.session.me?.id ?? null)
  const [confirmingReset, setConfirmingReset] = useState(false)
  const [settingPassword, setSettingPassword] = useState(false)
  // A password the app generated: shown once in its dialog, then gone.
  const [generated, setGenerated] = useState<string | null>(null)
  const [issuingPass, setIssuingPass] = useState(false)
  const pass = useAppStore(
    useShallow((s) => ({ issued: s.temporaryPass.issued, issue: s.temporaryPass.issueStatus, revoke: s.temporaryPass.revokeStatus, inPerson: s.inPerson.status }))
  )
  const passActions = useAppStore((s) => s.temporaryPass.actions)
  const { start: enrollInPerson } = useAppStore((s) => s.inPerson.actions)

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

  // A form starts afresh once its own change went through. A newer version of the user
  // (changed elsewhere, see slices/changes.ts) keeps it: it shows the new facts and the unsaved edits.
  const profileKey = `${user.id}-${formVersion.profile}`
  const securityKey = `security-${user.id}-${formVersion.security}`
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
            key={profileKey}
            user={user}
            pending={actions.profile.pending}
            error={actions.profile.error}
            errorField={actions.profile.field ?? null}
            success={actions.profile.success}
            isSelf={user.id === meId}
            onSave={(input) => void saveProfile(input)}
          />
          <UserPasswordSection
            user={user}
            status={actions.password}
            onSetPassword={() => {
              clearAction('password')
              setSettingPassword(true)
            }}
          />
        </section>

        <UserSecuritySection
          key={securityKey}
          user={user}
          save={actions.security}
          reset={confirmingReset ? { ...actions.reset, error: null } : actions.reset}
          unlock={actions.unlock}
          onSave={(enforce, graceDays) => void saveEnforcement(enforce, graceDays)}
          onReset={() => {
            clearAction('reset')
            setConfirmingReset(true)
          }}
          onUnlock={() => void unlock()}
          onEdit={() => clearAction('security')}
        >
          <TemporaryPassSection
            user={user}
            issue={pass.issue}
            revoke={pass.revoke}
            inPerson={pass.inPerson}
            onIssue={() => {
              passActions.clear()
              setIssuingPass(true)
            }}
            onRevoke={() => void passActions.revoke(user.id)}
            onEnrollInPerson={() => void enrollInPerson(user.id)}
          />
        </UserSecuritySection>
      </div>

      {settingPassword ? (
        <SetPasswordDialog
          user={user}
          pending={actions.password.pending}
          error={actions.password.error}
          errorField={actions.password.field ?? null}
          onCancel={() => setSettingPassword(false)}
          onSubmit={(password) =>
            void setPassword(password).then((ok) => {
              if (ok) setSettingPassword(false)
            })
          }
          onGenerate={() =>
            void generatePassword().then((password) => {
              if (password === null) return
              setSettingPassword(false)
              setGenerated(password)
            })
          }
        />
      ) : null}

      {generated !== null ? <GeneratedPasswordDialog title="New password" kind="new" user={user} password={generated} onDone={() => setGenerated(null)} /> : null}

      {issuingPass ? (
        <IssueTemporaryPassDialog
          user={{ name: user.name, hasActivePass: user.temporaryPass !== null }}
          issued={pass.issued}
          pending={pass.issue.pending}
          error={pass.issue.error}
          onIssue={(hours, singleUse) => void passActions.issue(user.id, hours, singleUse)}
          onClose={() => {
            // The pass leaves the screen with its dialog, for good.
            passActions.dismiss()
            setIssuingPass(false)
          }}
        />
      ) : null}

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
