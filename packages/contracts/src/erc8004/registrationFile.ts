/**
 * The ERC-8004 registration file an agentURI points at: who the agent is and where it serves. Built by
 * the wallet for its own agent, parsed (bounded, field by field) for everyone else's: a file from the
 * network is untrusted input.
 */
import { Erc8004FileError } from './errors.ts'

export const REGISTRATION_FILE_TYPE = 'https://eips.ethereum.org/EIPS/eip-8004#registration-v1'
/** Larger files are refused unread: a registration lists endpoints, it never needs more. */
export const MAX_REGISTRATION_FILE_BYTES = 64 * 1024
const MAX_SERVICES = 64

export type AgentService = { name: string; endpoint: string; version?: string }
export type AgentRegistration = { agentId: number; agentRegistry: string }
export type AgentRegistrationFile = {
  type: typeof REGISTRATION_FILE_TYPE
  name: string
  description: string
  image?: string
  services: AgentService[]
  x402Support: boolean
  active: boolean
  registrations: AgentRegistration[]
  supportedTrust: string[]
}

/** Service kinds Seed's wallet publishes; other names are allowed and kept as they are. */
export const SERVICE_KINDS = { rollupRpc: 'rollup-rpc', x402: 'x402', mcp: 'MCP', web: 'web' } as const

export function agentRegistrationFile(p: {
  name: string
  description: string
  services: AgentService[]
  x402Support: boolean
  supportedTrust?: string[]
  registrations?: AgentRegistration[]
}): AgentRegistrationFile {
  return {
    type: REGISTRATION_FILE_TYPE,
    name: p.name,
    description: p.description,
    services: p.services,
    x402Support: p.x402Support,
    active: true,
    registrations: p.registrations ?? [],
    supportedTrust: p.supportedTrust ?? ['reputation'],
  }
}

/** The canonical bytes the wallet stores (so the CID of a file is reproducible from its content). */
export function encodeRegistrationFile(file: AgentRegistrationFile): Uint8Array {
  return new TextEncoder().encode(JSON.stringify(file))
}

const text = (v: unknown, field: string, max = 2048): string => {
  if (typeof v !== 'string' || v.length > max) throw new Erc8004FileError('registration file', `${field}`)
  return v
}

export function parseRegistrationFile(bytes: Uint8Array): AgentRegistrationFile {
  if (bytes.length > MAX_REGISTRATION_FILE_BYTES) {
    throw new Erc8004FileError('registration file', `larger than ${MAX_REGISTRATION_FILE_BYTES} bytes`)
  }
  let json: Record<string, unknown>
  try {
    json = JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(bytes))
  } catch {
    throw new Erc8004FileError('registration file', 'not UTF-8 JSON')
  }
  if (!json || typeof json !== 'object') throw new Erc8004FileError('registration file', 'not an object')
  if (json.type !== REGISTRATION_FILE_TYPE)
    throw new Erc8004FileError('registration file', `type is not ${REGISTRATION_FILE_TYPE}`)
  const services = json.services ?? []
  if (!Array.isArray(services) || services.length > MAX_SERVICES)
    throw new Erc8004FileError('registration file', 'services')
  const registrations = json.registrations ?? []
  if (!Array.isArray(registrations) || registrations.length > MAX_SERVICES) {
    throw new Erc8004FileError('registration file', 'registrations')
  }
  const trust = json.supportedTrust ?? []
  if (!Array.isArray(trust) || trust.length > 16) throw new Erc8004FileError('registration file', 'supportedTrust')
  return {
    type: REGISTRATION_FILE_TYPE,
    name: text(json.name, 'name', 200),
    description: text(json.description ?? '', 'description', 8192),
    ...(json.image === undefined ? {} : { image: text(json.image, 'image') }),
    services: services.map((s: Record<string, unknown>, i) => ({
      name: text(s?.name, `services[${i}].name`, 100),
      endpoint: text(s?.endpoint, `services[${i}].endpoint`),
      ...(s?.version === undefined ? {} : { version: text(s.version, `services[${i}].version`, 100) }),
    })),
    x402Support: json.x402Support === true,
    active: json.active !== false,
    registrations: registrations.map((r: Record<string, unknown>, i) => {
      if (!Number.isSafeInteger(r?.agentId))
        throw new Erc8004FileError('registration file', `registrations[${i}].agentId`)
      return { agentId: r.agentId as number, agentRegistry: text(r.agentRegistry, `registrations[${i}].agentRegistry`) }
    }),
    supportedTrust: trust.map((t, i) => text(t, `supportedTrust[${i}]`, 100)),
  }
}

/** Does the file list `agentId` under this registry (the file names the identity that points at it)? */
export function registrationNames(file: AgentRegistrationFile, agentId: bigint, agentRegistry: string): boolean {
  return file.registrations.some(
    (r) => BigInt(r.agentId) === agentId && r.agentRegistry.toLowerCase() === agentRegistry.toLowerCase(),
  )
}

export function servicesOfKind(file: AgentRegistrationFile, kind: string): AgentService[] {
  return file.services.filter((s) => s.name.toLowerCase() === kind.toLowerCase())
}
