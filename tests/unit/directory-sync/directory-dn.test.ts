// DNs as the groups to bring in need them (src/shared/directory-dn.ts): what is a
// DN, when two DNs name the same group, a group's name; and an entry whose
// memberOf came in ranges (AD) keeps its groups.
import { describe, expect, it } from 'vitest'
import { dnKey, dnLines, firstRdnValue, normalizeDn, parseDn, syncGroupsProblem } from '../../../src/shared/directory-dn'
import * as directoryRepo from '../../../src/main/db/directory-repo'
import * as groupsRepo from '../../../src/main/db/groups-repo'
import { toDirectoryEntry, type EntryAttributes } from '../../../src/main/core/directory-sync/ldap-entries'
import { addUser, TestEnv } from '../helpers/harness'

describe('a DN', () => {
  it('parses RDNs with escapes, hex escapes, multi-valued RDNs and spaces around separators', () => {
    expect(parseDn(' cn = VPN Users , ou=groups,dc=example,dc=com ')).toEqual([
      [{ type: 'cn', value: 'VPN Users' }],
      [{ type: 'ou', value: 'groups' }],
      [{ type: 'dc', value: 'example' }],
      [{ type: 'dc', value: 'com' }]
    ])
    expect(parseDn('cn=Admins\\, Ops+uid=x,dc=com')?.[0]).toEqual([
      { type: 'cn', value: 'Admins, Ops' },
      { type: 'uid', value: 'x' }
    ])
    expect(firstRdnValue('cn=R\\C3\\A9seau\\20,dc=com')).toBe('Réseau ')
    expect(firstRdnValue('cn=\\#1 team,dc=com')).toBe('#1 team')
    expect(parseDn('1.2.840.113556.1.4.221=x,dc=com')).not.toBeNull()
  })

  it('is not: no =, a bad type, a bad or incomplete escape, an empty value, a trailing comma, what must be escaped, invalid UTF-8, a control character', () => {
    for (const bad of ['', 'VPN Users', 'cn=', 'cn=a,', ',cn=a', 'c n=a', '-cn=a', 'cn=a\\', 'cn=a\\q', 'cn=a\\4', 'cn=a;b', 'cn="a"', 'cn=<a>', 'cn=\\FF', 'cn=a\\0A', 'cn=a,,dc=x', 'cn=#zz']) {
      expect(parseDn(bad), bad).toBeNull()
    }
  })

  it('two DNs of the same group share a key whatever their case, spacing and escapes; others do not', () => {
    const key = normalizeDn('cn=VPN Users,ou=groups,dc=example,dc=com')
    for (const same of ['CN=vpn users, OU=Groups, DC=Example, DC=COM', 'cn=VPN\\20Users,ou=groups,dc=example,dc=com', 'cn = VPN Users ,ou=groups,dc=example,dc=com']) {
      expect(normalizeDn(same), same).toBe(key)
    }
    expect(normalizeDn('cn=VPN Users,ou=other,dc=example,dc=com')).not.toBe(key)
    expect(normalizeDn('cn=a\\,b,dc=x')).not.toBe(normalizeDn('cn=a,b=c,dc=x'))
    expect(normalizeDn('uid=x+cn=a,dc=x')).toBe(normalizeDn('cn=A+uid=X,dc=x'))
    // What does not parse is compared as it is, in lowercase.
    expect(dnKey('  Not A DN ')).toBe('not a dn')
  })

  it('the text box: a DN per line, and what is wrong with a list in words', () => {
    expect(dnLines('\n cn=a,dc=x \r\n\ncn=b,dc=x\n')).toEqual(['cn=a,dc=x', 'cn=b,dc=x'])
    expect(syncGroupsProblem(['cn=a,dc=x', 'cn=b,dc=x'])).toBeNull()
    expect(syncGroupsProblem(['cn=a,dc=x', 'CN=A, DC=X'])).toBe('Group 2 is the same group as group 1 (CN=A, DC=X).')
    expect(syncGroupsProblem([`cn=${'a'.repeat(1100)},dc=x`])).toBe('Group 1 has more than 1024 characters.')
  })
})

const OPENLDAP: EntryAttributes = {
  idAttribute: 'entryUUID',
  idIsGuidBytes: false,
  loginAttribute: 'uid',
  fallbackLoginAttribute: null,
  emailAttribute: 'mail',
  nameAttribute: 'cn',
  disabledAttribute: null,
  memberOfAttribute: 'memberOf'
}

describe('an entry\'s groups', () => {
  it('are every memberOf value, whatever the case of the attribute; in ranges (AD), only partly known', () => {
    const base = { dn: 'uid=a,dc=x', entryUUID: 'ID-1', uid: 'a', mail: 'a@example.com', cn: 'A' }
    expect(toDirectoryEntry({ ...base, memberof: ['cn=g1,dc=x', ' cn=g2,dc=x '] }, OPENLDAP)).toMatchObject({ memberOf: ['cn=g1,dc=x', 'cn=g2,dc=x'], memberOfComplete: true })
    expect(toDirectoryEntry(base, OPENLDAP)).toMatchObject({ memberOf: [], memberOfComplete: true })
    expect(toDirectoryEntry({ ...base, 'memberOf;range=0-1499': ['cn=g1,dc=x'] }, OPENLDAP)).toMatchObject({ memberOf: ['cn=g1,dc=x'], memberOfComplete: false })
    expect(toDirectoryEntry({ ...base, memberOf: 'cn=g1,dc=x' }, { ...OPENLDAP, memberOfAttribute: null })).toMatchObject({ memberOf: [], memberOfComplete: true })
  })

  it('a member whose groups are only partly known is never taken out of a group; one the read lacks neither', async () => {
    const env = new TestEnv()
    try {
      const db = env.db
      const ids = [await addUser(env, 'a@example.com'), await addUser(env, 'b@example.com'), await addUser(env, 'c@example.com')]
      ids.forEach((id, i) => db.prepare("UPDATE users SET source = 'ldap', directory_id = ? WHERE id = ?").run(`id-${i}`, id))
      const group = groupsRepo.insertGroup(db, { name: 'G', source: 'ldap', directoryDn: 'cn=g,dc=x', now: 0 })
      for (const id of ids) groupsRepo.addMember(db, group, id)
      directoryRepo.beginEntryStaging(db)
      // a and b are read, neither listed in group 0; b's groups came in ranges. c is not read at all.
      directoryRepo.stageEntry(db, { directoryId: 'id-0', dn: 'uid=a', login: 'a', email: 'a@example.com', name: 'a', disabled: false })
      directoryRepo.stageEntry(db, { directoryId: 'id-1', dn: 'uid=b', login: 'b', email: 'b@example.com', name: 'b', disabled: false })
      directoryRepo.stageMembership(db, directoryRepo.GROUPS_NOT_KNOWN, 'id-1')
      expect(directoryRepo.membersToRemoveAfter(db, group, 0, 0, 10)).toEqual([ids[0]])
      directoryRepo.endEntryStaging(db)
    } finally {
      env.dispose()
    }
  })
})
