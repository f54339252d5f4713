// The Users table's filters beside the search, the 2FA status and the group:
// role, locked, disabled, why 2FA is enforced, where users come from, and
// "few recovery codes left". Pure: the values and one change callback.
import { ENFORCEMENT_SOURCE_FILTERS, FEW_RECOVERY_CODES, ROLES, USER_SOURCES, type EnforcementSourceFilter, type Role, type UserSource } from '../../../shared/domain'
import { ENFORCEMENT_SOURCE_FILTER_LABEL, FEW_RECOVERY_CODES_LABEL, USER_SOURCE_FILTER_LABEL } from '../../../shared/labels'
import type { ReactNode } from 'react'
import './UserFilters.css'

export interface UserFilterValues {
  role: Role | null
  locked: boolean | null
  disabled: boolean | null
  enforcementSource: EnforcementSourceFilter | null
  source: UserSource | null
  fewRecoveryCodes: boolean
}

const ROLE_LABEL: Record<Role, string> = { admin: 'Administrator', user: 'User' }

interface Choice<T> {
  value: T
  label: string
}

function FilterSelect<T extends string | boolean>({
  id,
  label,
  value,
  choices,
  onChange
}: {
  id: string
  label: string
  value: T | null
  choices: readonly Choice<T>[]
  onChange: (value: T | null) => void
}) {
  const index = choices.findIndex((choice) => choice.value === value)
  return (
    <div className="field field-filter">
      <label htmlFor={id}>{label}</label>
      <select id={id} value={index < 0 ? '' : String(index)} onChange={(event) => onChange(event.target.value === '' ? null : choices[Number(event.target.value)]!.value)}>
        <option value="">All</option>
        {choices.map((choice, i) => (
          <option key={String(choice.value)} value={String(i)}>
            {choice.label}
          </option>
        ))}
      </select>
    </div>
  )
}

/** `children` go at the row's end (the Columns menu). */
export function UserFilters({ values, onChange, children }: { values: UserFilterValues; onChange: (change: Partial<UserFilterValues>) => void; children?: ReactNode }) {
  return (
    <div className="user-filters" role="group" aria-label="More filters">
      <FilterSelect id="users-role" label="Role" value={values.role} choices={ROLES.map((role) => ({ value: role, label: ROLE_LABEL[role] }))} onChange={(role) => onChange({ role })} />
      <FilterSelect
        id="users-enforcement-source"
        label="Enforced by"
        value={values.enforcementSource}
        choices={ENFORCEMENT_SOURCE_FILTERS.map((value) => ({ value, label: ENFORCEMENT_SOURCE_FILTER_LABEL[value] }))}
        onChange={(enforcementSource) => onChange({ enforcementSource })}
      />
      <FilterSelect
        id="users-locked"
        label="Locked"
        value={values.locked}
        choices={[
          { value: true, label: 'Locked' },
          { value: false, label: 'Not locked' }
        ]}
        onChange={(locked) => onChange({ locked })}
      />
      <FilterSelect
        id="users-disabled"
        label="Disabled"
        value={values.disabled}
        choices={[
          { value: true, label: 'Disabled' },
          { value: false, label: 'Not disabled' }
        ]}
        onChange={(disabled) => onChange({ disabled })}
      />
      <FilterSelect
        id="users-source"
        label="Source"
        value={values.source}
        choices={USER_SOURCES.map((value) => ({ value, label: USER_SOURCE_FILTER_LABEL[value] }))}
        onChange={(source) => onChange({ source })}
      />
      <div className="field field-check">
        <label title={`2FA active and ${FEW_RECOVERY_CODES} or fewer unused recovery codes`}>
          <input type="checkbox" checked={values.fewRecoveryCodes} onChange={(event) => onChange({ fewRecoveryCodes: event.target.checked })} />
          {FEW_RECOVERY_CODES_LABEL}
        </label>
      </div>
      {children ? <div className="user-filters-end">{children}</div> : null}
    </div>
  )
}
