// Account > Directory sync: the connection form. Pure: the screen holds what
// is typed (the draft) and says what the app answered; empty attribute fields
// show the preset's as placeholders, a plain ldap:// address without
// StartTLS is warned of while it is typed, and the groups to bring in are one
// DN per line.
import { useEffect, useRef, useState, type ReactNode } from 'react'
import type { DirectoryPresetName } from '../../../shared/contract/directory-sync'
import { dnLines, MAX_SYNC_GROUPS } from '../../../shared/directory-dn'
import { DIRECTORY_PRESETS } from '../../../shared/directory-presets'
import { draftWarnings, type DirectoryDraft } from '../lib/directory-draft'
import { plural } from '../lib/format'
import type { ActionStatus } from '../store/action-status'
import type { DirectoryTestResult } from '../store/slices/directory-sync'
import { Field, FieldErrorText } from './Field'
import { ErrorMessage, SuccessMessage } from './Messages'
import './DirectorySync.css'

interface DirectoryConnectionFormProps {
  draft: DirectoryDraft
  onEdit: (fields: Partial<DirectoryDraft>) => void
  /** A connection is stored (Save is offered only for a change then). */
  stored: boolean
  changed: boolean
  hasBindPassword: boolean
  /** The field the app refused, marked and focused. */
  invalidField: string | null
  save: ActionStatus
  test: ActionStatus
  tested: DirectoryTestResult | null
  onSave: () => void
  onTest: () => void
  /** Focus the first field when the form appears. */
  autoFocus?: boolean
}

function Section({ title, hint, children }: { title: string; hint?: string; children: ReactNode }) {
  return (
    <fieldset className="directory-section">
      <legend>{title}</legend>
      {hint ? <p className="field-hint directory-section-hint">{hint}</p> : null}
      <div className="form-grid">{children}</div>
    </fieldset>
  )
}

/** The warnings of the form, then those of the test that the form does not already show. */
function Warnings({ warnings }: { warnings: string[] }) {
  if (warnings.length === 0) return null
  return (
    <div className="message message-warning directory-warning" role="status">
      {warnings.map((warning) => (
        <p key={warning}>{warning}</p>
      ))}
    </div>
  )
}

/** "Groups to bring in": a DN per line, its hint, and the app's refusal tied to it. */
function SyncGroupsField({ value, onChange, error }: { value: string; onChange: (value: string) => void; error: string | null }) {
  const count = dnLines(value).length
  return (
    <div className="field field-full">
      <label htmlFor="directory-sync-groups">Groups to bring in</label>
      <textarea
        id="directory-sync-groups"
        name="syncGroupDns"
        className="directory-groups"
        rows={Math.min(Math.max(count + 1, 3), 8)}
        value={value}
        onChange={(event) => onChange(event.target.value)}
        placeholder={'cn=VPN Users,ou=groups,dc=example,dc=com\ncn=Finance,ou=groups,dc=example,dc=com'}
        spellCheck={false}
        autoComplete="off"
        wrap="off"
        aria-invalid={error ? true : undefined}
        aria-describedby={`directory-sync-groups-hint${error ? ' directory-sync-groups-error' : ''}`}
      />
      <div className="field-hint" id="directory-sync-groups-hint">
        One DN per line, at most {MAX_SYNC_GROUPS}. Each becomes a group here with the synced users the directory lists as its members (memberOf: direct members
        only). Its members change in the directory, not here; enforce it here like any group.
        {count > 0 ? ` ${plural(count, 'group')}.` : ''}
      </div>
      {error ? (
        <div className="field-error" id="directory-sync-groups-error">
          {error}
        </div>
      ) : null}
    </div>
  )
}

export function DirectoryConnectionForm(props: DirectoryConnectionFormProps) {
  const { draft, onEdit, stored, changed, hasBindPassword, invalidField, save, test, tested, onSave, onTest, autoFocus = false } = props
  const formRef = useRef<HTMLFormElement>(null)
  const preset = DIRECTORY_PRESETS[draft.preset]
  const warnings = draftWarnings(draft)
  const testWarnings = tested ? tested.warnings.filter((warning) => !warnings.includes(warning)) : []

  useEffect(() => {
    if (invalidField) formRef.current?.querySelector<HTMLElement>(`[name="${invalidField}"]`)?.focus()
  }, [invalidField, save.error, test.error])

  // The app's refusal of one field, shown beside it (and not again under the form).
  const fieldRefusal = invalidField === null ? null : (save.error ?? test.error)
  // Every field carries its name in the contract, so the field the app refused can be marked.
  const text = (name: keyof DirectoryDraft, label: string, extra: { placeholder?: string; hint?: ReactNode; required?: boolean; type?: string; autoComplete?: string; className?: string } = {}) => (
    <Field
      label={label}
      name={name}
      value={draft[name] as string}
      onChange={(value) => onEdit({ [name]: value })}
      error={invalidField === name ? fieldRefusal : null}
      autoComplete="off"
      spellCheck={false}
      {...extra}
    />
  )
  const pending = save.pending || test.pending
  // A refusal of the groups is shown at the field, where the keyboard goes, until the field is edited.
  const refusal = invalidField === 'syncGroupDns' ? (save.error ? save : test.error ? test : null) : null
  const [refusedAt, setRefusedAt] = useState({ refusal, value: draft.syncGroupDns })
  if (refusedAt.refusal !== refusal) setRefusedAt({ refusal, value: draft.syncGroupDns })
  const groupsError = refusal !== null && refusedAt.value === draft.syncGroupDns ? refusal.error : null

  return (
    <form
      ref={formRef}
      className="form directory-form"
      aria-label="Connection"
      onSubmit={(event) => {
        event.preventDefault()
        onSave()
      }}
    >
      <div className="form-grid">
        <div className="field">
          <label htmlFor="directory-preset">Directory type</label>
          <select id="directory-preset" name="preset" autoFocus={autoFocus} value={draft.preset} onChange={(event) => onEdit({ preset: event.target.value as DirectoryPresetName })}>
            {(Object.keys(DIRECTORY_PRESETS) as DirectoryPresetName[]).map((name) => (
              <option key={name} value={name}>
                {DIRECTORY_PRESETS[name].label}
              </option>
            ))}
          </select>
        </div>
        {text('url', 'Server URL', { placeholder: 'ldaps://dc1.example.com:636', hint: 'ldap:// or ldaps://, with the port.', required: true })}
        {text('baseDn', 'Base DN', { placeholder: 'dc=example,dc=com', hint: 'Where the users are searched for.', required: true })}
      </div>
      <Warnings warnings={warnings} />

      <Section title="Service account" hint="The account the app signs in to the directory with, to read it. It needs read access only.">
        {text('bindDn', 'Bind DN', { placeholder: preset.bindDnExample, className: 'field-wide' })}
        {text('bindPassword', 'Bind password', {
          type: 'password',
          // Not the administrator's own password, which a browser would offer here.
          autoComplete: 'new-password',
          placeholder: hasBindPassword ? '•••••••• (stored)' : '',
          hint: hasBindPassword ? 'Stored. Leave empty to keep it.' : 'Stored encrypted, never shown again.'
        })}
      </Section>

      <Section title="Which users">
        {text('userFilter', 'User filter', { placeholder: preset.userFilter, hint: 'Empty: every person in the base DN.' })}
        {text('groupDn', 'Group DN', { placeholder: 'cn=2fa-users,ou=groups,dc=example,dc=com', hint: 'Only members of this group (optional).', className: 'field-wide' })}
      </Section>

      <Section title="Groups">
        <SyncGroupsField value={draft.syncGroupDns} onChange={(value) => onEdit({ syncGroupDns: value })} error={groupsError} />
      </Section>

      <Section title="Attributes" hint={`Empty: what ${preset.label} uses, as shown.`}>
        {text('emailAttribute', 'Email attribute', { placeholder: preset.emailAttribute })}
        {text('nameAttribute', 'Name attribute', { placeholder: preset.nameAttribute })}
        {text('loginAttribute', 'Login attribute', { placeholder: preset.loginAttribute })}
      </Section>

      <Section title="Encryption">
        <div className="field directory-checkbox-field">
          <label className="checkbox">
            <input type="checkbox" name="startTls" checked={draft.startTls} onChange={(event) => onEdit({ startTls: event.target.checked })} />
            Use StartTLS
          </label>
          <div className="field-hint">Encrypts an ldap:// connection before anything is sent. Not needed with ldaps://.</div>
        </div>
        {text('caFile', 'CA certificate file', { placeholder: '/etc/ssl/certs/example-ca.pem', hint: "A PEM file, when the server's certificate is not signed by a CA this computer trusts.",
          className: 'field-wide'
        })}
      </Section>

      <Section title="Safety and schedule">
        <div className="field">
          <label htmlFor="directory-mass-disable">Mass-disable limit (%)</label>
          <input
            id="directory-mass-disable"
            name="massDisablePercent"
            type="number"
            min={0}
            max={100}
            step={1}
            required
            value={draft.massDisablePercent}
            onChange={(event) => onEdit({ massDisablePercent: event.target.value })}
            aria-invalid={invalidField === 'massDisablePercent' ? true : undefined}
            aria-describedby={`${invalidField === 'massDisablePercent' && fieldRefusal ? 'directory-mass-disable-error ' : ''}directory-mass-disable-hint`}
          />
          <FieldErrorText id="directory-mass-disable-error" message={invalidField === 'massDisablePercent' ? fieldRefusal : null} />
          <div className="field-hint" id="directory-mass-disable-hint">
            A sync that would disable more of the synced users stops and asks first.
          </div>
        </div>
        <div className="field">
          <label htmlFor="directory-schedule">Sync automatically</label>
          <select id="directory-schedule" value={draft.scheduled ? 'on' : 'off'} onChange={(event) => onEdit({ scheduled: event.target.value === 'on' })}>
            <option value="off">Off: only with Sync now</option>
            <option value="on">Every N minutes</option>
          </select>
        </div>
        {draft.scheduled ? (
          <div className="field">
            <label htmlFor="directory-schedule-minutes">Minutes between syncs</label>
            <input
              id="directory-schedule-minutes"
              name="scheduleMinutes"
              type="number"
              min={5}
              max={10080}
              step={1}
              required
              value={draft.scheduleMinutes}
              onChange={(event) => onEdit({ scheduleMinutes: event.target.value })}
              aria-invalid={invalidField === 'scheduleMinutes' ? true : undefined}
              aria-describedby={`${invalidField === 'scheduleMinutes' && fieldRefusal ? 'directory-schedule-error ' : ''}directory-schedule-hint`}
            />
            <FieldErrorText id="directory-schedule-error" message={invalidField === 'scheduleMinutes' ? fieldRefusal : null} />
            <div className="field-hint" id="directory-schedule-hint">
              5 to 10,080 (a week), while the app is open.
            </div>
          </div>
        ) : null}
      </Section>

      <ErrorMessage message={invalidField !== null && invalidField !== 'syncGroupDns' ? null : refusal ? null : (save.error ?? test.error)} />
      <SuccessMessage message={save.success ?? (tested ? `The directory answered: ${plural(tested.entries, 'user')} would be synced.` : null)} />
      <Warnings warnings={testWarnings} />
      <div className="button-row">
        <button type="submit" className="button button-primary" disabled={pending || (stored && !changed)}>
          {save.pending ? 'Saving…' : 'Save connection'}
        </button>
        <button
          type="button"
          className="button"
          disabled={pending}
          onClick={() => {
            // The same checks as Save (numbers in range, required fields) before anything is sent.
            if (formRef.current?.reportValidity() !== false) onTest()
          }}
        >
          {test.pending ? 'Testing…' : 'Test connection'}
        </button>
      </div>
    </form>
  )
}
