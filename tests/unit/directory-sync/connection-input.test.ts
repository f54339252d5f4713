// What the directory connection accepts (the schema every transport checks):
// an LDAP address and nothing else, attribute names, sane bounds.
import { describe, expect, it } from 'vitest'
import { directorySyncSchemas } from '../../../src/shared/schemas/directory-sync'

const parse = (overrides: Record<string, unknown>) =>
  directorySyncSchemas.setDirectoryConnection.safeParse({ preset: 'openldap', url: 'ldap://127.0.0.1:389', baseDn: 'dc=example,dc=com', bindDn: '', ...overrides })

describe('the directory connection input', () => {
  it('takes ldap:// and ldaps:// addresses with a host and a port from 1 to 65535', () => {
    for (const url of ['ldap://127.0.0.1:1', 'ldaps://dc1.example.com:636', 'ldap://h', 'ldap://[::1]:389/', 'LDAP://Host:65535']) expect(parse({ url }).success, url).toBe(true)
  })

  it('refuses every other address: other schemes, ports out of range, paths, users, queries, spaces', () => {
    for (const url of ['ldap://h:99999999', 'ldap://h:0', 'ldap://', 'http://h', 'file:///etc/passwd', 'ldap://a b', 'ldap://host/ou=x', 'ldap://u@h', 'ldap://h:1:2', 'ldap://h?x', 'ldap://h#x']) {
      expect(parse({ url }).success, url).toBe(false)
    }
  })

  it('checks attribute names, the base DN, the mass-disable share and the schedule', () => {
    expect(parse({ emailAttribute: 'mail' }).success).toBe(true)
    expect(parse({ emailAttribute: '1.2.840.113556.1.4.221' }).success).toBe(true)
    for (const bad of [{ emailAttribute: 'mail)(uid=*' }, { nameAttribute: '' }, { baseDn: '' }, { baseDn: 'dc=\u202eevil' }, { massDisablePercent: 101 }, { massDisablePercent: 2.5 }, { scheduleMinutes: 1 }, { scheduleMinutes: 10081 }, { extra: 1 }]) {
      expect(parse(bad).success, JSON.stringify(bad)).toBe(false)
    }
    expect(parse({ scheduleMinutes: null, massDisablePercent: 0 }).success).toBe(true)
  })
})
