// Registers the whole contract on ipcMain: one channel per method, every one
// through the same wrapper (see ipc-handler.ts). ipcMain is a parameter so the
// registration can be tested with a fake.
import type { IpcMain } from 'electron'
import { API_METHODS } from '../../shared/contract'
import { ipcChannel } from '../../shared/transport'
import { createIpcHandler, type IpcHandlerDeps, type IpcInvokeEventLike } from './ipc-handler'

export type IpcMainLike = Pick<IpcMain, 'handle' | 'removeHandler'>

/** Registers every method; returns a function that removes the handlers again. */
export function registerIpc(ipcMain: IpcMainLike, deps: IpcHandlerDeps): () => void {
  for (const method of API_METHODS) {
    const handler = createIpcHandler(method, deps)
    ipcMain.handle(ipcChannel(method), (event, payload: unknown) => handler(event as IpcInvokeEventLike, payload))
  }
  return () => {
    for (const method of API_METHODS) ipcMain.removeHandler(ipcChannel(method))
  }
}
