// The RADIUS service behind a real FreeRADIUS proxy (issue 11), as docs/RADIUS.md sets it up for
// WPA-Enterprise Wi-Fi: radclient (the NAS) asks FreeRADIUS with one secret, FreeRADIUS forwards
// the PAP request to our service with another. Password and code accepted end to end, a wrong
// password rejected with our message, and the challenge (its State) passing through both ways.
import { spawn } from 'node:child_process'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { codeAt } from '../../../src/main/core/crypto/totp'
import { ACTIVATE_FIRST, CODE_PROMPT, REJECT_MESSAGE } from '../../../src/main/core/radius/radius-sign-in'
import { startRadiusServer, type RadiusServer } from '../../../src/radius/radius-server'
import { startFreeRadiusProxy, stopAllFreeRadius, type FreeRadiusProxy } from '../helpers/freeradius'
import { addUser, PASSWORD, setUpAdmin, TestEnv, userWith2fa } from '../helpers/harness'

/** Between FreeRADIUS and our service (its home server). */
const HOME_SECRET = 'the home server secret for 2fa admin'
/** Between the NAS (radclient) and FreeRADIUS. */
const NAS_SECRET = 'the access point secret for freeradius'

let env: TestEnv
let server: RadiusServer
/** What afterEach must close: only what this test's beforeEach got to start. */
let toClose: { env: TestEnv | null; server: RadiusServer | null } = { env: null, server: null }
let proxy: FreeRadiusProxy
let secret: Buffer
let lines: string[]
beforeEach(async () => {
  toClose = { env: null, server: null }
  env = new TestEnv()
  toClose.env = env
  await setUpAdmin(env)
  secret = await userWith2fa(env, 'maria@example.com')
  await addUser(env, 'tom@example.com')
  // FreeRADIUS is our client: it asks from 127.0.0.1 with the home server secret.
  await env.cli('addRadiusClient', { name: 'freeradius', address: '127.0.0.1', secret: HOME_SECRET, require2fa: false })
  lines = []
  server = await startRadiusServer({ core: env.core, host: '127.0.0.1', port: 0, log: (line) => lines.push(line) })
  toClose.server = server
  proxy = await startFreeRadiusProxy({ homePort: server.address.port, homeSecret: HOME_SECRET, clientSecret: NAS_SECRET })
}, 20_000)
afterEach(async () => {
  await stopAllFreeRadius()
  await toClose.server?.close()
  toClose.env?.dispose()
  toClose = { env: null, server: null }
})

interface Reply {
  code: string
  attributes: Record<string, string>
  output: string
}

/** radclient sending `pairs` once to FreeRADIUS; what it printed of the answer ('none' when there was none). */
function radclient(pairs: string): Promise<Reply> {
  return new Promise((resolve, reject) => {
    // One try, 10 s: FreeRADIUS waits for our answer (a scrypt) before it answers.
    const child = spawn('radclient', ['-x', '-r', '1', '-t', '10', `127.0.0.1:${proxy.port}`, 'auth', NAS_SECRET], { stdio: ['pipe', 'pipe', 'pipe'] })
    let output = ''
    child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString('utf8')))
    child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString('utf8')))
    const timer = setTimeout(() => child.kill('SIGKILL'), 15_000)
    child.once('error', reject)
    child.once('close', () => {
      clearTimeout(timer)
      const code = /Received (Access-\w+)/.exec(output)?.[1] ?? 'none'
      const attributes: Record<string, string> = {}
      for (const match of output.matchAll(/^\s+(Reply-Message|State|Message-Authenticator) = (.+)$/gm)) attributes[match[1]!] = match[2]!.replace(/^"|"$/g, '')
      resolve({ code, attributes, output })
    })
    child.stdin.end(`${pairs},Message-Authenticator=0x00\n`)
  })
}

const code = () => codeAt(secret, Date.now())
/** On failure, what both servers said. */
const explain = (reply: Reply): string => `radclient:\n${reply.output}\nour log:\n${lines.join('\n')}\nFreeRADIUS:\n${proxy.output.slice(-6_000)}`

describe('the RADIUS service behind a real FreeRADIUS proxy', () => {
  it('accepts the password followed by the code end to end, and rejects a wrong password with our message', async () => {
    env.clock.set(Date.now())
    const accepted = await radclient(`User-Name=maria@example.com,User-Password="${PASSWORD}${code()}"`)
    expect(accepted.code, explain(accepted)).toBe('Access-Accept')
    // The request reached us from FreeRADIUS, under the home server secret.
    expect(lines.some((line) => / freeradius 127\.0\.0\.1:\d+ maria@example\.com accept \d+ ms$/.test(line)), explain(accepted)).toBe(true)
    const rejected = await radclient(`User-Name=tom@example.com,User-Password="not the password"`)
    expect(rejected.code, explain(rejected)).toBe('Access-Reject')
    expect(rejected.attributes['Reply-Message'], explain(rejected)).toBe(REJECT_MESSAGE)
    expect(env.db.prepare('SELECT failed_attempts FROM users WHERE email = ?').pluck().get('tom@example.com')).toBe(1)
  })

  it('passes the challenge through: the password alone, the State back, then the code', async () => {
    env.clock.set(Date.now())
    const challenge = await radclient(`User-Name=maria@example.com,User-Password="${PASSWORD}"`)
    expect(challenge.code, explain(challenge)).toBe('Access-Challenge')
    expect(challenge.attributes['Reply-Message'], explain(challenge)).toBe(CODE_PROMPT)
    const state = challenge.attributes.State
    expect(state, explain(challenge)).toMatch(/^0x[0-9a-f]{32}$/)
    const answered = await radclient(`User-Name=maria@example.com,User-Password=${code()},State=${state}`)
    expect(answered.code, explain(answered)).toBe('Access-Accept')
  })

  it('carries the enforcement message to the NAS', async () => {
    await env.cli('enforceForAllUsers')
    const reply = await radclient(`User-Name=tom@example.com,User-Password="${PASSWORD}"`)
    expect(reply.code, explain(reply)).toBe('Access-Reject')
    expect(reply.attributes['Reply-Message'], explain(reply)).toBe(ACTIVATE_FIRST)
  })
})
