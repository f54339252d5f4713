#!/usr/bin/env node
// The Electron fuses a packaged 2FA Admin must ship with. Fuses are bits in the
// Electron binary, flipped at packaging time (before code signing, so the OS
// keeps them from being flipped back). This repository has no packaging step
// yet and the Electron binary cannot be downloaded on its build machines, so
// this file is the plan: the packaging step runs
//   node build/fuses.mjs path/to/packaged/Electron-binary
// with @electron/fuses installed, and the unit tests check the plan itself
// (tests/unit/security/electron-checklist.test.ts).
import { resolve } from 'node:path'
import { fileURLToPath } from 'node:url'

/** FuseV1Options name -> the value 2FA Admin ships with, and why. */
export const FUSE_PLAN = Object.freeze({
  // ELECTRON_RUN_AS_NODE would turn the signed app into a general-purpose Node.js.
  RunAsNode: false,
  // Cookies at rest encrypted with the OS keychain (the app sets none, but Chromium may).
  EnableCookieEncryption: true,
  // NODE_OPTIONS could preload code into the main process.
  EnableNodeOptionsEnvironmentVariable: false,
  // --inspect would open a debugger on the process that holds the secrets key.
  EnableNodeCliInspectArguments: false,
  // The app's code is checked against the hash embedded at packaging time...
  EnableEmbeddedAsarIntegrityValidation: true,
  // ...and only app.asar is loaded, so the check cannot be sidestepped by an unpacked app folder.
  OnlyLoadAppFromAsar: true,
  // The renderer is served from app://, so file:// needs none of its legacy privileges.
  GrantFileProtocolExtraPrivileges: false
})

/** Fuses the security checklist requires, with their required values. */
export const REQUIRED_FUSES = Object.freeze({
  RunAsNode: false,
  EnableCookieEncryption: true,
  EnableNodeOptionsEnvironmentVariable: false,
  EnableNodeCliInspectArguments: false,
  EnableEmbeddedAsarIntegrityValidation: true,
  OnlyLoadAppFromAsar: true
})

/** The @electron/fuses configuration for flipFuses(). */
export function fuseConfig(FuseVersion, FuseV1Options) {
  const config = { version: FuseVersion.V1, resetAdHocDarwinSignature: process.platform === 'darwin' }
  for (const [name, value] of Object.entries(FUSE_PLAN)) {
    if (!(name in FuseV1Options)) throw new Error(`@electron/fuses has no fuse named ${name}.`)
    config[FuseV1Options[name]] = value
  }
  return config
}

export async function applyFuses(electronBinary) {
  let fuses
  try {
    fuses = await import('@electron/fuses')
  } catch {
    throw new Error('Install @electron/fuses (pinned) in the packaging environment to flip the fuses.')
  }
  await fuses.flipFuses(electronBinary, fuseConfig(fuses.FuseVersion, fuses.FuseV1Options))
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const [binary] = process.argv.slice(2)
  if (!binary) {
    console.error('Usage: node build/fuses.mjs PATH-TO-PACKAGED-ELECTRON-BINARY')
    process.exit(2)
  }
  applyFuses(binary).then(
    () => console.log(`Fuses flipped on ${binary}: ${JSON.stringify(FUSE_PLAN)}`),
    (error) => {
      console.error(error.message)
      process.exit(1)
    }
  )
}
