// Account > Directory sync rendered alone: the form (labels on every field,
// the preset's attributes as placeholders, the stored bind password never
// shown, the plain ldap:// warning, the test's answer), what a preview or a
// sync says, the stop before disabling users, the progress and the last sync;
// and the sidebar entry, for administrators only.
import { renderToStaticMarkup } from 'react-dom/server'
import { describe, expect, it } from 'vitest'
import type { DirectoryConnectionView, DirectorySyncResult } from '../../../src/shared/contract/directory-sync'
import { PLAIN_LDAP_WARNING } from '../../../src/shared/directory-presets'
import { DirectoryConnectionForm } from '../../../src/renderer/src/components/DirectoryConnectionForm'
import { LastSync, SyncProgress, SyncReport } from '../../../src/renderer/src/components/DirectorySyncReport'
import { Sidebar } from '../../../src/renderer/src/components/Sidebar'
import { draftFrom, type DirectoryDraft } from '../../../src/renderer/src/lib/directory-draft'
import { formatDateTime } from '../../../src/renderer/src/lib/format'
import type { DirectoryTestResult } from '../../../src/renderer/src/store/slices/directory-sync'

const text = (html: string) =>
  html
    .replace(/<[^>]+>/g, ' ')
    .replace(/&gt;/g, '>')
    .replace(/&lt;/g, '<')
    .replace(/&amp;/g, '&')
    .replace(/\s+/g, ' ')
    .trim()

/** The attributes of the input with this name. */
function input(html: string, name: string): Record<string, string> {
  const tag = new RegExp(`<input\\b[^>]*\\bname="${name}"[^>]*>`).exec(html)?.[0] ?? ''
  return Object.fromEntries([...tag.matchAll(/([\w-]+)="([^"]*)"/g)].map((match) => [match[1], match[2]]))
}
const idle = { pending: false, error: null, success: null }
const noop = () => {}

const VIEW: DirectoryConnectionView = {
  preset: 'openldap',
  url: 'ldaps://ldap.example.com:636',
  baseDn: 'dc=example,dc=com',
  bindDn: 'cn=sync,dc=example,dc=com',
  hasBindPassword: true,
  userFilter: null,
  groupDn: null,
  syncGroupDns: [],
  emailAttribute: 'mail',
  nameAttribute: 'cn',
  loginAttribute: 'uid',
  startTls: false,
  caFile: null,
  massDisablePercent: 10,
  scheduleMinutes: null,
  changedAt: 0,
  changedBy: 'ada@example.com',
  lastSyncAt: null,
  lastSync: null,
  warnings: []
}

function form(draft: DirectoryDraft, extra: { hasBindPassword?: boolean; tested?: DirectoryTestResult; invalidField?: string; error?: string } = {}): string {
  return renderToStaticMarkup(
    <DirectoryConnectionForm
      draft={draft}
      onEdit={noop}
      stored={extra.hasBindPassword ?? false}
      changed={false}
      hasBindPassword={extra.hasBindPassword ?? false}
      invalidField={extra.invalidField ?? null}
      save={extra.error ? { ...idle, error: extra.error } : idle}
      test={idle}
      tested={extra.tested ?? null}
      onSave={noop}
      onTest={noop}
    />
  )
}

/** Every input and select has a label that names it. */
function unlabelled(html: string): string[] {
  const labelled = new Set([...html.matchAll(/<label[^>]*for="([^"]+)"/g)].map((match) => match[1]))
  const controls = [...html.matchAll(/<(input|select)\b[^>]*>/g)].map((match) => match[0])
  return controls.filter((control) => {
    const id = /\bid="([^"]+)"/.exec(control)?.[1]
    // A checkbox inside its <label> is named by it.
    return !(id && labelled.has(id)) && !/type="checkbox"/.test(control)
  })
}

describe('the connection form', () => {
  it('labels every field and shows the preset’s attributes and filter as placeholders', () => {
    const openldap = form(draftFrom(null))
    expect(unlabelled(openldap)).toEqual([])
    for (const label of ['Directory type', 'Server URL', 'Base DN', 'Bind DN', 'Bind password', 'User filter', 'Group DN', 'Email attribute', 'Name attribute', 'Login attribute', 'Use StartTLS', 'CA certificate file', 'Sync automatically']) {
      expect(text(openldap)).toContain(label)
    }
    expect(openldap).toContain('placeholder="(objectClass=inetOrgPerson)"')
    expect(openldap).toContain('placeholder="uid"')
    const ad = form({ ...draftFrom(null), preset: 'active-directory' })
    expect(ad).toContain('placeholder="sAMAccountName"')
    expect(ad).toContain('placeholder="displayName"')
    expect(ad).toContain('placeholder="(&amp;(objectCategory=person)(objectClass=user))"')
  })

  it('never shows the stored bind password: the field is empty, and says leaving it empty keeps it', () => {
    const html = form(draftFrom(VIEW), { hasBindPassword: true })
    expect(input(html, 'bindPassword')).toMatchObject({ type: 'password', value: '', autoComplete: 'new-password' })
    expect(text(html)).toContain('Stored. Leave empty to keep it.')
    expect(text(form(draftFrom(null)))).not.toContain('Leave empty to keep it')
  })

  it('warns of a plain ldap:// address without StartTLS, and not once StartTLS is on', () => {
    const plain = { ...draftFrom(VIEW), url: 'ldap://ldap.example.com:389' }
    expect(text(form(plain))).toContain(PLAIN_LDAP_WARNING)
    expect(text(form({ ...plain, startTls: true }))).not.toContain('not encrypted')
    expect(text(form(draftFrom(VIEW)))).not.toContain('not encrypted')
  })

  it('says what the test found, without the warning twice, and marks the field the app refused', () => {
    const plain = { ...draftFrom(VIEW), url: 'ldap://ldap.example.com:389' }
    const html = text(form(plain, { tested: { entries: 1234, warnings: [PLAIN_LDAP_WARNING] } }))
    expect(html).toContain('The directory answered: 1,234 users would be synced.')
    expect(html.split('not encrypted')).toHaveLength(2)
    const refused = form(plain, { invalidField: 'baseDn', error: 'Enter the base DN, like dc=example,dc=com.' })
    expect(input(refused, 'baseDn')).toMatchObject({ 'aria-invalid': 'true' })
    expect(input(refused, 'url')['aria-invalid']).toBeUndefined()
    expect(text(refused)).toContain('Enter the base DN, like dc=example,dc=com.')
  })

  it('takes the groups to bring in, one DN per line, with its hint and the app\'s refusal tied to the field', () => {
    const draft = { ...draftFrom(VIEW), syncGroupDns: 'cn=VPN Users,ou=groups,dc=example,dc=com\nnot a dn' }
    const html = form(draft)
    const area = /<textarea\b[^>]*>/.exec(html)?.[0] ?? ''
    expect(area).toContain('name="syncGroupDns"')
    expect(area).toContain('aria-describedby="directory-sync-groups-hint"')
    expect(area).not.toContain('aria-invalid')
    expect(html).toContain('<label for="directory-sync-groups">Groups to bring in</label>')
    expect(text(html)).toContain('One DN per line, at most 50.')
    expect(text(html)).toContain('2 groups.')
    const message = 'Group 2 (not a dn) is not a DN: write it like cn=VPN Users,ou=groups,dc=example,dc=com.'
    const refused = form(draft, { invalidField: 'syncGroupDns', error: message })
    const marked = /<textarea\b[^>]*>/.exec(refused)?.[0] ?? ''
    expect(marked).toContain('aria-invalid="true"')
    expect(marked).toContain('aria-describedby="directory-sync-groups-hint directory-sync-groups-error"')
    expect(refused).toContain(`<div class="field-error" id="directory-sync-groups-error">${message}</div>`)
    // Said once, at the field.
    expect(text(refused).split(message)).toHaveLength(2)
  })

  it('asks for the minutes only when the schedule is on', () => {
    expect(text(form(draftFrom(null)))).not.toContain('Minutes between syncs')
    expect(input(form({ ...draftFrom(null), scheduled: true }), 'scheduleMinutes')).toMatchObject({ type: 'number', min: '5', max: '10080', value: '60' })
  })
})

const PREVIEW: DirectorySyncResult = {
  applied: false,
  dryRun: true,
  entries: 30,
  created: 1,
  updated: 1,
  disabled: 0,
  reenabled: 0,
  unchanged: 28,
  groupsCreated: 0,
  membersAdded: 0,
  membersRemoved: 0,
  errors: [{ dn: 'uid=nomail,ou=people,dc=example,dc=com', message: 'The entry has no mail: it cannot be synced.' }],
  changes: [
    { email: 'new@example.com', kind: 'create', detail: 'New Person' },
    { email: 'maria@example.com', kind: 'update', detail: 'name Maria -> Maria Rossi' }
  ],
  groups: [],
  massDisable: null
}

const report = (result: DirectorySyncResult) => text(renderToStaticMarkup(<SyncReport result={result} busy={false} onDismiss={noop} onSyncAnyway={noop} />))

describe('what a sync says', () => {
  it('a preview: what it would do, the changes and the entries left out; nothing changed yet', () => {
    const shown = report(PREVIEW)
    expect(shown).toContain('Preview of the sync')
    expect(shown).toContain('Reads 30 entries from the directory. Nothing was changed yet')
    expect(shown).toContain('1 to create 1 to update 0 to disable 0 to re-enable 28 unchanged')
    expect(shown).toContain('maria@example.com update name Maria -> Maria Rossi')
    expect(shown).not.toContain('are listed')
    expect(shown).toContain('1 entry of the directory was left out')
    expect(shown).toContain('Entry Problem uid=nomail,')
    expect(shown).toContain('dc=com The entry has no mail: it cannot be synced.')
    // A long DN wraps after its commas.
    expect(renderToStaticMarkup(<SyncReport result={PREVIEW} busy={false} onDismiss={noop} onSyncAnyway={noop} />)).toContain('uid=nomail,<wbr/></span><span>ou=people,<wbr/>')
  })

  it('a sync done: what it did', () => {
    const shown = report({ ...PREVIEW, applied: true, dryRun: false, errors: [] })
    expect(shown).toContain('Sync done')
    expect(shown).toContain('1 created 1 updated 0 disabled 0 re-enabled 28 unchanged')
    expect(shown).not.toContain('left out')
  })

  it('the stop before disabling too many users: nothing changed, and the way on', () => {
    const stopped: DirectorySyncResult = {
      ...PREVIEW,
      dryRun: false,
      created: 0,
      updated: 0,
      disabled: 4,
      unchanged: 26,
      errors: [],
      changes: [{ email: 'user00001@example.com', kind: 'disable', detail: 'no longer in the directory' }],
      massDisable: { wouldDisable: 4, synced: 30, limitPercent: 10 }
    }
    const html = renderToStaticMarkup(<SyncReport result={stopped} busy={false} onDismiss={noop} onSyncAnyway={noop} />)
    expect(html).toContain('role="alert"')
    const shown = text(html)
    expect(shown).toContain('The sync stopped before disabling users')
    expect(shown).toContain('It would have disabled 4 users of the 30 users synced from the directory , more than the limit of 10%. Nothing was changed.')
    expect(shown).toContain('Sync anyway (disable 4 users)')
    expect(shown).toContain('user00001@example.com disable no longer in the directory')
    expect(report({ ...stopped, dryRun: true })).toContain('A sync now stops here.')
  })

  it('what a sync did to the groups brought in: made, added, removed, and a DN the directory lacks', () => {
    const withGroups: DirectorySyncResult = {
      ...PREVIEW,
      groupsCreated: 1,
      membersAdded: 5,
      membersRemoved: 1,
      groups: [
        { dn: 'cn=VPN Users,ou=groups,dc=example,dc=com', name: 'VPN Users', created: true, added: 3, removed: 0, members: 3, notInDirectory: false },
        { dn: 'cn=Finance,ou=groups,dc=example,dc=com', name: 'Finance', created: false, added: 2, removed: 1, members: 12, notInDirectory: false },
        { dn: 'cn=Typo,ou=groups,dc=example,dc=com', name: null, created: false, added: 0, removed: 0, members: 0, notInDirectory: true }
      ]
    }
    const preview = report(withGroups)
    expect(preview).toContain('1 group to create 5 members to add 1 member to remove')
    expect(preview).toContain('Group Members Change VPN Users new cn=VPN Users, ou=groups, dc=example, dc=com 3 3 to add, 0 to remove')
    expect(preview).toContain('Finance cn=Finance, ou=groups, dc=example, dc=com 12 2 to add, 1 to remove')
    expect(preview).toContain('No group cn=Typo, ou=groups, dc=example, dc=com – Not in the directory, or the bind account cannot see it: no group made. Check the DN.')
    const done = report({ ...withGroups, applied: true, dryRun: false })
    expect(done).toContain('1 group created 5 members added 1 member removed')
    expect(done).toContain('12 2 added, 1 removed')
    // No groups brought in: no word of them.
    expect(report(PREVIEW)).not.toContain('members to add')
  })

  it('how far a sync got, and the last sync', () => {
    expect(text(renderToStaticMarkup(<SyncProgress progress={{ running: true, phase: 'reading', done: 0, total: 0 }} dryRun={false} />))).toBe('Reading the directory…')
    expect(text(renderToStaticMarkup(<SyncProgress progress={{ running: true, phase: 'applying', done: 1500, total: 5000 }} dryRun={false} />))).toBe('Applying: 1,500 of 5,000 entries…')
    expect(text(renderToStaticMarkup(<LastSync connection={VIEW} />))).toBe('Not synced yet.')
    const at = Date.UTC(2026, 2, 2, 9, 30)
    const last = text(renderToStaticMarkup(<LastSync connection={{ ...VIEW, lastSyncAt: at, lastSync: { created: 5, updated: 0, disabled: 1, reenabled: 0, unchanged: 20, groupsCreated: 0, membersAdded: 0, membersRemoved: 0 } }} />))
    expect(last).toBe(`Last sync: ${formatDateTime(at)} 5 created 0 updated 1 disabled 0 re-enabled 20 unchanged`)
    const lastSync = { created: 5, updated: 0, disabled: 1, reenabled: 0, unchanged: 20, groupsCreated: 2, membersAdded: 9, membersRemoved: 0 }
    const withGroups = text(renderToStaticMarkup(<LastSync connection={{ ...VIEW, syncGroupDns: ['cn=a,dc=x', 'cn=b,dc=x'], lastSyncAt: at, lastSync }} />))
    expect(withGroups).toBe(`Last sync: ${formatDateTime(at)} 5 created 0 updated 1 disabled 0 re-enabled 20 unchanged 2 groups created 9 members added 0 members removed`)
  })
})

describe('the sidebar', () => {
  it('offers Directory sync to administrators only', () => {
    const sidebar = (role: 'admin' | 'user') =>
      text(renderToStaticMarkup(<Sidebar me={{ id: 1, name: 'Ada', email: 'ada@example.com', role }} current="directory-sync" onNavigate={noop} onLogout={noop} />))
    expect(sidebar('admin')).toContain('Users Security Groups Directory sync')
    expect(sidebar('user')).not.toContain('Directory sync')
  })
})
