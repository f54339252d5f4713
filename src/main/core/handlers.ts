// The shape of a feature's handlers: one function per method of its contract
// slice, taking the caller and the validated input. Each feature checks its
// map with `satisfies HandlersFor<ItsApi>`; open-core.ts merges them into the
// one ServiceHandlers the dispatcher runs.
import type { ApiSpec } from '../../shared/contract'
import type { Caller } from './caller'

export type HandlersFor<Slice extends { [M in keyof Slice]: { input: unknown; output: unknown } }> = {
  [M in keyof Slice]: (caller: Caller, input: Slice[M]['input']) => Promise<Slice[M]['output']>
}

export type ServiceHandlers = HandlersFor<ApiSpec>
