// The RADIUS service's transport: a UDP socket that takes Access-Requests and
// Status-Server packets from the configured clients only, checks each one's
// Message-Authenticator (required, BlastRADIUS), answers retransmissions from
// a 30-second cache without deciding twice, and asks the core to decide every
// sign-in. Everything else is discarded silently and counted. An adapter: it
// never touches the database (core.local does).
import { createSocket, type RemoteInfo, type Socket } from 'node:dgram'
import type { Core } from '../main/core/open-core'
import type { LoadedRadiusClient } from '../main/core/radius/local'
import type { RadiusDecision } from '../main/core/radius/radius-sign-in'
import { attributeValues, messageAuthenticatorOf, printable, RadiusCode, stateOf, userNameOf, userPasswordOf, type RadiusAttribute } from '../main/core/radius/attributes'
import { decodePacket, RadiusPacketError, type DecodedPacket } from '../main/core/radius/packet'
import { decryptUserPassword, verifyRequestMessageAuthenticator } from '../main/core/radius/packet-auth'
import { encodeResponse } from '../main/core/radius/packet-encode'

export interface RadiusServerOptions {
  core: Core
  host: string
  port: number
  /** One line per request (and per discard summary); never a password, a code or a secret. */
  log: (line: string) => void
  now?: () => number
}

export interface RadiusServer {
  readonly address: { host: string; port: number }
  readonly counts: Readonly<Record<Discard | 'answered' | 'retransmitted', number>>
  close(): Promise<void>
}

type Discard = 'unknown-client' | 'malformed' | 'no-message-authenticator' | 'bad-authenticator' | 'unsupported-code' | 'in-progress'

const RETRANSMIT_WINDOW_MS = 30_000
const PROXY_STATE = 33
const RECEIVE_BUFFER_BYTES = 8 * 1024 * 1024
/** Bounds of the caches, so a flood cannot grow memory. */
const MAX_CACHED = 20_000
const CLIENTS_RELOAD_MS = 2_000
const DISCARD_REPORT_MS = 10_000

export async function startRadiusServer(options: RadiusServerOptions): Promise<RadiusServer> {
  const now = options.now ?? Date.now
  const socket: Socket = createSocket({ type: options.host.includes(':') ? 'udp6' : 'udp4' })
  const counts: Record<Discard | 'answered' | 'retransmitted', number> = {
    'unknown-client': 0,
    malformed: 0,
    'no-message-authenticator': 0,
    'bad-authenticator': 0,
    'unsupported-code': 0,
    'in-progress': 0,
    answered: 0,
    retransmitted: 0
  }
  let clients: LoadedRadiusClient[] = options.core.local.loadRadiusClients()
  let clientsVersion = options.core.local.radiusClientsVersion()
  let clientsCheckedAt = now()
  const answered = new Map<string, { response: Buffer; at: number }>()
  const inProgress = new Set<string>()
  let discardedSinceReport = 0

  const clientFor = (ip: string): LoadedRadiusClient | undefined => {
    if (now() - clientsCheckedAt > CLIENTS_RELOAD_MS) {
      clientsCheckedAt = now()
      const version = options.core.local.radiusClientsVersion()
      if (version !== clientsVersion) {
        clients = options.core.local.loadRadiusClients()
        clientsVersion = version
        options.log(`${new Date(now()).toISOString()} clients reloaded: ${clients.map((client) => client.name).join(', ') || 'none'}`)
      }
    }
    return clients.find((client) => client.matches(ip))
  }

  const discard = (why: Discard): void => {
    counts[why]++
    discardedSinceReport++
  }

  const report = setInterval(() => {
    if (discardedSinceReport === 0) return
    const parts = (Object.keys(counts) as (keyof typeof counts)[]).filter((key) => key !== 'answered' && key !== 'retransmitted' && counts[key] > 0).map((key) => `${key} ${counts[key]}`)
    options.log(`${new Date(now()).toISOString()} discarded ${discardedSinceReport} packets in the last ${DISCARD_REPORT_MS / 1000} s (totals: ${parts.join(', ')})`)
    discardedSinceReport = 0
  }, DISCARD_REPORT_MS)
  report.unref()

  const forgetOld = (): void => {
    const cutoff = now() - RETRANSMIT_WINDOW_MS
    for (const [key, entry] of answered) {
      if (entry.at >= cutoff && answered.size <= MAX_CACHED) break
      answered.delete(key)
    }
  }

  const send = (response: Buffer, rinfo: RemoteInfo): void => {
    socket.send(response, rinfo.port, rinfo.address)
  }

  const handle = async (raw: Buffer, rinfo: RemoteInfo): Promise<void> => {
    const started = process.hrtime.bigint()
    const client = clientFor(rinfo.address)
    if (client === undefined) return discard('unknown-client')
    let packet: DecodedPacket
    try {
      packet = decodePacket(raw)
    } catch (error) {
      if (error instanceof RadiusPacketError) return discard('malformed')
      throw error
    }
    if (packet.code !== RadiusCode.AccessRequest && packet.code !== RadiusCode.StatusServer) return discard('unsupported-code')
    if (messageAuthenticatorOf(packet) === undefined) return discard('no-message-authenticator')
    if (!verifyRequestMessageAuthenticator(packet, client.secret)) return discard('bad-authenticator')

    const key = `${client.name}|${rinfo.address}|${rinfo.port}|${packet.identifier}|${packet.authenticator.toString('hex')}`
    forgetOld()
    const cached = answered.get(key)
    if (cached !== undefined) {
      counts.retransmitted++
      send(cached.response, rinfo)
      return
    }
    // A retransmission while the first copy is still being decided: the first one answers.
    if (inProgress.has(key)) return discard('in-progress')
    if (inProgress.size >= MAX_CACHED) return discard('in-progress')
    inProgress.add(key)
    try {
      // RFC 2865 §5.33: a proxy's Proxy-State attributes go back unchanged, in order.
      const proxyState: RadiusAttribute[] = attributeValues(packet, PROXY_STATE).filter((value) => value.length > 0).map((value) => ({ type: PROXY_STATE, value }))
      let decision: RadiusDecision | null = null
      let response: Buffer
      let user = ''
      if (packet.code === RadiusCode.StatusServer) {
        response = encodeResponse({ code: RadiusCode.AccessAccept, identifier: packet.identifier, requestAuthenticator: packet.authenticator, attributes: proxyState }, client.secret)
      } else {
        user = userNameOf(packet) ?? ''
        const hidden = userPasswordOf(packet)
        let password = ''
        if (hidden !== undefined) {
          try {
            const opened = decryptUserPassword(hidden, client.secret, packet.authenticator)
            password = opened.toString('utf8')
            opened.fill(0)
          } catch (error) {
            if (!(error instanceof RadiusPacketError)) throw error
          }
        }
        decision = await options.core.local.radiusSignIn.decide(client, user, password, stateOf(packet) ?? null)
        response = encodeResponse(
          {
            code: decision.kind === 'accept' ? RadiusCode.AccessAccept : decision.kind === 'challenge' ? RadiusCode.AccessChallenge : RadiusCode.AccessReject,
            identifier: packet.identifier,
            requestAuthenticator: packet.authenticator,
            ...(decision.kind === 'challenge' ? { state: decision.state } : {}),
            ...(decision.reply === null ? {} : { replyMessage: decision.reply }),
            attributes: proxyState
          },
          client.secret
        )
      }
      answered.set(key, { response, at: now() })
      counts.answered++
      send(response, rinfo)
      const ms = Number(process.hrtime.bigint() - started) / 1e6
      const outcome = decision === null ? 'status-server' : decision.kind === 'reject' ? `reject (${decision.reason})` : decision.kind
      options.log(`${new Date(now()).toISOString()} ${client.name} ${rinfo.address}:${rinfo.port} ${printable(user) || '-'} ${outcome} ${ms.toFixed(0)} ms`)
    } finally {
      inProgress.delete(key)
    }
  }

  socket.on('message', (raw, rinfo) => {
    handle(raw, rinfo).catch((error: unknown) => {
      // A fault of ours (the database gone, the key unreadable): no answer, one log line, the service goes on.
      options.log(`${new Date(now()).toISOString()} error while answering ${rinfo.address}:${rinfo.port}: ${(error as Error).message}`)
    })
  })

  await new Promise<void>((resolve, reject) => {
    socket.once('error', reject)
    socket.bind(options.port, options.host, () => {
      socket.off('error', reject)
      resolve()
    })
  })
  socket.on('error', (error) => options.log(`${new Date(now()).toISOString()} socket error: ${error.message}`))
  // A larger receive buffer, so a flood of junk does not crowd real requests out in the kernel
  // (Linux caps it at net.core.rmem_max; docs/RADIUS.md says how to raise that).
  try {
    socket.setRecvBufferSize(RECEIVE_BUFFER_BYTES)
  } catch {
    // Keeps the system's default.
  }
  const bound = socket.address()
  return {
    address: { host: bound.address, port: bound.port },
    counts,
    close: () =>
      new Promise<void>((resolve) => {
        clearInterval(report)
        socket.close(() => resolve())
      })
  }
}
