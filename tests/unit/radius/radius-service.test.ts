// The RADIUS service against the real client (Debian freeradius-utils'
// radclient) on a loopback port (issue 11): password and code, the challenge,
// a replayed code, a retransmission answered identically, packets without a
// Message-Authenticator or with a wrong secret or from an unknown client
// discarded, the enforcement's message, a lockout shared with the app,
// Status-Server, and 10,000 malformed packets survived.
import { spawn } from 'node:child_process'
import { randomBytes } from 'node:crypto'
import { createSocket } from 'node:dgram'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { codeAt } from '../../../src/main/core/crypto/totp'
import { AttributeType, RadiusCode } from '../../../src/main/core/radius/attributes'
import { decodePacket } from '../../../src/main/core/radius/packet'
import { computeMessageAuthenticator, hideUserPassword } from '../../../src/main/core/radius/packet-auth'
import { assemblePacket, FIRST_ATTRIBUTE_VALUE_OFFSET } from '../../../src/main/core/radius/packet-encode'
import { ACTIVATE_FIRST } from '../../../src/main/core/radius/radius-sign-in'
import { startRadiusServer, type RadiusServer } from '../../../src/radius/radius-server'
import { addUser, PASSWORD, setUpAdmin, TestEnv, userWith2fa } from '../helpers/harness'

const SECRET = 'a shared secret for the vpn 2026'

let env: TestEnv
let server: RadiusServer
let secret: Buffer
let lines: string[]
beforeEach(async () => {
  env = new TestEnv()
  await setUpAdmin(env)
  secret = await userWith2fa(env, 'maria@example.com')
  await addUser(env, 'tom@example.com')
  await env.cli('addRadiusClient', { name: 'vpn', address: '127.0.0.1', secret: SECRET, require2fa: false })
  lines = []
  // Real time for the codes: the service's core runs on the test's manual clock.
  server = await startRadiusServer({ core: env.core, host: '127.0.0.1', port: 0, log: (line) => lines.push(line) })
})
afterEach(async () => {
  await server.close()
  env.dispose()
})

interface Reply {
  code: string
  attributes: Record<string, string>
  output: string
}

/** radclient sending `pairs` once; resolves with what it printed of the answer (or 'none' when there was none). */
function radclient(pairs: string, options: { secret?: string; kind?: 'auth' | 'status'; tries?: number; waitSeconds?: number } = {}): Promise<Reply> {
  return new Promise((resolve, reject) => {
    const timing = ['-r', String(options.tries ?? 1), '-t', String(options.waitSeconds ?? 2)]
    const child = spawn('radclient', ['-x', ...timing, `127.0.0.1:${server.address.port}`, options.kind ?? 'auth', options.secret ?? SECRET], { stdio: ['pipe', 'pipe', 'pipe'] })
    let output = ''
    child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString('utf8')))
    child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString('utf8')))
    const timer = setTimeout(() => child.kill('SIGKILL'), 10_000)
    child.once('error', reject)
    child.once('close', () => {
      clearTimeout(timer)
      const code = /Received (Access-\w+|Status-\w+)/.exec(output)?.[1] ?? 'none'
      const attributes: Record<string, string> = {}
      for (const match of output.matchAll(/^\s+(Reply-Message|State|Message-Authenticator) = (.+)$/gm)) attributes[match[1]!] = match[2]!.replace(/^"|"$/g, '')
      resolve({ code, attributes, output })
    })
    child.stdin.end(`${pairs}\n`)
  })
}

const code = () => codeAt(secret, Date.now())
const withAuthenticator = (pairs: string) => `${pairs},Message-Authenticator=0x00`

describe('the RADIUS service with radclient', () => {
  it('accepts the password followed by the code, and answers with a Message-Authenticator', async () => {
    env.clock.set(Date.now())
    const reply = await radclient(withAuthenticator(`User-Name=maria@example.com,User-Password="${PASSWORD}${code()}"`))
    expect(reply.code).toBe('Access-Accept')
    expect(reply.attributes['Message-Authenticator']).toBeDefined()
    expect(lines.some((line) => / vpn 127\.0\.0\.1:\d+ maria@example\.com accept \d+ ms$/.test(line))).toBe(true)
    expect(lines.join('\n')).not.toContain(PASSWORD)
  })

  it('challenges the password alone, accepts the code with the State, and rejects the same code again', async () => {
    env.clock.set(Date.now())
    const challenge = await radclient(withAuthenticator(`User-Name=maria@example.com,User-Password="${PASSWORD}"`))
    expect(challenge.code).toBe('Access-Challenge')
    expect(challenge.attributes['Reply-Message']).toMatch(/code from your authenticator app/)
    const state = challenge.attributes.State
    expect(state).toMatch(/^0x[0-9a-f]{32}$/)
    const used = code()
    expect((await radclient(withAuthenticator(`User-Name=maria@example.com,User-Password=${used},State=${state}`))).code).toBe('Access-Accept')
    // The same code again (password and code in one): a replay.
    expect((await radclient(withAuthenticator(`User-Name=maria@example.com,User-Password="${PASSWORD}${used}"`))).code).toBe('Access-Reject')
  })

  it('rejects an enforced user without 2FA with its message, and accepts one neither enforced nor required', async () => {
    expect((await radclient(withAuthenticator(`User-Name=tom@example.com,User-Password="${PASSWORD}"`))).code).toBe('Access-Accept')
    await env.cli('enforceForAllUsers')
    const reply = await radclient(withAuthenticator(`User-Name=tom@example.com,User-Password="${PASSWORD}"`))
    expect(reply.code).toBe('Access-Reject')
    expect(reply.attributes['Reply-Message']).toBe(ACTIVATE_FIRST)
  })

  it('discards a request without Message-Authenticator, with a wrong secret, and from a client it does not know', async () => {
    expect((await radclient(`User-Name=tom@example.com,User-Password="${PASSWORD}"`)).code).toBe('none')
    expect((await radclient(withAuthenticator(`User-Name=tom@example.com,User-Password="${PASSWORD}"`), { secret: 'not the shared secret at all' })).code).toBe('none')
    expect(server.counts['no-message-authenticator']).toBeGreaterThanOrEqual(1)
    expect(server.counts['bad-authenticator']).toBeGreaterThanOrEqual(1)
    await env.cli('removeRadiusClient', { name: 'vpn' })
    await env.cli('addRadiusClient', { name: 'elsewhere', address: '192.0.2.0/24', secret: SECRET, require2fa: false })
    await new Promise((resolve) => setTimeout(resolve, 2_100))
    expect((await radclient(withAuthenticator(`User-Name=tom@example.com,User-Password="${PASSWORD}"`))).code).toBe('none')
    expect(server.counts['unknown-client']).toBeGreaterThanOrEqual(1)
    // Nobody was asked about: no failure counted against Tom.
    expect(env.db.prepare('SELECT failed_attempts FROM users WHERE email = ?').pluck().get('tom@example.com')).toBe(0)
  }, 20_000)

  it('locks after 10 wrong passwords, one lockout with the app sign-in', async () => {
    for (let i = 0; i < 10; i++) expect((await radclient(withAuthenticator(`User-Name=tom@example.com,User-Password="wrong ${i}"`))).code).toBe('Access-Reject')
    expect((await env.screen().fail('login', { email: 'tom@example.com', password: PASSWORD })).code).toBe('ACCOUNT_LOCKED')
    expect((await radclient(withAuthenticator(`User-Name=tom@example.com,User-Password="${PASSWORD}"`))).code).toBe('Access-Reject')
  }, 30_000)

  it('answers nothing while another program holds the write lock, and accepts the retransmission once it is free', async () => {
    env.clock.set(Date.now())
    env.anotherProgramWrites()
    // Three tries a second apart; the lock is let go after the first.
    const reply = radclient(withAuthenticator(`User-Name=maria@example.com,User-Password="${PASSWORD}${code()}"`), { tries: 3, waitSeconds: 1 })
    await new Promise((next) => setTimeout(next, 1_300))
    env.letGo()
    expect((await reply).code).toBe('Access-Accept')
    expect(lines.some((line) => /error while answering 127\.0\.0\.1:\d+: database is locked/.test(line))).toBe(true)
    expect(lines.some((line) => / maria@example\.com reject/.test(line))).toBe(false)
    expect(env.db.prepare("SELECT failed_attempts FROM users WHERE email = 'maria@example.com'").pluck().get()).toBe(0)
  }, 20_000)

  it('answers Status-Server', async () => {
    const reply = await radclient('Message-Authenticator=0x00', { kind: 'status' })
    expect(reply.code).toBe('Access-Accept')
  })
})

/** An Access-Request built here, so the very same bytes can be sent twice. */
function accessRequest(identifier: number, user: string, password: string, authenticator = randomBytes(16), extra: { type: number; value: Buffer }[] = []): Buffer {
  const packet = assemblePacket(RadiusCode.AccessRequest, identifier, authenticator, [
    { type: AttributeType.UserName, value: Buffer.from(user) },
    { type: AttributeType.UserPassword, value: hideUserPassword(password, SECRET, authenticator) },
    ...extra
  ])
  computeMessageAuthenticator(packet, FIRST_ATTRIBUTE_VALUE_OFFSET, SECRET).copy(packet, FIRST_ATTRIBUTE_VALUE_OFFSET)
  return packet
}

async function exchange(packets: Buffer[], waitMs = 1500): Promise<Buffer[]> {
  const socket = createSocket('udp4')
  const answers: Buffer[] = []
  socket.on('message', (message) => answers.push(message))
  await new Promise<void>((resolve) => socket.bind(0, '127.0.0.1', resolve))
  for (const packet of packets) socket.send(packet, server.address.port, '127.0.0.1')
  await new Promise((resolve) => setTimeout(resolve, waitMs))
  socket.close()
  return answers
}

describe('retransmissions and hostile packets', () => {
  it('answers a retransmitted request with the very same bytes, deciding once (no second failure)', async () => {
    const request = accessRequest(7, 'tom@example.com', 'a wrong password')
    const first = await exchange([request])
    const again = await exchange([request], 500)
    expect(first).toHaveLength(1)
    // From another source port the key differs; from the same socket it is cached. Send both from one socket:
    const socket = createSocket('udp4')
    const answers: Buffer[] = []
    socket.on('message', (message) => answers.push(message))
    await new Promise<void>((resolve) => socket.bind(0, '127.0.0.1', resolve))
    const fresh = accessRequest(8, 'tom@example.com', 'another wrong one')
    socket.send(fresh, server.address.port, '127.0.0.1')
    await new Promise((resolve) => setTimeout(resolve, 800))
    socket.send(fresh, server.address.port, '127.0.0.1')
    await new Promise((resolve) => setTimeout(resolve, 500))
    socket.close()
    expect(answers).toHaveLength(2)
    expect(answers[1]!.equals(answers[0]!)).toBe(true)
    expect(decodePacket(answers[0]!).code).toBe(RadiusCode.AccessReject)
    expect(server.counts.retransmitted).toBeGreaterThanOrEqual(1)
    // Three requests decided (two from separate sockets of `request`, one of `fresh`): three failures, not four.
    expect(again).toHaveLength(1)
    expect(env.db.prepare('SELECT failed_attempts FROM users WHERE email = ?').pluck().get('tom@example.com')).toBe(3)
  })

  it('gives a proxy its Proxy-State attributes back unchanged, in order (RFC 2865 5.33)', async () => {
    const states = [Buffer.from('first-hop'), Buffer.from([0, 1, 2, 255])]
    const [answer] = await exchange([accessRequest(9, 'tom@example.com', PASSWORD, randomBytes(16), states.map((value) => ({ type: 33, value })))])
    const decoded = decodePacket(answer!)
    expect(decoded.code).toBe(RadiusCode.AccessAccept)
    expect(decoded.attributes.filter((attribute) => attribute.type === 33).map((attribute) => attribute.value)).toEqual(states)
  })

  it('survives 10,000 malformed packets and still answers a real request', async () => {
    const valid = accessRequest(1, 'tom@example.com', PASSWORD)
    const junk: Buffer[] = []
    for (let i = 0; i < 10_000; i++) {
      const kind = i % 5
      if (kind === 0) junk.push(randomBytes(1 + (i % 200)))
      else if (kind === 1) junk.push(valid.subarray(0, 1 + (i % (valid.length - 1))))
      else if (kind === 2) {
        const wrong = Buffer.from(valid)
        wrong.writeUInt16BE((i * 7919) % 65536, 2)
        junk.push(wrong)
      } else if (kind === 3) {
        const attributes = Buffer.alloc(4076)
        for (let j = 0; j < attributes.length; j += 2) attributes[j] = 1 + (j % 200)
        for (let j = 1; j < attributes.length; j += 2) attributes[j] = (i + j) % 3
        const header = Buffer.alloc(20)
        header[0] = 1
        header.writeUInt16BE(4096, 2)
        junk.push(Buffer.concat([header, attributes]))
      } else {
        const flipped = Buffer.from(valid)
        flipped[20 + (i % (valid.length - 20))]! ^= 1 << i % 8
        junk.push(flipped)
      }
    }
    const socket = createSocket('udp4')
    await new Promise<void>((resolve) => socket.bind(0, '127.0.0.1', resolve))
    const seen = () => server.counts.malformed + server.counts['bad-authenticator'] + server.counts['no-message-authenticator'] + server.counts['unsupported-code']
    // In batches the socket's receive buffer holds, each awaited until the service has read it (bounded).
    for (let i = 0; i < junk.length; i += 50) {
      const before = seen()
      const batch = junk.slice(i, i + 50)
      await Promise.all(batch.map((packet) => new Promise<void>((resolve) => socket.send(packet, server.address.port, '127.0.0.1', () => resolve()))))
      for (let wait = 0; wait < 100 && seen() - before < batch.length; wait++) await new Promise((resolve) => setTimeout(resolve, 2))
    }
    socket.close()
    // Each is discarded (none answered), nearly all of them read: UDP may drop a few under load.
    expect(seen()).toBeGreaterThan(9_000)
    expect(server.counts.answered).toBe(0)
    expect((await radclient(withAuthenticator(`User-Name=tom@example.com,User-Password="${PASSWORD}"`))).code).toBe('Access-Accept')
  }, 60_000)
})
