// A real FreeRADIUS (Debian `freeradius`, 3.2) as a proxy in front of our RADIUS service, for the
// test of issue 11: a throwaway radiusd.conf in a fresh temp dir (never the system's
// /etc/freeradius), listening on a free loopback port for one client (127.0.0.1, its own secret,
// Message-Authenticator required) and proxying every Access-Request to one home server (our
// service) with a second secret, as docs/RADIUS.md describes. Started as a child process in
// debug mode (-X: one thread, log on stdout); ready when it says so, within 10 s.
// Call stopAllFreeRadius() in afterAll/afterEach: it kills every proxy still running and removes its dir.
import { spawn, type ChildProcess } from 'node:child_process'
import { createSocket } from 'node:dgram'
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'

export const FREERADIUS = '/usr/sbin/freeradius'
const READY_WITHIN_MS = 10_000
const STOP_WITHIN_MS = 5_000

export interface FreeRadiusProxyOptions {
  /** Our service: where FreeRADIUS forwards every Access-Request, and the secret it shares with it. */
  homePort: number
  homeSecret: string
  /** The secret of the NAS (radclient) towards FreeRADIUS. */
  clientSecret: string
}

export interface FreeRadiusProxy {
  readonly port: number
  readonly dir: string
  /** The last 20,000 characters FreeRADIUS printed (debug output), to explain a failure. */
  readonly output: string
  dispose(): Promise<void>
}

/** True when this machine has FreeRADIUS (the test needs it; .ci/run installs it). */
export function freeRadiusInstalled(): boolean {
  return existsSync(FREERADIUS) && existsSync('/usr/share/freeradius/dictionary')
}

/** A UDP port free on loopback just now (FreeRADIUS binds it a moment later). */
export async function freeUdpPort(): Promise<number> {
  const socket = createSocket('udp4')
  await new Promise<void>((resolve, reject) => {
    socket.once('error', reject)
    socket.bind(0, '127.0.0.1', () => resolve())
  })
  const { port } = socket.address()
  await new Promise<void>((resolve) => socket.close(() => resolve()))
  return port
}

/** A quoted FreeRADIUS string: backslash and double quote escaped. */
const quoted = (value: string): string => `"${value.replace(/[\\"]/g, (c) => `\\${c}`)}"`

/** The whole configuration in one file: the same sections as the stock radiusd.conf, proxy.conf and clients.conf. */
export function proxyConfig(dir: string, port: number, options: FreeRadiusProxyOptions): string {
  return `prefix = /usr
exec_prefix = /usr
sysconfdir = /etc
localstatedir = ${dir}
sbindir = /usr/sbin
logdir = ${dir}/log
raddbdir = ${dir}
radacctdir = \${logdir}/radacct
name = freeradius
confdir = \${raddbdir}
modconfdir = \${confdir}/mods-config
run_dir = ${dir}/run
db_dir = \${raddbdir}
libdir = /usr/lib/freeradius
pidfile = \${run_dir}/\${name}.pid
max_request_time = 30
cleanup_delay = 5
max_requests = 1024
hostname_lookups = no
log {
	destination = stdout
	colourise = no
	auth = no
}
security {
	allow_core_dumps = no
	max_attributes = 200
	reject_delay = 0
	status_server = yes
}
proxy_requests = yes
proxy server {
	default_fallback = no
}
home_server twofa_admin {
	type = auth
	ipaddr = 127.0.0.1
	port = ${options.homePort}
	# Proxied requests leave from loopback (else from "*").
	src_ipaddr = 127.0.0.1
	secret = ${quoted(options.homeSecret)}
	response_window = 20
	status_check = none
}
home_server_pool twofa_admin_pool {
	type = fail-over
	home_server = twofa_admin
}
realm twofa_admin {
	auth_pool = twofa_admin_pool
	nostrip
}
client nas {
	ipaddr = 127.0.0.1
	secret = ${quoted(options.clientSecret)}
	require_message_authenticator = yes
}
modules {
}
server default {
	listen {
		type = auth
		ipaddr = 127.0.0.1
		port = ${port}
	}
	authorize {
		update control {
			&Proxy-To-Realm := "twofa_admin"
		}
	}
	authenticate {
	}
}
`
}

const live = new Set<FreeRadiusProxy>()
const children = new Set<ChildProcess>()

/** Stops every proxy started by this process that is still running and removes its dir. */
export async function stopAllFreeRadius(): Promise<void> {
  await Promise.all([...live].map((proxy) => proxy.dispose()))
}

/** Starts FreeRADIUS as a proxy to `homePort`; rejects (and cleans up) if it is not ready within 10 s. */
export async function startFreeRadiusProxy(options: FreeRadiusProxyOptions): Promise<FreeRadiusProxy> {
  if (!freeRadiusInstalled()) throw new Error('FreeRADIUS is not installed: apt-get install freeradius freeradius-utils (.ci/run does).')
  const dir = mkdtempSync(join(tmpdir(), 'twofa-freeradius-'))
  mkdirSync(join(dir, 'log'))
  mkdirSync(join(dir, 'run'))
  let output = ''
  let child: ChildProcess | null = null
  const proxy: FreeRadiusProxy = {
    port: 0,
    dir,
    get output() {
      return output
    },
    dispose: async () => {
      live.delete(proxy)
      const running = child
      if (running !== null && running.exitCode === null && running.signalCode === null) {
        const exited = new Promise<void>((resolve) => running.once('exit', () => resolve()))
        running.kill('SIGTERM')
        const timer = setTimeout(() => running.kill('SIGKILL'), STOP_WITHIN_MS)
        await exited
        clearTimeout(timer)
      }
      rmSync(dir, { recursive: true, force: true })
    }
  }
  live.add(proxy)
  try {
    const port = await freeUdpPort()
    ;(proxy as { port: number }).port = port
    // 0600 like the stock files: FreeRADIUS refuses a configuration others may write.
    writeFileSync(join(dir, 'radiusd.conf'), proxyConfig(dir, port, options), { mode: 0o600 })
    const started = spawn(FREERADIUS, ['-X', '-d', dir], { stdio: ['ignore', 'pipe', 'pipe'] })
    child = started
    children.add(started)
    started.once('exit', () => children.delete(started))
    const append = (chunk: Buffer): void => {
      output = (output + chunk.toString('utf8')).slice(-20_000)
    }
    started.stdout?.on('data', append)
    started.stderr?.on('data', append)
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => done(new Error(`FreeRADIUS was not ready within ${READY_WITHIN_MS} ms:\n${output.slice(-4_000)}`)), READY_WITHIN_MS)
      const poll = setInterval(() => {
        if (output.includes('Ready to process requests')) done(null)
      }, 20)
      const onExit = (code: number | null, signal: NodeJS.Signals | null): void => done(new Error(`FreeRADIUS exited (${signal ?? code}):\n${output.slice(-4_000)}`))
      started.once('exit', onExit)
      started.once('error', (error) => done(error))
      function done(error: Error | null): void {
        clearTimeout(timer)
        clearInterval(poll)
        started.off('exit', onExit)
        if (error === null) resolve()
        else reject(error)
      }
    })
    return proxy
  } catch (error) {
    await proxy.dispose()
    throw error
  }
}

// A test that dies without its afterAll still leaves no FreeRADIUS behind.
process.once('exit', () => {
  for (const running of children) running.kill('SIGKILL')
  for (const proxy of live) {
    try {
      rmSync(proxy.dir, { recursive: true, force: true })
    } catch {
      // best effort on the way out
    }
  }
})
