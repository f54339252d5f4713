import { resolve } from 'node:path'
import { defineConfig, externalizeDepsPlugin } from 'electron-vite'
import react from '@vitejs/plugin-react'

export default defineConfig({
  main: {
    plugins: [externalizeDepsPlugin()],
    // The background worker is an entry of its own: worker threads start it by path (src/main/core/background).
    build: {
      rollupOptions: {
        input: { index: resolve(__dirname, 'src/main/index.ts'), 'background-worker': resolve(__dirname, 'src/main/core/background/worker.ts') }
      }
    }
  },
  preload: {
    // The preload runs sandboxed: it cannot require() npm packages at run time,
    // so everything it imports must be bundled into it.
    build: { rollupOptions: { input: { index: resolve(__dirname, 'src/preload/index.ts') } } }
  },
  renderer: {
    root: resolve(__dirname, 'src/renderer'),
    plugins: [react()],
    build: { rollupOptions: { input: { index: resolve(__dirname, 'src/renderer/index.html') } } }
  }
})
