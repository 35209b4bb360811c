#!/usr/bin/env node
// Installs Debian's chromium when browser tests need it and it is missing (root, Debian).
import { execSync } from 'node:child_process'
import { existsSync } from 'node:fs'

const path = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium'
if (existsSync(path)) process.exit(0)
if (process.getuid?.() !== 0) {
  console.error(`Chromium is missing at ${path}. Install it: sudo apt-get install -y chromium`)
  process.exit(1)
}
console.error('Installing Debian chromium (apt-get)…')
execSync('apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium', {
  stdio: 'inherit',
})
