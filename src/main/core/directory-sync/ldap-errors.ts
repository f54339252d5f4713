// Every failure of a directory read turned into an AppError whose message says what happened and
// what to do. Nothing here ever sees the bind password: the messages are built from the address,
// the DNs, the LDAP result code and the network error's code.
import { ResultCodeError } from 'ldapts'
import { AppError } from '../../../shared/errors'

export type DirectoryStage = 'connect' | 'tls' | 'bind' | 'search' | 'authenticate'

/** LDAP result codes (RFC 4511) named where they are tested. */
export const LDAP = {
  timeLimitExceeded: 3,
  sizeLimitExceeded: 4,
  strongerAuthRequired: 8,
  adminLimitExceeded: 11,
  unavailableCriticalExtension: 12,
  confidentialityRequired: 13,
  noSuchObject: 32,
  invalidDNSyntax: 34,
  inappropriateAuthentication: 48,
  invalidCredentials: 49,
  insufficientAccessRights: 50,
  busy: 51,
  unavailable: 52,
  unwillingToPerform: 53
} as const

/** The server was never reached: the address is wrong or nothing listens there. */
const UNREACHABLE_CODES = new Set(['ECONNREFUSED', 'ENOTFOUND', 'EAI_AGAIN', 'EHOSTUNREACH', 'ENETUNREACH', 'EADDRNOTAVAIL', 'ETIMEDOUT'])

/** ldapts reports a connect that never completes as a plain Error with this message. */
const CONNECT_TIMEOUT = /^connection timeout$/i

const NOTHING_CHANGED = 'nothing was changed'

function errnoOf(error: unknown): string | null {
  const code = (error as { code?: unknown } | null)?.code
  return typeof code === 'string' ? code : null
}

function isTlsFailure(error: unknown): boolean {
  const code = errnoOf(error) ?? ''
  const message = error instanceof Error ? error.message : ''
  return /^(ERR_TLS_|ERR_SSL_|CERT_|UNABLE_TO_|DEPTH_ZERO|SELF_SIGNED|ERR_OSSL)/.test(code) || /certificate|ssl|tls/i.test(message)
}

function resultCodeFailure(error: ResultCodeError, url: string, stage: DirectoryStage, dn: string): AppError {
  // The server's own words when it sent some, else the result's name (InvalidCredentialsError: "invalid credentials").
  const said = error.message.replace(/\s*Code: 0x[0-9a-f]+$/i, '').trim()
  const named = error.name
    .replace(/Error$/, '')
    .replace(/([a-z])([A-Z])/g, '$1 $2')
    .replace(/([A-Z]+)([A-Z][a-z])/g, '$1 $2')
    .split(' ')
    .map((word) => (/^[A-Z]{2,}$/.test(word) ? word : word.toLowerCase()))
    .join(' ')
  const ldap = `(LDAP ${error.code} ${named}${said === '' ? '' : `: ${said}`})`
  const binding = stage === 'bind' || stage === 'authenticate'
  if (binding && error.code === LDAP.invalidDNSyntax) {
    return new AppError('DIRECTORY_BIND_FAILED', `The directory at ${url} does not take ${dn} as a bind DN ${ldap}. Check the bind DN; ${NOTHING_CHANGED}.`)
  }
  switch (error.code) {
    case LDAP.invalidCredentials:
      return new AppError('DIRECTORY_BIND_FAILED', `The directory at ${url} refused the bind DN ${dn} and its password ${ldap}. Check both; ${NOTHING_CHANGED}.`)
    case LDAP.strongerAuthRequired:
    case LDAP.confidentialityRequired:
      return new AppError('DIRECTORY_BIND_FAILED', `The directory at ${url} only accepts binds over an encrypted connection ${ldap}. Use ldaps:// or turn on StartTLS; ${NOTHING_CHANGED}.`)
    case LDAP.inappropriateAuthentication:
      if (binding) {
        return new AppError('DIRECTORY_BIND_FAILED', `The directory at ${url} refused the bind as ${dn} ${ldap}. Check the bind DN; ${NOTHING_CHANGED}.`)
      }
      break
    case LDAP.invalidDNSyntax:
      return new AppError('DIRECTORY_SEARCH_FAILED', `The directory at ${url} does not take ${dn} as a DN ${ldap}. Check the base DN; ${NOTHING_CHANGED}.`)
    case LDAP.noSuchObject:
      return new AppError('DIRECTORY_SEARCH_FAILED', `The directory at ${url} has no entry ${dn} ${ldap}. Check the base DN; ${NOTHING_CHANGED}.`)
    case LDAP.insufficientAccessRights:
      return new AppError('DIRECTORY_SEARCH_FAILED', `The bind account may not read ${dn} on ${url} ${ldap}. Give it read access there; ${NOTHING_CHANGED}.`)
    case LDAP.sizeLimitExceeded:
    case LDAP.adminLimitExceeded:
      return new AppError('DIRECTORY_SEARCH_FAILED', `The directory at ${url} stopped the read at its size limit ${ldap}, so it was not used. Allow paged searches for the bind account; ${NOTHING_CHANGED}.`)
    case LDAP.unavailableCriticalExtension:
      return new AppError('DIRECTORY_SEARCH_FAILED', `The directory at ${url} does not offer paged searches ${ldap}, which a complete read needs; ${NOTHING_CHANGED}.`)
    case LDAP.busy:
    case LDAP.unavailable:
    case LDAP.timeLimitExceeded:
      return new AppError('DIRECTORY_UNAVAILABLE', `The directory at ${url} is busy or unavailable ${ldap}. Try again later; ${NOTHING_CHANGED}.`)
  }
  if (stage === 'tls') return new AppError('DIRECTORY_TLS_FAILED', `The directory at ${url} refused StartTLS ${ldap}. Use ldaps:// or check that the server offers StartTLS; ${NOTHING_CHANGED}.`)
  const code = binding ? 'DIRECTORY_BIND_FAILED' : 'DIRECTORY_SEARCH_FAILED'
  return new AppError(code, `The directory at ${url} refused the ${stage === 'search' ? 'search' : 'bind'} ${ldap}; ${NOTHING_CHANGED}.`)
}

/**
 * The AppError for `error`, thrown while `stage` ran against `url`; `dn` is the DN in play (the
 * bind DN for a bind, the base DN for a search). An AppError passes through unchanged.
 */
export function directoryFailure(error: unknown, url: string, stage: DirectoryStage, dn: string): AppError {
  if (error instanceof AppError) return error
  if (error instanceof ResultCodeError) return resultCodeFailure(error, url, stage, dn)
  const errno = errnoOf(error)
  const message = error instanceof Error ? error.message : String(error)
  const reason = errno ?? message.split('\n')[0] ?? 'no answer'
  if ((errno !== null && UNREACHABLE_CODES.has(errno)) || CONNECT_TIMEOUT.test(message)) {
    return new AppError('DIRECTORY_UNAVAILABLE', `The directory at ${url} did not answer (${reason}). Check the address and that the server runs; ${NOTHING_CHANGED}.`)
  }
  if (/timed out/i.test(message)) {
    return new AppError('DIRECTORY_UNAVAILABLE', `The directory at ${url} stopped answering (${reason}). Check that the server runs and is not overloaded, then try again; ${NOTHING_CHANGED}.`)
  }
  if (isTlsFailure(error) && errno === 'ECONNRESET') {
    return new AppError('DIRECTORY_TLS_FAILED', `The directory at ${url} closed the connection during the TLS handshake (${reason}). Check that this port speaks ldaps:// (usually 636), or use ldap:// with StartTLS; ${NOTHING_CHANGED}.`)
  }
  if (isTlsFailure(error)) {
    return new AppError('DIRECTORY_TLS_FAILED', `The encrypted connection to ${url} failed (${reason}). If the server's certificate comes from your own CA, give its CA file; ${NOTHING_CHANGED}.`)
  }
  // Everything else is a connection that broke or went silent (ECONNRESET, closed, timed out):
  // in the middle of a read that must fail the read, never end it early.
  return new AppError('DIRECTORY_UNAVAILABLE', `The connection to the directory at ${url} was lost (${reason}). Check that the server runs and try again; ${NOTHING_CHANGED}.`)
}
