// The one path every call takes into the core, whatever the transport:
// validate the payload against the contract's schema, run the handler, and turn
// every failure into a typed error result. Nothing is thrown across a boundary.
import type { ApiInput, ApiMethod, ApiOutput } from '../../shared/contract'
import { isApiMethod } from '../../shared/contract'
import { AppError, type ApiError, type Result } from '../../shared/errors'
import { parseInput } from '../../shared/schemas'
import type { Caller } from './caller'
import { corruptDatabaseMessage } from './maintenance/integrity'

export type ServiceHandlers = {
  [M in ApiMethod]: (caller: Caller, input: ApiInput<M>) => Promise<ApiOutput<M>>
}

export type Dispatch = <M extends ApiMethod>(method: M, caller: Caller, payload: unknown) => Promise<Result<ApiOutput<M>>>

export interface DispatchOptions {
  /** Where unexpected errors are reported. Receives the error only: never the payload, which may hold secrets. */
  onUnexpectedError?: (method: string, error: unknown) => void
  /** Runs the handler once validated: in its turn at the write gate (write-gate.ts). */
  aroundHandler?: <T>(method: ApiMethod, caller: Caller, handle: () => Promise<T>) => Promise<T>
}

export function createDispatch(handlers: ServiceHandlers, options: DispatchOptions = {}): Dispatch {
  return async function dispatch<M extends ApiMethod>(method: M, caller: Caller, payload: unknown): Promise<Result<ApiOutput<M>>> {
    // The method name itself may come from an untrusted transport.
    if (!isApiMethod(method)) {
      return { ok: false, error: { code: 'VALIDATION', message: 'Unknown method.' } }
    }
    const parsed = parseInput(method, payload)
    if (!parsed.ok) {
      return {
        ok: false,
        error:
          parsed.field === undefined
            ? { code: 'VALIDATION', message: parsed.message }
            : { code: 'VALIDATION', message: parsed.message, field: parsed.field }
      }
    }
    try {
      const handler = handlers[method] as (caller: Caller, input: ApiInput<M>) => Promise<ApiOutput<M>>
      const handle = (): Promise<ApiOutput<M>> => handler(caller, parsed.value)
      const value = await (options.aroundHandler === undefined ? handle() : options.aroundHandler(method, caller, handle))
      return { ok: true, value }
    } catch (error) {
      return { ok: false, error: toApiError(method, error, options) }
    }
  }
}

export function toApiError(method: string, error: unknown, options: DispatchOptions = {}): ApiError {
  if (error instanceof AppError) return error.toApiError()
  const sqliteCode = (error as { code?: unknown } | null)?.code
  if (sqliteCode === 'SQLITE_CORRUPT' || sqliteCode === 'SQLITE_NOTADB') {
    return { code: 'DATABASE_CORRUPT', message: corruptDatabaseMessage(undefined) }
  }
  if (sqliteCode === 'SQLITE_BUSY' || sqliteCode === 'SQLITE_LOCKED') {
    return { code: 'DATABASE_BUSY', message: 'The database is busy with another program. Try again in a moment.' }
  }
  if (sqliteCode === 'SQLITE_FULL') {
    return { code: 'DISK_FULL', message: 'The disk is full: nothing was changed. Free some disk space and try again.' }
  }
  options.onUnexpectedError?.(method, error)
  return { code: 'INTERNAL', message: 'Something went wrong inside the app; nothing was changed. Try again, and report it if it keeps happening.' }
}
