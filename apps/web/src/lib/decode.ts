/** Calls and logs in words: the first known ABI that decodes them, by address first, then by shape. */
import { type Address, decodeEventLog, decodeFunctionData, type Hex, type Log } from 'viem'
import type { KnownAbi } from './abis.ts'

export type Decoded = { contract: string; name: string; args: [string, unknown][] }

function candidates(abis: KnownAbi[], address: Address | null | undefined) {
  const at = address?.toLowerCase()
  return [...abis.filter((a) => a.address?.toLowerCase() === at), ...abis.filter((a) => !a.address)]
}

function namedArgs(inputs: readonly { name?: string }[], args: unknown): [string, unknown][] {
  if (Array.isArray(args)) return args.map((value, i) => [inputs[i]?.name || `arg${i}`, value])
  if (args && typeof args === 'object') return Object.entries(args)
  return []
}

export function decodeCall(abis: KnownAbi[], to: Address | null, input: Hex): Decoded | undefined {
  if (!to || input.length < 10) return undefined
  for (const known of candidates(abis, to)) {
    try {
      const { functionName, args } = decodeFunctionData({ abi: known.abi, data: input })
      const item = known.abi.find((x) => x.type === 'function' && x.name === functionName)
      const inputs = item && 'inputs' in item ? item.inputs : []
      return { contract: known.name, name: functionName, args: namedArgs(inputs, args) }
    } catch {
      // Not this ABI: try the next.
    }
  }
  return undefined
}

export function decodeLog(abis: KnownAbi[], log: Pick<Log, 'address' | 'data' | 'topics'>): Decoded | undefined {
  for (const known of candidates(abis, log.address)) {
    try {
      const { eventName, args } = decodeEventLog({ abi: known.abi, data: log.data, topics: log.topics, strict: true })
      const item = known.abi.find((x) => x.type === 'event' && x.name === eventName)
      const inputs = item && 'inputs' in item ? item.inputs : []
      return { contract: known.name, name: String(eventName), args: namedArgs(inputs, args) }
    } catch {
      // Not this ABI: try the next.
    }
  }
  return undefined
}
