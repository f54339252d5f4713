// The RADIUS part of `npm run bench` (issue 11, "Speed"): the service of
// src/radius/radius-server.ts on a loopback port, asked over real UDP sockets.
// (1) `clients` NAS sockets each send an Access-Request (a user without 2FA,
// the password alone: one OWASP scrypt) again as soon as the last is answered,
// for `seconds`; the floor is the same number of bare verifyPassword calls, as
// many at once, through the same password pool (the scrypt cost alone).
// (2) Status-Server from another client socket, one after another, while those
// sign-ins are in flight and with the service idle. (3) A flood of random,
// unsigned datagrams from 127.0.0.2 (not a client; only 127.0.0.1 is), sent by
// a worker thread, while the real client keeps sending Status-Server; the
// service's discard counts, and the event-loop time each discard costs.
import { createSocket, type Socket } from 'node:dgram'
import { mkdtempSync, readFileSync, rmSync } from 'node:fs'
import os from 'node:os'
import { join } from 'node:path'
import { performance } from 'node:perf_hooks'
import { Worker } from 'node:worker_threads'
import { CLI_CALLER } from '../../src/main/core/caller'
import { fileKeyProvider } from '../../src/main/core/crypto/keys'
import { DEFAULT_PASSWORD_THREADS } from '../../src/main/core/crypto/password-pool'
import { hashPassword, OWASP_SCRYPT, verifyPassword } from '../../src/main/core/crypto/passwords'
import { databaseOf, openCore } from '../../src/main/core/open-core'
import { RadiusCode } from '../../src/main/core/radius/attributes'
import { decodeResponse, encodeRequest, type RequestSpec } from '../../src/main/core/radius/packet-client'
import * as usersRepo from '../../src/main/db/users-repo'
import { startRadiusServer, type RadiusServer } from '../../src/radius/radius-server'
import { benchDir, call, ms, toStats, type Stats } from './common'

export interface RadiusOptions {
  /** NAS sockets asking at once, each again as soon as its last Access-Request is answered. */
  clients: number
  /** Seconds of load (and of each probe and of the flood). */
  seconds: number
}

const PASSWORD = 'bench password for the radius sign-ins 2026'
const SECRET = 'a shared secret for the radius bench 2026'
const FAST = { N: 2 ** 10, r: 8, p: 1 }
/** A hard bound on the Access-Requests of the load row, whatever the time. */
const MAX_REQUESTS = 20_000
/** The flood's rate: this many datagrams per 10 ms tick. */
const FLOOD_PER_TICK = 200
const ANSWER_TIMEOUT_MS = 60_000
const PROBE_TIMEOUT_MS = 2_000

export interface RadiusResult {
  clients: number
  seconds: number
  threads: number
  load: { accepted: number; rejected: number; lost: number; elapsedMs: number; latency: Stats }
  floor: { calls: number; elapsedMs: number; latency: Stats }
  statusLoaded: Stats & { lost: number }
  statusIdle: Stats & { lost: number }
  statusFlood: Stats & { lost: number }
  flood: { sent: number; elapsedMs: number; counts: Record<string, number>; kernelDrops: number | null; usPerDiscard: number; idleElu: number; floodElu: number }
  loadavg: { before: number[]; after: number[] }
}

const pause = (delay: number) => new Promise((resolve) => setTimeout(resolve, delay))

/** One NAS socket: one request in flight at a time, answers matched by Identifier and checked with decodeResponse. */
class Nas {
  private next = 0
  private waiting: { identifier: number; authenticator: Buffer; done: (code: number | null) => void } | null = null
  private constructor(private readonly socket: Socket, private readonly port: number) {
    socket.on('message', (datagram) => {
      const waiting = this.waiting
      if (waiting === null) return
      try {
        const answer = decodeResponse(datagram, waiting, SECRET)
        this.waiting = null
        waiting.done(answer.code)
      } catch {
        // Not the answer we wait for: ignored, as a NAS does.
      }
    })
  }

  static async open(port: number, host = '127.0.0.1'): Promise<Nas> {
    const socket = createSocket('udp4')
    await new Promise<void>((resolve) => socket.bind(0, host, resolve))
    return new Nas(socket, port)
  }

  /** The answer's code, or null when none came within `timeoutMs`. */
  ask(spec: Omit<RequestSpec, 'identifier'>, timeoutMs: number): Promise<number | null> {
    const request = encodeRequest({ ...spec, identifier: this.next }, SECRET)
    this.next = (this.next + 1) % 256
    return new Promise((resolve) => {
      const timer = setTimeout(() => {
        this.waiting = null
        resolve(null)
      }, timeoutMs)
      this.waiting = {
        identifier: request.identifier,
        authenticator: request.authenticator,
        done: (code) => {
          clearTimeout(timer)
          resolve(code)
        }
      }
      this.socket.send(request.packet, this.port, '127.0.0.1')
    })
  }

  close(): Promise<void> {
    return new Promise((resolve) => this.socket.close(() => resolve()))
  }
}

/** Status-Server one after another (10 ms apart) until `until()` says stop. */
async function probeStatus(nas: Nas, until: () => boolean): Promise<Stats & { lost: number }> {
  const samples: number[] = []
  let lost = 0
  while (!until()) {
    const at = performance.now()
    const code = await nas.ask({ code: RadiusCode.StatusServer }, PROBE_TIMEOUT_MS)
    if (code === RadiusCode.AccessAccept) samples.push(performance.now() - at)
    else lost++
    await pause(10)
  }
  return { ...toStats(samples), lost }
}

/** Linux's count of UDP datagrams dropped for a full receive buffer (null elsewhere). */
function udpReceiveBufferErrors(): number | null {
  try {
    const lines = readFileSync('/proc/net/snmp', 'utf8').split('\n').filter((line) => line.startsWith('Udp:'))
    const [names, values] = lines.map((line) => line.split(/\s+/))
    const at = names?.indexOf('RcvbufErrors') ?? -1
    return at < 0 ? null : Number(values?.[at])
  } catch {
    return null
  }
}

/** Random datagrams from 127.0.0.2, FLOOD_PER_TICK every 10 ms for `seconds`, in a thread of their own (so the sending is not the service's work). */
const FLOOD_WORKER = `
const { parentPort, workerData } = require('node:worker_threads')
const { createSocket } = require('node:dgram')
const { randomBytes } = require('node:crypto')
const socket = createSocket('udp4')
socket.bind(0, '127.0.0.2', async () => {
  const end = Date.now() + workerData.seconds * 1000
  let sent = 0
  const pool = Array.from({ length: 64 }, (_, i) => {
    const packet = randomBytes(20 + ((i * 37) % 180))
    packet[0] = 1 + (i % 12)
    packet.writeUInt16BE(packet.length, 2)
    return packet
  })
  while (Date.now() < end) {
    const tick = Date.now()
    await Promise.all(Array.from({ length: workerData.perTick }, (_, i) => new Promise((resolve) => {
      const packet = pool[(sent + i) % pool.length]
      packet[1] = (sent + i) & 255
      socket.send(packet, workerData.port, '127.0.0.1', resolve)
    })))
    sent += workerData.perTick
    const wait = 10 - (Date.now() - tick)
    if (wait > 0) await new Promise((resolve) => setTimeout(resolve, wait))
  }
  socket.close(() => parentPort.postMessage({ sent }))
})`

export async function benchRadius(options: RadiusOptions): Promise<RadiusResult> {
  const loadBefore = os.loadavg()
  const dir = mkdtempSync(join(benchDir(), 'radius-'))
  const dbPath = join(dir, 'radius.db')
  const emails = Array.from({ length: options.clients }, (_, i) => `radius.${String(i).padStart(3, '0')}@bench.example`)
  process.stdout.write(`RADIUS: ${options.clients} users with an OWASP-cost password, a client at 127.0.0.1 ... `)
  let hash: string
  {
    const setup = openCore({ dbPath, keyProvider: fileKeyProvider(dbPath), passwordKdf: FAST, passwordThreads: 0 })
    try {
      for (const email of emails) await call(setup, CLI_CALLER, 'createUser', { name: email.split('@')[0] ?? email, email, role: 'user', password: PASSWORD })
      await call(setup, CLI_CALLER, 'addRadiusClient', { name: 'bench-nas', address: '127.0.0.1', secret: SECRET, require2fa: false })
      hash = await hashPassword(PASSWORD, OWASP_SCRYPT)
      const db = databaseOf(setup)
      db.transaction(() => {
        for (const email of emails) usersRepo.updatePasswordHash(db, usersRepo.findUserByEmail(db, email)!.id, hash, Date.now())
      })()
    } finally {
      setup.close()
    }
  }
  console.log('ready')
  const core = openCore({ dbPath, keyProvider: fileKeyProvider(dbPath) })
  let server: RadiusServer | null = null
  const sockets: Nas[] = []
  try {
    let logLines = 0
    server = await startRadiusServer({ core, host: '127.0.0.1', port: 0, log: () => logLines++ })
    const port = server.address.port
    const nases = await Promise.all(emails.map(() => Nas.open(port)))
    const prober = await Nas.open(port)
    sockets.push(...nases, prober)
    // One untimed sign-in and Status-Server: the pool's threads start, the page cache is warm.
    if ((await nases[0]!.ask({ userName: emails[0]!, password: PASSWORD }, ANSWER_TIMEOUT_MS)) !== RadiusCode.AccessAccept) throw new Error('The warm-up Access-Request was not accepted.')
    await prober.ask({ code: RadiusCode.StatusServer }, PROBE_TIMEOUT_MS)

    // ---- (1) + (2) loaded: every NAS asking, Status-Server probed meanwhile.
    const started = performance.now()
    const deadline = started + options.seconds * 1000
    const latencies: number[] = []
    let accepted = 0
    let rejected = 0
    let lost = 0
    let issued = 0
    const nas = async (socket: Nas, email: string) => {
      while (performance.now() < deadline && issued < MAX_REQUESTS) {
        issued++
        const at = performance.now()
        const code = await socket.ask({ userName: email, password: PASSWORD }, ANSWER_TIMEOUT_MS)
        // Counted only until the deadline: after it, the NASes stop one by one and the load falls.
        const inTime = performance.now() <= deadline
        if (code === RadiusCode.AccessAccept) {
          if (inTime) accepted++
          latencies.push(performance.now() - at)
        } else if (code === null) lost++
        else rejected++
      }
    }
    const loaded = Promise.all(nases.map((socket, i) => nas(socket, emails[i]!)))
    const statusLoaded = await probeStatus(prober, () => performance.now() >= deadline)
    const loadElapsed = Math.min(performance.now(), deadline) - started
    await loaded
    console.log(`  Access-Request at full load: ${(accepted / (loadElapsed / 1000)).toFixed(2)}/s, p95 ${ms(toStats(latencies).p95)} ms; Status-Server meanwhile p95 ${ms(statusLoaded.p95)} ms`)

    // ---- floor: as many bare password checks, as many at once, through the same pool.
    const floorCalls = Math.max(accepted, options.clients)
    const floorLatencies: number[] = []
    let floorIssued = 0
    const floorStarted = performance.now()
    await Promise.all(
      emails.map(async () => {
        while (floorIssued < floorCalls) {
          floorIssued++
          const at = performance.now()
          if (!(await verifyPassword(PASSWORD, hash))) throw new Error('The floor password check failed.')
          floorLatencies.push(performance.now() - at)
        }
      })
    )
    const floorElapsed = performance.now() - floorStarted
    console.log(`  floor: ${floorCalls} bare verifyPassword calls, ${(floorCalls / (floorElapsed / 1000)).toFixed(2)}/s`)

    // ---- (2) idle, the baseline of (3): the event loop's utilization is measured too.
    let probeEnd = performance.now() + options.seconds * 1000
    let elu = performance.eventLoopUtilization()
    const idleAt = performance.now()
    const statusIdle = await probeStatus(prober, () => performance.now() >= probeEnd)
    const idle = performance.eventLoopUtilization(elu)
    const idleElapsed = performance.now() - idleAt
    console.log(`  Status-Server idle p95 ${ms(statusIdle.p95)} ms`)

    // ---- (3) the flood, from a worker thread bound to 127.0.0.2.
    const before = { ...server.counts }
    const dropsBefore = udpReceiveBufferErrors()
    const worker = new Worker(FLOOD_WORKER, { eval: true, workerData: { port, seconds: options.seconds, perTick: FLOOD_PER_TICK } })
    const floodDone = new Promise<number>((resolve, reject) => {
      worker.once('message', (message: { sent: number }) => resolve(message.sent))
      worker.once('error', reject)
    })
    let flooding = true
    void floodDone.then(() => (flooding = false), () => (flooding = false))
    elu = performance.eventLoopUtilization()
    const floodAt = performance.now()
    probeEnd = floodAt + options.seconds * 1000
    const statusFlood = await probeStatus(prober, () => !flooding || performance.now() >= probeEnd)
    const sent = await floodDone
    await pause(200)
    const floodElapsed = performance.now() - floodAt
    const flooded = performance.eventLoopUtilization(elu)
    const dropsAfter = udpReceiveBufferErrors()
    await worker.terminate()
    const counts: Record<string, number> = {}
    for (const [key, value] of Object.entries(server.counts)) counts[key] = value - (before[key as keyof typeof before] ?? 0)
    const discarded = Object.entries(counts).filter(([key]) => key !== 'answered' && key !== 'retransmitted').reduce((sum, [, value]) => sum + value, 0)
    // The event loop's busy time beyond the idle run's (scaled to the same length), per discarded datagram.
    const extraMs = flooded.active - idle.active * (floodElapsed / idleElapsed)
    const usPerDiscard = discarded > 0 ? (extraMs * 1000) / discarded : NaN
    console.log(`  flood: ${sent} datagrams sent, ${discarded} discarded (${JSON.stringify(counts)}), Status-Server p95 ${ms(statusFlood.p95)} ms, ${usPerDiscard.toFixed(1)} us per discard`)
    void logLines
    return {
      clients: options.clients,
      seconds: options.seconds,
      threads: DEFAULT_PASSWORD_THREADS,
      load: { accepted, rejected, lost, elapsedMs: loadElapsed, latency: toStats(latencies) },
      floor: { calls: floorCalls, elapsedMs: floorElapsed, latency: toStats(floorLatencies) },
      statusLoaded,
      statusIdle,
      statusFlood,
      flood: {
        sent,
        elapsedMs: floodElapsed,
        counts,
        kernelDrops: dropsBefore === null || dropsAfter === null ? null : dropsAfter - dropsBefore,
        usPerDiscard,
        idleElu: idle.utilization,
        floodElu: flooded.utilization
      },
      loadavg: { before: loadBefore, after: os.loadavg() }
    }
  } finally {
    await Promise.all(sockets.map((socket) => socket.close()))
    await server?.close()
    core.close()
    rmSync(dir, { recursive: true, force: true })
  }
}

export function reportRadius(result: RadiusResult, measured: string[]): string {
  const { load, floor, flood } = result
  const rate = load.accepted / (load.elapsedMs / 1000)
  const floorRate = floor.calls / (floor.elapsedMs / 1000)
  const avg = (values: number[]) => values.map((value) => value.toFixed(2)).join(' / ')
  const status = (label: string, row: Stats & { lost: number }) => `| ${label} | ${row.runs} | ${ms(row.p50)} | ${ms(row.p95)} | ${row.lost} |`
  const discards = Object.entries(flood.counts)
    .filter(([, value]) => value > 0)
    .map(([key, value]) => `${key} ${value.toLocaleString('en')}${key === 'answered' ? " (the real client's Status-Server)" : ''}`)
    .join(', ')
  return [
    '## RADIUS service under load',
    '',
    `Issue 11's rows for the RADIUS service (src/radius/radius-server.ts on 127.0.0.1, asked over real UDP sockets; \`npm run bench -- --only radius --radius-clients ${result.clients} --radius-seconds ${result.seconds}\`). ` +
      `**Access-Request**: ${result.clients} NAS sockets each send one (a user without 2FA, the right password alone: an OWASP scrypt check, N=2^${Math.log2(OWASP_SCRYPT.N)} r=${OWASP_SCRYPT.r} p=${OWASP_SCRYPT.p}, and the audit commit) again as soon as the last is answered, ` +
      `for ${result.seconds} s (at most ${MAX_REQUESTS.toLocaleString('en')}); per second counts those accepted within that time. **floor**: the same number of bare \`verifyPassword\` calls, ${result.clients} at once, through the same password pool (${result.threads} threads), i.e. the scrypt cost alone. ` +
      `**Status-Server**: from another client socket, one after another 10 ms apart, for ${result.seconds} s each. ` +
      `**Flood**: a worker thread sends random datagrams (no Message-Authenticator, random code and bytes) from 127.0.0.2, which is not a client, ${FLOOD_PER_TICK} every 10 ms for ${result.seconds} s, while the real client at 127.0.0.1 keeps sending Status-Server. ` +
      'Milliseconds; an answer not back within 60 s (Access-Request) or 2 s (Status-Server) counts as lost.',
    '',
    ...measured,
    '',
    '| Access-Requests | accepted/s | accepted | rejected | lost | p50 | p95 |',
    '|---|---:|---:|---:|---:|---:|---:|',
    `| through the service, ${result.clients} at once | ${rate.toFixed(2)} | ${load.accepted} | ${load.rejected} | ${load.lost} | ${ms(load.latency.p50)} | ${ms(load.latency.p95)} |`,
    `| floor: bare verifyPassword, ${result.clients} at once | ${floorRate.toFixed(2)} | ${floor.calls} | | | ${ms(floor.latency.p50)} | ${ms(floor.latency.p95)} |`,
    '',
    `Ratio ours / floor in sign-ins per second: ${(rate / floorRate).toFixed(2)} (compare the rates: a sign-in waits its turn in the pool, so its latency is about ${result.clients} / ${rate.toFixed(1)} per s, not one scrypt; ` +
      "the two latencies are not alike: the floor's calls are one burst that drains, while the service's NASes keep the queue full; the floor runs right after the load, so a change in the machine's load between them moves the ratio).",
    '',
    '| Status-Server | answers | p50 | p95 | lost |',
    '|---|---:|---:|---:|---:|',
    status('idle', result.statusIdle),
    status(`while ${result.clients} sign-ins are in flight`, result.statusLoaded),
    status(`during the flood`, result.statusFlood),
    '',
    `Flood: ${flood.sent.toLocaleString('en')} datagrams in ${(flood.elapsedMs / 1000).toFixed(1)} s (${Math.round(flood.sent / (flood.elapsedMs / 1000)).toLocaleString('en')}/s); the service counted ${discards || 'nothing'}` +
      `${flood.kernelDrops === null ? '' : `; the kernel dropped ${flood.kernelDrops.toLocaleString('en')} UDP datagrams for a full receive buffer (all sockets, /proc/net/snmp RcvbufErrors)`}. ` +
      `${result.statusFlood.lost > 0 ? `${result.statusFlood.lost} of the real client's Status-Server requests got no answer within 2 s during the flood (most likely dropped with the flood's datagrams when the receive buffer was full). ` : ''}` +
      `The service's event loop was busy ${(flood.floodElu * 100).toFixed(1)}% of the time during the flood, ${(flood.idleElu * 100).toFixed(1)}% while idle: about ${flood.usPerDiscard.toFixed(1)} µs of event-loop time per discarded datagram. ` +
      `Load average (1 / 5 / 15 min): ${avg(result.loadavg.before)} before, ${avg(result.loadavg.after)} after, on ${os.availableParallelism?.() ?? os.cpus().length} cores.`
  ].join('\n')
}

