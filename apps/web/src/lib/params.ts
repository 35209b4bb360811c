/**
 * Path and search params, validated: a param that fails its schema is a page that does not exist
 * (notFound, shown inside the layout), never the router's error screen.
 */
import { notFound } from '@tanstack/react-router'
import { type Address, getAddress, type Hash } from 'viem'
import { z } from 'zod/mini'

export const blockNumberSchema = z.pipe(
  z.string().check(z.regex(/^(0|[1-9]\d{0,18})$/)),
  z.transform((s: string) => BigInt(s)),
)
export const hashSchema = z.pipe(
  z.string().check(z.regex(/^0x[0-9a-fA-F]{64}$/)),
  z.transform((s: string) => s.toLowerCase() as Hash),
)
export const addressSchema = z.pipe(
  z.string().check(z.regex(/^0x[0-9a-fA-F]{40}$/)),
  z.transform((s: string) => getAddress(s.toLowerCase()) as Address),
)
export const batchIndexSchema = z.pipe(
  z.string().check(z.regex(/^(0|[1-9]\d{0,9})$/)),
  z.transform((s: string) => BigInt(s)),
)

/** `params.parse` for one path segment: its schema's value, or a not-found page. */
export function pathParam<K extends string, T>(key: K, schema: z.ZodMiniType<T, string>) {
  return {
    parse: (params: Record<K, string>): Record<K, T> => {
      const result = schema.safeParse(params[key])
      if (!result.success) throw notFound()
      return { [key]: result.data } as Record<K, T>
    },
    stringify: (params: Record<K, T>): Record<K, string> => ({ [key]: String(params[key]) }) as Record<K, string>,
  }
}

/**
 * The chain selection every page carries: `chain` (a chain id or an inbox address) and `rpc` (a
 * replica's URL). A value that is not one is dropped, which selects the network's own chain.
 */
// The router's search parser reads `?chain=12345` as a number: a chain id may come as either.
const chainIdOrInbox = z.pipe(
  z.pipe(z.union([z.string(), z.number()]), z.transform(String)),
  z.string().check(z.regex(/^(\d{1,20}|0x[0-9a-fA-F]{40})$/)),
)

export const chainSearchSchema = z.object({
  chain: z.catch(z.optional(chainIdOrInbox), undefined),
  rpc: z.catch(z.optional(z.string().check(z.regex(/^(https?|wss?):\/\/[^\s]{1,2000}$/))), undefined),
})
export type ChainSearch = z.infer<typeof chainSearchSchema>

export const agentIdSchema = blockNumberSchema

/** `/agents?kind=`: a service kind as registration files name them (`rollup-rpc`, `x402`, `MCP`, …). */
export const agentSearchSchema = z.object({
  kind: z.catch(z.optional(z.string().check(z.regex(/^[A-Za-z0-9._-]{1,40}$/))), undefined),
})
