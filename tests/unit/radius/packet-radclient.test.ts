// The codec against the real client: FreeRADIUS's radclient (Debian
// freeradius-utils, installed by .ci/run) sends to a UDP socket of the test;
// what arrives must decode, its password must open and its Message-Authenticator
// verify; what we answer must be taken by radclient, whose own checks of the
// Response Authenticator and the Message-Authenticator are the real test.
import { spawn } from 'node:child_process'
import { createSocket, type RemoteInfo } from 'node:dgram'
import { describe, expect, it } from 'vitest'
import { RadiusCode, userNameOf, userPasswordOf } from '../../../src/main/core/radius/attributes'
import { decodePacket, type DecodedPacket } from '../../../src/main/core/radius/packet'
import { computeResponseAuthenticator, decryptUserPassword, verifyRequestMessageAuthenticator } from '../../../src/main/core/radius/packet-auth'
import { encodeResponse } from '../../../src/main/core/radius/packet-encode'

const SECRET = 'testing123456789'
/** Longer than radclient's own run (-r 1 -t 1: one try, one second) with room for a slow machine. */
const RUN_LIMIT_MS = 10_000

interface Exchange {
  output: string
  exitCode: number | null
  received: DecodedPacket[]
}

/** Runs radclient against a socket of ours; `answer` turns each packet received into the datagram sent back (or none). */
async function radclient(command: 'auth' | 'status', input: string, answer: (packet: DecodedPacket) => Buffer | null): Promise<Exchange> {
  const socket = createSocket('udp4')
  const received: DecodedPacket[] = []
  socket.on('message', (datagram: Buffer, from: RemoteInfo) => {
    const packet = decodePacket(datagram)
    received.push(packet)
    const response = answer(packet)
    if (response !== null) socket.send(response, from.port, from.address)
  })
  await new Promise<void>((resolve, reject) => {
    socket.once('error', reject)
    socket.bind(0, '127.0.0.1', () => resolve())
  })
  try {
    const child = spawn('radclient', ['-x', '-r', '1', '-t', '1', `127.0.0.1:${socket.address().port}`, command, SECRET], { stdio: ['pipe', 'pipe', 'pipe'] })
    let output = ''
    child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()))
    child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()))
    child.stdin.end(`${input}\n`)
    const exitCode = await new Promise<number | null>((resolve, reject) => {
      const timer = setTimeout(() => {
        child.kill('SIGKILL')
        reject(new Error(`radclient still running after ${RUN_LIMIT_MS} ms:\n${output}`))
      }, RUN_LIMIT_MS)
      child.once('error', (error) => {
        clearTimeout(timer)
        reject(new Error(`radclient could not be started (Debian freeradius-utils; .ci/run installs it): ${error.message}`))
      })
      child.once('exit', (code) => {
        clearTimeout(timer)
        resolve(code)
      })
    })
    return { output, exitCode, received }
  } finally {
    socket.close()
  }
}

const accept = (packet: DecodedPacket, extra: { replyMessage?: string } = {}): Buffer =>
  encodeResponse({ code: RadiusCode.AccessAccept, identifier: packet.identifier, requestAuthenticator: packet.authenticator, ...extra }, SECRET)

describe('radclient (FreeRADIUS) against the codec', () => {
  it('sends an Access-Request we decode, open and verify, and takes our Access-Accept', async () => {
    const run = await radclient('auth', 'User-Name=alice,User-Password=secret123,Message-Authenticator=0x00', (packet) => accept(packet, { replyMessage: 'Welcome, alice.' }))
    expect(run.received).toHaveLength(1)
    const [request] = run.received
    if (request === undefined) throw new Error('no request')
    expect(request.code).toBe(RadiusCode.AccessRequest)
    expect(userNameOf(request)).toBe('alice')
    expect(decryptUserPassword(userPasswordOf(request) ?? Buffer.alloc(0), SECRET, request.authenticator).toString('utf8')).toBe('secret123')
    expect(verifyRequestMessageAuthenticator(request, SECRET)).toBe(true)
    expect(verifyRequestMessageAuthenticator(request, `${SECRET}0`)).toBe(false)
    expect(run.output).toContain('Received Access-Accept')
    expect(run.output).toContain('Reply-Message = "Welcome, alice."')
    expect(run.exitCode).toBe(0)
  })

  it('takes an Access-Challenge with its State and a long Reply-Message in several attributes', async () => {
    const state = Buffer.from('0123456789abcdef0123456789abcdef', 'hex')
    const prompt = `Enter the 6-digit code from your authenticator app. ${'-'.repeat(300)}`
    const run = await radclient('auth', 'User-Name=alice,User-Password=secret123,Message-Authenticator=0x00', (packet) =>
      encodeResponse({ code: RadiusCode.AccessChallenge, identifier: packet.identifier, requestAuthenticator: packet.authenticator, replyMessage: prompt, state }, SECRET)
    )
    expect(run.output).toContain('Received Access-Challenge')
    expect(run.output).toContain('State = 0x0123456789abcdef0123456789abcdef')
    expect(run.output.match(/Reply-Message = /g)).toHaveLength(2)
  })

  it('refuses our answer when its Message-Authenticator is wrong: radclient does check it', async () => {
    const run = await radclient('auth', 'User-Name=alice,User-Password=secret123,Message-Authenticator=0x00', (packet) => {
      const response = accept(packet)
      response[22] = (response[22] ?? 0) ^ 1 // the first byte of the Message-Authenticator's value
      // The Response Authenticator made right again: only the Message-Authenticator is wrong.
      computeResponseAuthenticator(response, packet.authenticator, SECRET).copy(response, 4)
      return response
    })
    expect(run.received).toHaveLength(1)
    expect(run.output).toContain('invalid Message-Authenticator')
    expect(run.output).not.toContain('Received Access-Accept')
    expect(run.exitCode).not.toBe(0)
  })

  it('sends a Status-Server we verify, and takes our Access-Accept (RFC 5997)', async () => {
    const run = await radclient('status', 'Message-Authenticator=0x00', (packet) => accept(packet))
    const [request] = run.received
    expect(request?.code).toBe(RadiusCode.StatusServer)
    expect(request !== undefined && verifyRequestMessageAuthenticator(request, SECRET)).toBe(true)
    expect(run.output).toContain('Received Access-Accept')
    expect(run.exitCode).toBe(0)
  })
})
