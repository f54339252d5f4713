import { StrictMode } from 'react'
import { createRoot } from 'react-dom/client'
import { installHttpApi } from './api/http-api'
import { App } from './App'
import './styles.css'

// In Electron the preload has set window.api. In the browser preview there is
// no preload: the same contract is reached over the preview's HTTP bridge.
if (window.api === undefined) installHttpApi(window)

const root = document.getElementById('root')
if (root) {
  createRoot(root).render(
    <StrictMode>
      <App />
    </StrictMode>
  )
}
