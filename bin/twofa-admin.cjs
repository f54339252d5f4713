#!/usr/bin/env node
// The `twofa-admin` command. Runs the bundled CLI (out/cli/index.js), building
// it first when it is missing or older than the sources it is built from.
'use strict'
const { spawnSync } = require('node:child_process')
const { existsSync, readdirSync, statSync } = require('node:fs')
const { join } = require('node:path')

const root = join(__dirname, '..')
const bundle = join(root, 'out', 'cli', 'index.js')
const sourceDirs = ['src/cli', 'src/main', 'src/shared'].map((dir) => join(root, dir))

function newestSourceTime(dir) {
  let newest = 0
  if (!existsSync(dir)) return newest
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name)
    if (entry.isDirectory()) newest = Math.max(newest, newestSourceTime(path))
    else if (entry.name.endsWith('.ts')) newest = Math.max(newest, statSync(path).mtimeMs)
  }
  return newest
}

function needsBuild() {
  if (!existsSync(bundle)) return true
  // An installed package has no sources: its bundle is what it is.
  const newest = Math.max(...sourceDirs.map(newestSourceTime))
  return newest > statSync(bundle).mtimeMs
}

if (needsBuild()) {
  const result = spawnSync(process.execPath, [join(root, 'scripts', 'build-node.mjs'), '--quiet'], { stdio: 'inherit' })
  if (result.status !== 0) process.exit(result.status ?? 1)
}

require(bundle)
  .main(process.argv.slice(2))
  .then(
    (code) => {
      process.exitCode = code
    },
    (error) => {
      console.error(`twofa-admin: ${error && error.message ? error.message : error}`)
      process.exitCode = 1
    }
  )
