/**
 * The agent's identity on this machine: its key (the bridge signs each connection's nonce with it,
 * so only this agent can use its pairing), its name, and once paired, the pairing id and the
 * extension origin it was paired with. One JSON file per agent name, readable by its owner only.
 */
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs'
import { homedir } from 'node:os'
import { join } from 'node:path'
import type { Hex } from 'viem'
import { generatePrivateKey } from 'viem/accounts'

export type Identity = {
  name: string
  privateKey: Hex
  pairingId?: string
  /** chrome-extension://<id>: the only origin the bridge accepts once paired. */
  extensionOrigin?: string
}

export const defaultHome = () => process.env.SEED_AGENT_HOME ?? join(homedir(), '.seed-agent')

const fileOf = (home: string, name: string) => join(home, `${name}.json`)

export function checkName(name: string) {
  if (!/^[\w.-]{1,40}$/.test(name))
    throw new Error('An agent name is 1-40 letters, digits, dots, dashes or underscores')
  return name
}

/** The agent's identity, created (with a fresh key) the first time. */
export function loadIdentity(home: string, name: string): Identity {
  const file = fileOf(home, checkName(name))
  if (existsSync(file)) return JSON.parse(readFileSync(file, 'utf8')) as Identity
  const identity: Identity = { name, privateKey: generatePrivateKey() }
  saveIdentity(home, identity)
  return identity
}

export function saveIdentity(home: string, identity: Identity) {
  mkdirSync(home, { recursive: true, mode: 0o700 })
  writeFileSync(fileOf(home, identity.name), `${JSON.stringify(identity, null, 2)}\n`, { mode: 0o600 })
}
