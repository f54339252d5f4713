// One bound connection to the directory, for as long as a callback runs, then always unbound and
// closed. ldaps:// or StartTLS with the system's CAs or a given CA file; every step bounded by the
// timeout (connect, the TLS handshake, each operation). Errors leave here as AppErrors.
import { readFile } from 'node:fs/promises'
import { isIP } from 'node:net'
import type { ConnectionOptions } from 'node:tls'
import { Client } from 'ldapts'
import { AppError } from '../../../shared/errors'
import { directoryFailure, type DirectoryStage } from './ldap-errors'

export interface ConnectionSettings {
  url: string
  startTls: boolean
  caFile: string | null
  timeoutMs?: number
}

export const DEFAULT_TIMEOUT_MS = 10_000

interface Endpoint {
  url: string
  secure: boolean
  host: string
}

/** The address, checked: ldap:// or ldaps:// and a host. */
export function endpointOf(url: string): Endpoint {
  let parsed: URL
  try {
    parsed = new URL(url.trim())
  } catch {
    throw new AppError('VALIDATION', `${url} is not a directory address: write it like ldaps://ldap.example.com or ldap://10.0.0.5:389.`, 'url')
  }
  if ((parsed.protocol !== 'ldap:' && parsed.protocol !== 'ldaps:') || parsed.hostname === '') {
    throw new AppError('VALIDATION', `${url} is not a directory address: it must start with ldap:// or ldaps:// and name a host.`, 'url')
  }
  const host = parsed.hostname.replace(/^\[(.*)\]$/, '$1')
  return { url: `${parsed.protocol}//${parsed.host}`, secure: parsed.protocol === 'ldaps:', host }
}

async function tlsOptionsFor(settings: ConnectionSettings, endpoint: Endpoint): Promise<ConnectionOptions> {
  const options: ConnectionOptions = { minVersion: 'TLSv1.2', rejectUnauthorized: true, host: endpoint.host }
  // SNI takes a name, never an address; the certificate is still checked against the address.
  if (isIP(endpoint.host) === 0) options.servername = endpoint.host
  if (settings.caFile !== null && settings.caFile.trim() !== '') {
    try {
      options.ca = await readFile(settings.caFile.trim())
    } catch (error) {
      const code = (error as { code?: unknown }).code
      throw new AppError('VALIDATION', `The CA file ${settings.caFile} cannot be read (${typeof code === 'string' ? code : 'unreadable'}). Give the PEM file of the CA that signed the directory's certificate.`, 'caFile')
    }
  }
  return options
}

/** Rejects with a lost-connection error when `work` takes longer than `ms` (for steps ldapts does not time itself). */
async function within<T>(ms: number, work: Promise<T>): Promise<T> {
  let timer: NodeJS.Timeout | undefined
  const deadline = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`Operation timed out after ${ms} ms`)), ms)
  })
  try {
    return await Promise.race([work, deadline])
  } finally {
    clearTimeout(timer)
  }
}

/** Unbinds and closes; a connection that is already gone is fine. */
export async function closeQuietly(client: Client, timeoutMs: number): Promise<void> {
  try {
    await within(Math.min(timeoutMs, 2_000), client.unbind())
  } catch {
    // The server is gone or slow: the socket is destroyed either way.
  }
}

export interface Session {
  client: Client
  /** The address as shown in messages (scheme, host and port). */
  url: string
  timeoutMs: number
}

/** A client for the address, secured (ldaps:// from the start, or StartTLS now) but not bound yet. Close it with closeQuietly. */
export async function openSession(settings: ConnectionSettings): Promise<Session> {
  const endpoint = endpointOf(settings.url)
  const timeoutMs = settings.timeoutMs ?? DEFAULT_TIMEOUT_MS
  const tlsOptions = endpoint.secure || settings.startTls ? await tlsOptionsFor(settings, endpoint) : null
  // ldapts opens TLS from the first byte whenever it is given TLS options: so only for ldaps://.
  const client = new Client({ url: endpoint.url, timeout: timeoutMs, connectTimeout: timeoutMs, ...(endpoint.secure && tlsOptions !== null ? { tlsOptions } : {}) })
  if (!endpoint.secure && settings.startTls && tlsOptions !== null) {
    try {
      await within(timeoutMs, client.startTLS(tlsOptions))
    } catch (error) {
      await closeQuietly(client, timeoutMs)
      throw directoryFailure(error, endpoint.url, 'tls', '')
    }
  }
  return { client, url: endpoint.url, timeoutMs }
}

/** Binds the session as `dn` (an empty DN stays anonymous); `stage` names the bind in errors. */
export async function bindSession(session: Session, dn: string, password: string, stage: Extract<DirectoryStage, 'bind' | 'authenticate'>): Promise<void> {
  if (dn === '') return
  try {
    await session.client.bind(dn, password)
  } catch (error) {
    throw directoryFailure(error, session.url, stage, dn)
  }
}

/** Opens, binds as `dn`, runs `use`, and always unbinds and closes. */
export async function withBoundSession<T>(settings: ConnectionSettings, dn: string, password: string, use: (session: Session) => Promise<T>): Promise<T> {
  const session = await openSession(settings)
  try {
    await bindSession(session, dn, password, 'bind')
    return await use(session)
  } finally {
    await closeQuietly(session.client, session.timeoutMs)
  }
}
