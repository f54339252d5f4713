// Account > Groups: the groups with their members, enforcement and 2FA among
// the members; Create group; a group's name opens its details.
import { useEffect, useState } from 'react'
import { useShallow } from 'zustand/react/shallow'
import { CreateGroupDialog } from '../components/GroupDialogs'
import { GroupsEmpty, GroupsTable } from '../components/Groups'
import { SuccessMessage } from '../components/Messages'
import { Page, PageHeader } from '../components/Page'
import { PageState } from '../components/PageState'
import { useAppStore } from '../store/context'

export function GroupsScreen() {
  const { groups, loaded, loading, loadError, create, invalidField } = useAppStore(
    useShallow((s) => ({
      groups: s.groups.groups,
      loaded: s.groups.loaded,
      loading: s.groups.loading,
      loadError: s.groups.loadError,
      create: s.groups.create,
      invalidField: s.groups.invalidField
    }))
  )
  const { open, create: createGroup, resetCreate, clearNotice } = useAppStore((s) => s.groups.actions)
  const { navigate } = useAppStore((s) => s.nav.actions)
  const [creating, setCreating] = useState(false)
  // What the last screen had to say (a group deleted from its details): kept here, shown on this visit only.
  const storedNotice = useAppStore((s) => s.groups.notice)
  const [notice] = useState(storedNotice)

  useEffect(() => {
    clearNotice()
    void open()
  }, [clearNotice, open])

  const startCreating = () => {
    resetCreate()
    setCreating(true)
  }
  const createButton = (
    <button type="button" className="button button-primary" onClick={startCreating}>
      Create group
    </button>
  )

  let body
  if (!loaded) {
    body = <PageState loading={loading} loadingLabel="Loading the groups…" error={loadError} action={loadError ? { label: 'Try again', onClick: () => void open() } : undefined} />
  } else if (groups.length === 0) {
    body = <GroupsEmpty onCreate={startCreating} />
  } else {
    body = <GroupsTable groups={groups} now={Date.now()} onOpen={(group) => navigate({ name: 'group-details', groupId: group.id })} />
  }

  return (
    <Page className="groups-page">
      <PageHeader
        breadcrumbs="Account"
        title="Groups"
        subtitle={'Enforce 2FA activation for a team or a department at once, with time to activate it, or leave a group out of "Enforce 2FA for all users".'}
        actions={loaded && groups.length > 0 ? createButton : undefined}
      />
      {creating ? null : <SuccessMessage message={create.success ?? notice} />}
      {body}

      {creating ? (
        <CreateGroupDialog
          pending={create.pending}
          error={create.error}
          invalidField={invalidField}
          onCancel={() => setCreating(false)}
          onSubmit={(name) =>
            void createGroup(name).then((group) => {
              if (group) setCreating(false)
            })
          }
        />
      ) : null}
    </Page>
  )
}
