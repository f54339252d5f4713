// Account > RADIUS clients: the devices allowed to ask the RADIUS service to
// check a sign-in; Add client (a shared secret the app made is shown once,
// held only by this screen until Done), and Remove after a confirmation.
import { useEffect, useState } from 'react'
import { useShallow } from 'zustand/react/shallow'
import type { RadiusClientView } from '../../../shared/contract/radius'
import { AddRadiusClientDialog } from '../components/AddRadiusClientDialog'
import { ConfirmDialog } from '../components/Dialog'
import { ErrorMessage, SuccessMessage } from '../components/Messages'
import { Page, PageHeader } from '../components/Page'
import { PageState } from '../components/PageState'
import { RadiusClientsEmpty, RadiusClientsTable, SharedSecretDialog } from '../components/RadiusClients'
import { useAppStore } from '../store/context'

export function RadiusClientsScreen() {
  const { clients, loaded, loading, loadError, status, invalidField } = useAppStore(
    useShallow((s) => ({
      clients: s.radiusClients.clients,
      loaded: s.radiusClients.loaded,
      loading: s.radiusClients.loading,
      loadError: s.radiusClients.loadError,
      status: s.radiusClients.status,
      invalidField: s.radiusClients.invalidField
    }))
  )
  const { open, add, remove, resetAdd, resetRemove } = useAppStore((s) => s.radiusClients.actions)
  const [adding, setAdding] = useState(false)
  const [removing, setRemoving] = useState<RadiusClientView | null>(null)
  // The secret the app made: in this screen's memory only, until Done (or the screen closes).
  const [made, setMade] = useState<{ client: string; secret: string } | null>(null)

  useEffect(() => {
    void open()
  }, [open])

  const startAdding = () => {
    resetAdd()
    setAdding(true)
  }
  const addButton = (
    <button type="button" className="button button-primary" onClick={startAdding}>
      Add client
    </button>
  )
  const header = (
    <PageHeader
      breadcrumbs="Account"
      title="RADIUS clients"
      subtitle="The VPN gateways, Wi-Fi controllers and other network devices that may ask this app to check a sign-in with 2FA."
      actions={loaded && clients.length > 0 ? addButton : undefined}
    />
  )

  let body
  if (!loaded) {
    body = <PageState loading={loading} loadingLabel="Loading the RADIUS clients…" error={loadError} action={loadError ? { label: 'Try again', onClick: () => void open() } : undefined} />
  } else if (clients.length === 0) {
    body = <RadiusClientsEmpty onAdd={startAdding} />
  } else {
    body = <RadiusClientsTable clients={clients} busy={status.remove.pending} onRemove={(client) => {
          resetRemove()
          setRemoving(client)
        }} />
  }

  return (
    <Page className="radius-page">
      {header}
      {/* A dialog's own outcome shows here once it closed. */}
      {!adding && !removing ? (
        <>
          <SuccessMessage message={status.add.success ?? status.remove.success} />
          <ErrorMessage message={status.remove.error} />
        </>
      ) : null}
      {body}

      {adding ? (
        <AddRadiusClientDialog
          pending={status.add.pending}
          error={status.add.error}
          invalidField={invalidField}
          onCancel={() => setAdding(false)}
          onSubmit={(input) =>
            void add(input).then((answer) => {
              if (!answer) return
              setAdding(false)
              if (answer.secret !== null) setMade({ client: answer.client.name, secret: answer.secret })
            })
          }
        />
      ) : null}

      {made ? <SharedSecretDialog client={made.client} secret={made.secret} onDone={() => setMade(null)} /> : null}

      {removing ? (
        <ConfirmDialog
          title={`Remove ${removing.name}?`}
          confirmLabel="Remove client"
          tone="danger"
          pending={status.remove.pending}
          error={status.remove.error}
          onCancel={() => setRemoving(null)}
          onConfirm={() =>
            void remove(removing.name).then((removed) => {
              if (removed) setRemoving(null)
            })
          }
        >
          <p>
            The device at <code>{removing.address}</code> can no longer ask to check sign-ins: people signing in through it are refused until it is added again, with a
            new shared secret.
          </p>
        </ConfirmDialog>
      ) : null}
    </Page>
  )
}
