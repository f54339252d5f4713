// The preload: exposes window.api (built from the contract) and nothing else.
// ipcRenderer itself never reaches the page.
import { contextBridge, ipcRenderer } from 'electron'
import { buildApi } from './build-api'

contextBridge.exposeInMainWorld(
  'api',
  buildApi((channel, input) => ipcRenderer.invoke(channel, input))
)
