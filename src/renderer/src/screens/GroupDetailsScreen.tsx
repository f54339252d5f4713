// Account > Groups > a group: its members (Add members, Remove), Enforce 2FA
// for this group with a grace period (Change deadline, Revoke enforcement),
// the exemption from "Enforce 2FA for all users", and Delete group. Every
// change that alters who has to activate 2FA is confirmed with its exact effect.
import { useEffect, useState } from 'react'
import { useShallow } from 'zustand/react/shallow'
import type { UserRow } from '../../../shared/domain'
import { visibleText } from '../../../shared/text'
import { ConfirmDialog } from '../components/Dialog'
import { EnforceGroupDialog } from '../components/EnforceGroupDialog'
import { AddMembersDialog } from '../components/GroupDialogs'
import { GroupMembersEmpty, GroupMembersTable } from '../components/GroupMembers'
import { ErrorMessage, Loading, SuccessMessage } from '../components/Messages'
import { Page, PageHeader } from '../components/Page'
import { PageState } from '../components/PageState'
import { enforcementLines } from '../lib/group-wording'
import { plural } from '../lib/format'
import { useAppStore } from '../store/context'
import type { GroupAction } from '../store/slices/group-details'
import { DeleteGroupBody, GroupEnforcementSection, GroupExemption, RemoveMemberBody, RevokeBody } from '../components/GroupSections'

type OpenDialog = { kind: 'add' | 'enforce' | 'revoke' | 'delete' } | { kind: 'remove'; user: UserRow }

const ACTION_OF: Record<OpenDialog['kind'], GroupAction> = { add: 'addMembers', enforce: 'enforce', revoke: 'revoke', delete: 'delete', remove: 'removeMember' }

export function GroupDetailsScreen({ groupId }: { groupId: number }) {
  const { group, loading, loadError, policy, exemptionEffect, status, check, checked } = useAppStore(
    useShallow((s) => ({
      group: s.groupDetails.group,
      loading: s.groupDetails.loading,
      loadError: s.groupDetails.loadError,
      policy: s.groupDetails.policy,
      exemptionEffect: s.groupDetails.exemptionEffect,
      status: s.groupDetails.status,
      check: s.groupDetails.check,
      checked: s.groupDetails.checked
    }))
  )
  const members = useAppStore(useShallow((s) => ({ pages: s.groupMembers.pages, skipped: s.groupMembers.skipped, total: s.groupMembers.total, nextCursor: s.groupMembers.nextCursor, loaded: s.groupMembers.loaded, loading: s.groupMembers.loading, error: s.groupMembers.error })))
  const details = useAppStore((s) => s.groupDetails.actions)
  // The exemption switch's hint says what turning it would do, asked again whenever the group or the policy changes.
  const exemptionKey = group === null ? null : `${group.id}|${group.exemptFromPolicy}|${JSON.stringify(group.distribution)}|${JSON.stringify(policy)}`
  useEffect(() => {
    if (exemptionKey !== null) void details.previewExemption()
  }, [exemptionKey, details])
  const memberActions = useAppStore((s) => s.groupMembers.actions)
  const { navigate } = useAppStore((s) => s.nav.actions)
  const [dialog, setDialog] = useState<OpenDialog | null>(null)

  useEffect(() => {
    void details.open(groupId)
  }, [details, groupId])

  const backToGroups = (
    <button type="button" className="link-button back-link" onClick={() => navigate({ name: 'groups' })}>
      ← Back to the groups
    </button>
  )
  if (!group || group.id !== groupId) {
    return (
      <Page>
        {backToGroups}
        <PageState loading={loading} loadingLabel="Loading the group…" error={loadError} action={loadError ? { label: 'Back to the groups', onClick: () => navigate({ name: 'groups' }) } : undefined} />
      </Page>
    )
  }

  const now = Date.now()
  const name = visibleText(group.name)
  const busy = Object.values(status).some((s) => s.pending)
  const openDialog = (next: OpenDialog) => {
    details.clearStatus(ACTION_OF[next.kind])
    details.clearCheck()
    setDialog(next)
    if (next.kind === 'remove') void details.checkRemove(next.user.email)
    if (next.kind === 'revoke' || (next.kind === 'delete' && group.enforced)) void details.checkRevoke()
  }
  const close = () => {
    details.clearCheck()
    setDialog(null)
  }
  const closeIf = (ok: boolean) => {
    if (ok) setDialog(null)
  }
  const addButton = (
    <button type="button" className="button button-primary" onClick={() => openDialog({ kind: 'add' })}>
      Add members
    </button>
  )
  const rows = members.pages.flatMap((page) => page.rows)
  // A directory group's members are the directory's (a sync brings them): changed there, not here.
  const fromDirectory = group.source === 'ldap'
  const shownStatus = dialog ? null : Object.values(status).find((s) => s.success || s.error)

  return (
    <Page className="group-page">
      {backToGroups}
      <PageHeader
        className="group-heading"
        breadcrumbs="Account › Groups"
        title={
          <>
            {name}
            {group.source === 'ldap' ? <span className="badge">Directory</span> : null}
          </>
        }
        subtitle={[plural(group.members, 'member'), ...enforcementLines(group, now)].join(' · ')}
        actions={!fromDirectory && members.loaded && (rows.length > 0 || members.skipped > 0) ? addButton : undefined}
      />
      <SuccessMessage message={shownStatus?.success} />
      <ErrorMessage message={shownStatus?.error} />
      {loadError ? <ErrorMessage message={loadError} /> : null}

      <GroupEnforcementSection
        group={group}
        now={now}
        busy={busy}
        onEnforce={() => openDialog({ kind: 'enforce' })}
        onRevoke={() => openDialog({ kind: 'revoke' })}
      >
        <GroupExemption group={group} policy={policy} pending={status.exempt.pending} effect={exemptionEffect} onChange={(exempt) => void details.setExempt(exempt)} />
      </GroupEnforcementSection>

      <section className="card" aria-labelledby="group-members-heading">
        <div className="group-members-heading">
          <h2 id="group-members-heading">Members</h2>
        </div>
        {fromDirectory ? <p className="muted">These members come from the directory: change them there; the next sync brings them here.</p> : null}
        {!members.loaded ? (
          <PageState loading={members.loading} loadingLabel="Loading members…" error={members.error} action={members.error ? { label: 'Try again', onClick: () => void memberActions.open(groupId) } : undefined} />
        ) : rows.length === 0 && members.skipped === 0 ? (
          <GroupMembersEmpty onAdd={fromDirectory ? undefined : () => openDialog({ kind: 'add' })} />
        ) : (
          <GroupMembersTable
            groupName={group.name}
            rows={rows}
            skipped={members.skipped}
            total={members.total}
            hasMore={members.nextCursor !== null}
            loading={members.loading}
            error={members.error}
            busy={busy}
            onLoadMore={() => void memberActions.loadMore()}
            onBackToStart={() => void memberActions.backToStart()}
            onRemove={fromDirectory ? undefined : (user) => openDialog({ kind: 'remove', user })}
            onOpenUser={(userId) => navigate({ name: 'user-details', userId })}
          />
        )}
      </section>

      <section className="card" aria-labelledby="group-delete-heading">
        <div className="action-row group-danger-row">
          <div>
            <h2 id="group-delete-heading">Delete group</h2>
            <p className="muted">
              The members stay users; only the group, its enforcement and its exemption go.
              {fromDirectory ? ' It comes from the directory: the next sync makes it again while it is among the groups to bring in.' : ''}
            </p>
          </div>
          <button type="button" className="button button-danger-outline" disabled={busy} onClick={() => openDialog({ kind: 'delete' })}>
            Delete group
          </button>
        </div>
      </section>

      {dialog?.kind === 'add' ? (
        <AddMembersDialog
          group={group}
          now={now}
          checked={checked}
          checking={check.pending}
          checkError={check.error}
          pending={status.addMembers.pending}
          error={status.addMembers.error}
          onCheck={(emails) => void details.checkAdd(emails)}
          onEdit={details.clearCheck}
          onConfirm={(emails) => void details.addMembers(emails).then(closeIf)}
          onCancel={close}
        />
      ) : null}

      {dialog?.kind === 'enforce' ? (
        <EnforceGroupDialog
          group={group}
          now={now}
          checked={checked}
          checking={check.pending}
          checkError={check.error}
          pending={status.enforce.pending}
          error={status.enforce.error}
          onCheck={(graceDays) => void details.checkEnforce(graceDays)}
          onBack={details.clearCheck}
          onConfirm={(graceDays) => void details.enforce(graceDays).then(closeIf)}
          onCancel={close}
        />
      ) : null}

      {dialog?.kind === 'remove' ? (
        <ConfirmDialog
          title={`Remove ${visibleText(dialog.user.name)} from ${name}?`}
          confirmLabel="Remove member"
          tone="danger"
          pending={status.removeMember.pending || check.pending || checked?.kind !== 'remove'}
          error={status.removeMember.error ?? check.error}
          onCancel={close}
          onConfirm={() => void details.removeMember(dialog.user.email).then(closeIf)}
        >
          {check.pending ? <Loading label="Checking what this changes…" /> : <RemoveMemberBody user={dialog.user} checked={checked} />}
        </ConfirmDialog>
      ) : null}

      {dialog?.kind === 'revoke' ? (
        <ConfirmDialog
          title={`Revoke enforcement for ${name}?`}
          confirmLabel="Revoke enforcement"
          pending={status.revoke.pending || check.pending || checked?.kind !== 'revoke'}
          error={status.revoke.error ?? check.error}
          onCancel={close}
          onConfirm={() => void details.revoke().then(closeIf)}
        >
          {check.pending ? <Loading label="Counting who this concerns…" /> : <RevokeBody checked={checked} />}
        </ConfirmDialog>
      ) : null}

      {dialog?.kind === 'delete' ? (
        <ConfirmDialog
          title={`Delete ${name}?`}
          confirmLabel="Delete group"
          tone="danger"
          pending={status.delete.pending || check.pending || (group.enforced && checked?.kind !== 'revoke')}
          error={status.delete.error ?? check.error}
          onCancel={close}
          onConfirm={() => void details.deleteGroup()}
        >
          {check.pending ? <Loading label="Counting who this concerns…" /> : <DeleteGroupBody group={group} policy={policy} checked={checked} />}
        </ConfirmDialog>
      ) : null}
    </Page>
  )
}
