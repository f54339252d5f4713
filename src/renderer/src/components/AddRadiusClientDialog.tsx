// Account > RADIUS clients: the Add client form, in a dialog. Pure: it holds
// what is typed, checks the address and an own secret as they are typed (in
// the core's words), and says what the app answered.
import { useEffect, useRef, useState } from 'react'
import { MIN_RADIUS_SECRET_LENGTH, type AddRadiusClientInput } from '../../../shared/contract/radius'
import { parseClientAddress } from '../../../shared/ip-address'
import type { RadiusClientField } from '../store/slices/radius-clients'
import { Dialog, DialogActions } from './Dialog'
import { Field } from './Field'
import { ErrorMessage } from './Messages'
import './RadiusClients.css'

/** The core's own words (schemas/radius.ts); a unit test keeps them the same. */
export const ADDRESS_MESSAGE = 'Enter an IP address or a CIDR block, like 192.0.2.10 or 10.0.0.0/8.'
export const SECRET_MESSAGE = `A shared secret has at least ${MIN_RADIUS_SECRET_LENGTH} characters.`

export type SecretChoice = 'generate' | 'own'

export interface RadiusClientDraft {
  name: string
  address: string
  secretChoice: SecretChoice
  secret: string
  require2fa: boolean
}

export const EMPTY_RADIUS_CLIENT: RadiusClientDraft = { name: '', address: '', secretChoice: 'generate', secret: '', require2fa: false }

/** What is wrong with the draft before anything is sent, field by field. */
export function draftProblems(draft: RadiusClientDraft): Partial<Record<RadiusClientField, string>> {
  const problems: Partial<Record<RadiusClientField, string>> = {}
  if (draft.address.trim() !== '' && parseClientAddress(draft.address) === null) problems.address = ADDRESS_MESSAGE
  if (draft.secretChoice === 'own' && draft.secret.length < MIN_RADIUS_SECRET_LENGTH) problems.secret = SECRET_MESSAGE
  return problems
}

/** The call for the draft: without a secret, the app makes one. */
export function radiusClientInput(draft: RadiusClientDraft): AddRadiusClientInput {
  const input: AddRadiusClientInput = { name: draft.name.trim(), address: draft.address.trim(), require2fa: draft.require2fa }
  return draft.secretChoice === 'own' ? { ...input, secret: draft.secret } : input
}

interface AddRadiusClientDialogProps {
  pending: boolean
  error: string | null
  /** The field the app refused, marked and focused. */
  invalidField: RadiusClientField | null
  onSubmit: (input: AddRadiusClientInput) => void
  onCancel: () => void
  /** For tests: the form as if typed. */
  initialDraft?: RadiusClientDraft
  /** For tests: as after a blur or a first attempt, so the checks show. */
  initiallyChecked?: boolean
}

export function AddRadiusClientDialog({ pending, error, invalidField, onSubmit, onCancel, initialDraft = EMPTY_RADIUS_CLIENT, initiallyChecked = false }: AddRadiusClientDialogProps) {
  const [draft, setDraft] = useState(initialDraft)
  // A check shows once the field was left or the form submitted, not at the first keystroke.
  const [checked, setChecked] = useState<Record<'address' | 'secret', boolean>>({ address: initiallyChecked, secret: initiallyChecked })
  const bodyRef = useRef<HTMLDivElement>(null)
  const edit = (more: Partial<RadiusClientDraft>) => setDraft((current) => ({ ...current, ...more }))
  const problems = draftProblems(draft)
  const shown = {
    address: checked.address ? problems.address : undefined,
    secret: checked.secret ? problems.secret : undefined
  }

  useEffect(() => {
    if (invalidField) bodyRef.current?.closest('dialog')?.querySelector<HTMLElement>(`[name="${invalidField}"]`)?.focus()
  }, [invalidField, error])

  const submit = () => {
    setChecked({ address: true, secret: true })
    const first = (['address', 'secret'] as const).find((field) => problems[field] !== undefined)
    if (first) {
      bodyRef.current?.closest('dialog')?.querySelector<HTMLElement>(`[name="${first}"]`)?.focus()
      return
    }
    onSubmit(radiusClientInput(draft))
  }

  // Each problem beside its field: this form's checks, else the app's answer about that field.
  const serverError = (field: 'name' | 'address' | 'secret') => (invalidField === field ? error : null)

  return (
    <Dialog title="Add RADIUS client" onClose={onCancel} onSubmit={submit} actions={<DialogActions onCancel={onCancel} confirmLabel="Add client" pending={pending} />}>
      <div className="radius-form" ref={bodyRef}>
        <Field
          label="Name"
          name="name"
          value={draft.name}
          onChange={(name) => edit({ name })}
          placeholder="vpn-gateway"
          hint="How the audit log and the service's log name this device."
          error={serverError('name')}
          autoComplete="off"
          spellCheck={false}
          maxLength={64}
          required
          data-autofocus
        />
        <Field
          label="Address or CIDR block"
          name="address"
          value={draft.address}
          onChange={(address) => edit({ address })}
          onBlur={() => setChecked((current) => ({ ...current, address: true }))}
          placeholder="192.0.2.10 or 10.0.0.0/8"
          hint="Requests from any other address are ignored."
          error={shown.address ?? serverError('address')}
          autoComplete="off"
          spellCheck={false}
          maxLength={64}
          required
        />

        <fieldset className="radius-secret-choice">
          <legend>Shared secret</legend>
          <label className="checkbox">
            <input type="radio" name="secretChoice" value="generate" checked={draft.secretChoice === 'generate'} onChange={() => edit({ secretChoice: 'generate' })} />
            Generate a shared secret
          </label>
          <p className="field-hint radius-choice-hint">A random one, shown once after adding, for you to enter in the device.</p>
          <label className="checkbox">
            <input type="radio" name="secretChoice" value="own" checked={draft.secretChoice === 'own'} onChange={() => edit({ secretChoice: 'own' })} />
            Enter my own
          </label>
          {draft.secretChoice === 'own' ? (
            <Field
              label="Your shared secret"
              name="secret"
              type="password"
              value={draft.secret}
              onChange={(secret) => edit({ secret })}
              onBlur={() => setChecked((current) => ({ ...current, secret: true }))}
              // Not the administrator's own password, which a browser would offer here.
              autoComplete="new-password"
              spellCheck={false}
              hint={`At least ${MIN_RADIUS_SECRET_LENGTH} characters${draft.secret.length > 0 ? ` (${draft.secret.length} so far)` : ''}. The same one goes into the device.`}
              error={shown.secret ?? serverError('secret')}
              className="radius-own-secret"
            />
          ) : null}
        </fieldset>

        <div className="radius-option">
          <label className="checkbox">
            <input type="checkbox" name="require2fa" checked={draft.require2fa} onChange={(event) => edit({ require2fa: event.target.checked })} />
            Require 2FA for every user of this client
          </label>
          <p className="field-hint radius-choice-hint">Also for users whose 2FA is not enforced: those without 2FA cannot sign in through this device.</p>
        </div>
        {invalidField === 'name' || invalidField === 'address' || (invalidField === 'secret' && draft.secretChoice === 'own') ? null : <ErrorMessage message={error} />}
      </div>
    </Dialog>
  )
}
