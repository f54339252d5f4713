// Account > Groups rendered alone: the list (members, enforcement, the small
// distribution), the empty state, Create group with its error tied to the
// field, the grace period field named by its sentence, the members table with
// a shield per member and Remove buttons named after the member, and the
// sidebar entry for administrators only.
import { renderToStaticMarkup } from 'react-dom/server'
import { describe, expect, it } from 'vitest'
import { DAY_MS, type GroupSummary, type UserRow } from '../../../src/shared/domain'
import { GraceDaysField } from '../../../src/renderer/src/components/EnforceGroupDialog'
import { CreateGroupDialog } from '../../../src/renderer/src/components/GroupDialogs'
import { GroupMembersTable } from '../../../src/renderer/src/components/GroupMembers'
import { GroupsEmpty, GroupsTable } from '../../../src/renderer/src/components/Groups'
import { Sidebar } from '../../../src/renderer/src/components/Sidebar'
import { formatDate } from '../../../src/renderer/src/lib/format'

const text = (html: string) =>
  html
    .replace(/<[^>]+>/g, ' ')
    .replace(/&quot;/g, '"')
    .replace(/&#x27;/g, "'")
    .replace(/&amp;/g, '&')
    .replace(/\s+/g, ' ')
    .trim()
const noop = () => {}
const NOW = Date.UTC(2026, 2, 1, 12)

const group = (id: number, name: string, changes: Partial<GroupSummary> = {}): GroupSummary => ({
  id,
  name,
  source: 'local',
  members: 10,
  enforced: false,
  deadline: null,
  enforcedBy: null,
  enforcedAt: null,
  exemptFromPolicy: false,
  distribution: { total: 10, active: 4, pending: 3, inactive: 3, overdue: 1 },
  ...changes
})

describe('the Groups list', () => {
  it('shows the members, the enforcement in words and the distribution of each group', () => {
    const deadline = NOW + 7 * DAY_MS
    const groups = [
      group(1, 'Sales', { enforced: true, deadline }),
      group(2, 'Night shift', { enforced: true, deadline: NOW - DAY_MS }),
      group(3, 'Auditors', { exemptFromPolicy: true }),
      group(4, 'Support', { members: 1_204 })
    ]
    const shown = text(renderToStaticMarkup(<GroupsTable groups={groups} now={NOW} onOpen={noop} />))
    expect(shown).toContain('Name Members Enforcement 2FA among the members')
    expect(shown).toContain(`Sales 10 Enforced, activation due by ${formatDate(deadline)} 4 active 3 pending (1 overdue) 3 not active`)
    expect(shown).toContain('Night shift 10 Enforced 4 active')
    expect(shown).toContain('Auditors 10 Exempt from "Enforce 2FA for all users"')
    expect(shown).toContain('Support 1,204 Not enforced')
  })

  it('says what a group is for when there is none, with Create group', () => {
    const shown = text(renderToStaticMarkup(<GroupsEmpty onCreate={noop} />))
    expect(shown).toContain('No groups yet')
    expect(shown).toContain('Create group')
  })
})

describe('Create group', () => {
  it('ties the app’s refusal to the name field', () => {
    const html = renderToStaticMarkup(<CreateGroupDialog pending={false} error="A group named Sales already exists. Choose another name." invalidField="name" onSubmit={noop} onCancel={noop} />)
    const field = /<input[^>]*name="name"[^>]*>/.exec(html)?.[0] ?? ''
    expect(field).toContain('aria-invalid="true"')
    const describedBy = /aria-describedby="([^"]+)"/.exec(field)?.[1]
    expect(html).toContain(`id="${describedBy}" role="alert">A group named Sales already exists. Choose another name.`)
  })
})

describe('the grace period', () => {
  it('is named by its sentence, "Users have N days to activate 2FA", and says until when', () => {
    const html = renderToStaticMarkup(<GraceDaysField value="7" onChange={noop} problem={null} now={NOW} />)
    const field = /<input[^>]*>/.exec(html)?.[0] ?? ''
    const [before, self, after] = (/aria-labelledby="([^"]+)"/.exec(field)?.[1] ?? '').split(' ')
    expect(field).toContain(`id="${self}"`)
    expect(html).toContain(`id="${before}">Users have</span>`)
    expect(html).toContain(`id="${after}">days to activate 2FA</span>`)
    expect(text(html)).toContain(`Activation due by ${formatDate(NOW + 7 * DAY_MS)}`)
    expect(text(renderToStaticMarkup(<GraceDaysField value="0" onChange={noop} problem={null} now={NOW} />))).toContain('at their next login')
  })
})

describe('the members of a group', () => {
  const member = { id: 5, name: 'Maria Garcia', email: 'maria@example.com', role: 'user', disabled: false, status: 'pending', enforcement: 'inherit', enforced: true, enforcementSource: 'group', deadline: NOW + DAY_MS, overdue: false, groups: ['Sales'], locked: false, activeSince: null, lastTwoFactorLoginAt: null, source: 'local' } as UserRow

  it('shows each member’s shield with its tooltip and a Remove button named after them; Load more while there are more', () => {
    const html = renderToStaticMarkup(
      <GroupMembersTable groupName="Sales" rows={[member]} skipped={0} total={250} hasMore loading={false} error={null} busy={false} onLoadMore={noop} onBackToStart={noop} onRemove={noop} onOpenUser={noop} />
    )
    expect(html).toContain('aria-label="2FA enforced, activation pending"')
    expect(text(html)).toContain(`Activation due by ${formatDate(NOW + DAY_MS)}`)
    expect(html).toContain('aria-label="Remove Maria Garcia from Sales"')
    expect(text(html)).toContain('Members 1–1 of 250 Load more')
  })

  it('says which members it shows once the first were let go, and goes back to them', () => {
    const shown = text(
      renderToStaticMarkup(<GroupMembersTable groupName="Sales" rows={[member]} skipped={1_000} total={5_000} hasMore loading={false} error={null} busy={false} onLoadMore={noop} onBackToStart={noop} onRemove={noop} onOpenUser={noop} />)
    )
    expect(shown).toContain('Members 1,001–1,001 of 5,000 Back to the first members Load more')
  })
})

describe('the sidebar', () => {
  it('has Groups in the Account section, for administrators only', () => {
    const sidebar = (role: 'admin' | 'user') => text(renderToStaticMarkup(<Sidebar me={{ id: 1, name: 'Ada', email: 'ada@example.com', role }} current="groups" onNavigate={noop} onLogout={noop} />))
    expect(sidebar('admin')).toContain('Users Security Groups Directory sync RADIUS clients')
    expect(sidebar('user')).not.toContain('Groups')
  })
})
