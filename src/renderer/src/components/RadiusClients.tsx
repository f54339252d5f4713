// Account > RADIUS clients, the pure parts: the list of clients, what the
// screen says when there is none, and the shared secret the app made, shown
// once after adding.
import { useState } from 'react'
import type { RadiusClientView } from '../../../shared/contract/radius'
import { formatDateTime } from '../lib/format'
import { copyText } from '../lib/recovery-codes'
import { Dialog } from './Dialog'
import './RadiusClients.css'

/** An email may wrap before its @ in a narrow window, rather than push the table wider. */
function withBreakBeforeAt(label: string) {
  const at = label.indexOf('@')
  if (at <= 0) return label
  return (
    <>
      {label.slice(0, at)}
      <wbr />
      {label.slice(at)}
    </>
  )
}

export function RadiusClientsTable({ clients, busy, onRemove }: { clients: readonly RadiusClientView[]; busy: boolean; onRemove: (client: RadiusClientView) => void }) {
  return (
    <div className="table-card radius-table-card">
      <table className="data-table radius-table" aria-label="RADIUS clients">
        <thead>
          <tr>
            <th scope="col">Name</th>
            <th scope="col">Address</th>
            <th scope="col" className="radius-require-heading">
              2FA required for every user
            </th>
            <th scope="col">Added</th>
            <th scope="col">
              <span className="visually-hidden">Actions</span>
            </th>
          </tr>
        </thead>
        <tbody>
          {clients.map((client) => (
            <tr key={client.name}>
              <th scope="row" className="radius-name">
                {client.name}
              </th>
              <td>
                <code>{client.address}</code>
              </td>
              <td>{client.require2fa ? 'Yes' : 'No'}</td>
              <td>
                <span className="radius-added">{formatDateTime(client.createdAt)}</span>
                <span className="muted small radius-added-by">by {withBreakBeforeAt(client.createdBy)}</span>
              </td>
              <td className="radius-actions">
                <button type="button" className="button button-danger-outline" disabled={busy} aria-label={`Remove ${client.name}`} onClick={() => onRemove(client)}>
                  Remove
                </button>
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  )
}

export function RadiusClientsEmpty({ onAdd }: { onAdd: () => void }) {
  return (
    <section className="card radius-empty" aria-labelledby="radius-empty-heading">
      <h2 id="radius-empty-heading">No RADIUS clients yet</h2>
      <p>
        A RADIUS client is a network device that asks 2FA Admin to check a sign-in: a VPN gateway, a Wi-Fi controller, a firewall or a switch. People then sign in to
        it with their password and their 2FA code, under the same rules as here.
      </p>
      <p className="muted">
        Add each device here with its address and a shared secret, then run the RADIUS service on this machine with <code>twofa-admin radius serve</code> and point the
        device at it. <code>docs/RADIUS.md</code> says how, for OpenVPN, strongSwan, firewalls and Wi-Fi through FreeRADIUS.
      </p>
      <div>
        <button type="button" className="button button-primary" onClick={onAdd}>
          Add client
        </button>
      </div>
    </section>
  )
}

/** The secret the app made for a new client: here, once; gone when the dialog closes. */
export function SharedSecretDialog({ client, secret, onDone }: { client: string; secret: string; onDone: () => void }) {
  const [copyState, setCopyState] = useState<'idle' | 'copied' | 'failed'>('idle')
  return (
    <Dialog
      title={`${client} was added`}
      onClose={onDone}
      actions={
        <button type="button" className="button button-primary" onClick={onDone}>
          Done
        </button>
      }
    >
      <p>Enter this shared secret in the device&apos;s RADIUS settings, with this machine&apos;s address and port 1812.</p>
      <div className="radius-secret">
        <code role="group" aria-label="Shared secret">{secret}</code>
      </div>
      <div className="button-row">
        <button type="button" className="button" data-autofocus onClick={() => void copyText(secret).then((ok) => setCopyState(ok ? 'copied' : 'failed'))}>
          Copy
        </button>
        <span className="inline-status" role="status">
          {copyState === 'copied' ? 'Copied to the clipboard.' : copyState === 'failed' ? 'Copying failed: select the secret and copy it by hand.' : ''}
        </span>
      </div>
      <p className="message message-warning radius-once">
        <strong>This secret is shown only now.</strong> It is stored encrypted and cannot be shown again: if it is lost, remove the client and add it again.
      </p>
    </Dialog>
  )
}
