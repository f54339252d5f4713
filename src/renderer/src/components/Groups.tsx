// Account > Groups, the pure parts of the list: the table of groups (name,
// members, enforcement, 2FA among the members), a group's small distribution,
// and what the screen says when there is no group yet.
import type { Distribution, GroupSummary } from '../../../shared/domain'
import { STATUS_LABEL } from '../../../shared/labels'
import { visibleText } from '../../../shared/text'
import { enforcementLines } from '../lib/group-wording'
import { plural } from '../lib/format'
import { ShieldImage } from './StatusShield'
import '../styles/lists.css'
import './Groups.css'

const count = (n: number) => n.toLocaleString('en-US')

/** Active / pending (overdue) / not active, each beside its shield; the words carry it, the shields are pictures. */
export function GroupDistribution({ distribution, label }: { distribution: Distribution; label: string }) {
  return (
    <ul className="group-distribution" aria-label={label}>
      <li title={STATUS_LABEL.active}>
        <ShieldImage status="active" size={16} />
        <span>{count(distribution.active)} active</span>
      </li>
      <li title={STATUS_LABEL.pending}>
        <ShieldImage status="pending" size={16} />
        <span>
          {count(distribution.pending)} pending
          {distribution.overdue > 0 ? <span className="group-overdue"> ({count(distribution.overdue)} overdue)</span> : null}
        </span>
      </li>
      <li title={STATUS_LABEL.inactive}>
        <ShieldImage status="inactive" size={16} />
        <span>{count(distribution.inactive)} not active</span>
      </li>
    </ul>
  )
}

export function EnforcementFacts({ group, now }: { group: Pick<GroupSummary, 'enforced' | 'deadline' | 'exemptFromPolicy'>; now: number }) {
  return (
    <span className="group-enforcement">
      {enforcementLines(group, now).map((line) => (
        <span key={line} className={line === 'Not enforced' ? 'muted' : undefined}>
          {line}
        </span>
      ))}
    </span>
  )
}

export function GroupsTable({ groups, now, onOpen }: { groups: readonly GroupSummary[]; now: number; onOpen: (group: GroupSummary) => void }) {
  return (
    <div className="table-card">
      <table className="data-table groups-table" aria-label="Groups">
        <thead>
          <tr>
            <th scope="col">Name</th>
            <th scope="col" className="groups-members">
              Members
            </th>
            <th scope="col">Enforcement</th>
            <th scope="col">2FA among the members</th>
          </tr>
        </thead>
        <tbody>
          {groups.map((group) => (
            <tr key={group.id}>
              <th scope="row" className="groups-name">
                <span className="groups-name-line">
                  <button type="button" className="link-button" onClick={() => onOpen(group)}>
                    {visibleText(group.name)}
                  </button>
                  {group.source === 'ldap' ? <span className="badge">Directory</span> : null}
                </span>
              </th>
              <td className="groups-members">{count(group.members)}</td>
              <td>
                <EnforcementFacts group={group} now={now} />
              </td>
              <td>
                <GroupDistribution distribution={group.distribution} label={`2FA among the ${plural(group.members, 'member')} of ${visibleText(group.name)}`} />
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  )
}

export function GroupsEmpty({ onCreate }: { onCreate: () => void }) {
  return (
    <section className="card groups-empty" aria-labelledby="groups-empty-heading">
      <h2 id="groups-empty-heading">No groups yet</h2>
      <p>
        A group gathers users, such as a team or a department, so that you can enforce 2FA activation for all of them at once, with a grace period to activate it,
        or leave them out of &quot;Enforce 2FA for all users&quot;.
      </p>
      <p className="muted">Create a group, add its members by email, then enforce 2FA for it from the group&apos;s page.</p>
      <div>
        <button type="button" className="button button-primary" onClick={onCreate}>
          Create group
        </button>
      </div>
    </section>
  )
}
