// What the directory presets read when an administrator leaves a field empty,
// and the warning about an unencrypted connection: the core applies them, the
// Directory sync screen shows them as placeholders and warns while the form is
// filled in, and the command line prints the same warning.
import type { DirectoryPresetName } from './contract/directory-sync'

export interface DirectoryPresetShown {
  /** The preset's name in the screens. */
  label: string
  emailAttribute: string
  nameAttribute: string
  loginAttribute: string
  /** Which entries are people when no user filter is given. */
  userFilter: string
  /** How a service account's DN looks in this kind of directory (a placeholder, never a default). */
  bindDnExample: string
}

export const DIRECTORY_PRESETS: Readonly<Record<DirectoryPresetName, DirectoryPresetShown>> = {
  openldap: {
    label: 'OpenLDAP',
    emailAttribute: 'mail',
    nameAttribute: 'cn',
    loginAttribute: 'uid',
    userFilter: '(objectClass=inetOrgPerson)',
    bindDnExample: 'cn=sync,dc=example,dc=com'
  },
  'active-directory': {
    label: 'Active Directory',
    emailAttribute: 'mail',
    nameAttribute: 'displayName',
    loginAttribute: 'sAMAccountName',
    userFilter: '(&(objectCategory=person)(objectClass=user))',
    bindDnExample: 'CN=svc-2fa,OU=Service Accounts,DC=example,DC=com'
  }
}

/** Why a plain ldap:// connection is a risk, said where the connection is shown. */
export const PLAIN_LDAP_WARNING =
  'This connection is not encrypted (ldap:// without StartTLS): the bind password and every password checked at sign-in cross the network in clear text. Use ldaps:// or turn on StartTLS.'

export function connectionWarnings(settings: { url: string; startTls: boolean }): string[] {
  return settings.url.trim().toLowerCase().startsWith('ldap://') && !settings.startTls ? [PLAIN_LDAP_WARNING] : []
}
