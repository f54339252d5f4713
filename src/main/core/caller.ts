// Who is calling the core. Transports build one of these per call; the core
// decides from it (never from anything the renderer says) who may do what.

/**
 * Where a transport keeps the session id of one client (a window, a browser
 * tab). The core sets it on sign-in and clears it on sign-out; the renderer
 * never sees it.
 */
export interface SessionHolder {
  sessionId: string | null
}

export type Caller =
  /** A screen: rights come from the session in the holder. */
  | { kind: 'session'; holder: SessionHolder }
  /** The local command line: file access to the database is the root of trust, like an identity server's admin CLI. */
  | { kind: 'cli' }

export function sessionCaller(holder: SessionHolder): Caller {
  return { kind: 'session', holder }
}

export const CLI_CALLER: Caller = { kind: 'cli' }
