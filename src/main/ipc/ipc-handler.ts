// The one wrapper every IPC call passes through, without Electron so it can be
// tested: check the sender, find the window's session holder, hand the call to
// the core's dispatch (which validates the payload and checks rights), and
// return a Result. Nothing is ever thrown back across the bridge.
import type { ApiMethod } from '../../shared/contract'
import type { Result } from '../../shared/errors'
import { sessionCaller, type SessionHolder } from '../core/caller'
import type { Dispatch } from '../core/dispatch'

/** The parts of an Electron IpcMainInvokeEvent the wrapper reads. */
export interface IpcInvokeEventLike {
  sender: IpcSenderLike
  senderFrame: { url: string } | null
}

/** The parts of the sending WebContents the wrapper uses. */
export interface IpcSenderLike {
  readonly id: number
  once(event: 'destroyed', listener: () => void): unknown
}

export const FORBIDDEN_SENDER: Result<never> = {
  ok: false,
  error: { code: 'FORBIDDEN', message: 'This call did not come from the 2FA Admin window and was refused.' }
}

const INTERNAL_FAILURE: Result<never> = {
  ok: false,
  error: { code: 'INTERNAL', message: 'Something went wrong inside the app; nothing was changed. Try again, and report it if it keeps happening.' }
}

/**
 * One session holder per window (WebContents), so two windows never share a
 * sign-in. A holder is dropped, and its session signed out, when its window is destroyed.
 */
export class WindowSessions {
  private readonly holders = new Map<number, SessionHolder>()

  constructor(private readonly onWindowGone: (holder: SessionHolder) => void = () => {}) {}

  holderFor(sender: IpcSenderLike): SessionHolder {
    const existing = this.holders.get(sender.id)
    if (existing) return existing
    const holder: SessionHolder = { sessionId: null }
    this.holders.set(sender.id, holder)
    sender.once('destroyed', () => {
      this.holders.delete(sender.id)
      this.onWindowGone(holder)
    })
    return holder
  }

  get size(): number {
    return this.holders.size
  }
}

export interface IpcHandlerDeps {
  dispatch: Dispatch
  /** True only for our main window showing one of our own pages. */
  isTrustedSender(event: IpcInvokeEventLike): boolean
  holderFor(sender: IpcSenderLike): SessionHolder
  /** Reports a failure of the wrapper itself (never the payload). */
  onUnexpectedError?: (method: ApiMethod, error: unknown) => void
}

export type IpcHandler = (event: IpcInvokeEventLike, payload: unknown) => Promise<Result<unknown>>

export function createIpcHandler(method: ApiMethod, deps: IpcHandlerDeps): IpcHandler {
  return async (event, payload) => {
    try {
      if (!deps.isTrustedSender(event)) return FORBIDDEN_SENDER
      const holder = deps.holderFor(event.sender)
      return await deps.dispatch(method, sessionCaller(holder), payload)
    } catch (error) {
      deps.onUnexpectedError?.(method, error)
      return INTERNAL_FAILURE
    }
  }
}

export interface TrustedSenderOptions {
  /** The WebContents id of our main window, or undefined while there is none. */
  mainWebContentsId(): number | undefined
  isTrustedUrl(url: string): boolean
}

/** The sender must be our main window, and the calling frame must show one of our pages. */
export function isTrustedSender(event: IpcInvokeEventLike, options: TrustedSenderOptions): boolean {
  const mainId = options.mainWebContentsId()
  if (mainId === undefined || event.sender.id !== mainId) return false
  const url = event.senderFrame?.url
  return typeof url === 'string' && options.isTrustedUrl(url)
}
