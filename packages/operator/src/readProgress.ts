/**
 * `seed-operator status`'s progress of a slot, by kind: what the chain shows (batches posted on the bounty's
 * inbox; for a verifier, the windows asked of its key and answered on the Validation registry) and what the
 * running operator reports on its `GET /status` (a replica's head, the batches pinned), or that it is not running.
 */
import { type Bounty, readLimitedText, seedErc8004Registries, ValidationRegistryAbi } from '@seed/contracts'
import { parseOutputsValidationRequest, readInboxHead } from '@seed/rollup-lite'
import { type Address, type Chain, type Client, type Hex, type Transport, zeroHash } from 'viem'
import { getContractEvents, readContract } from 'viem/actions'

export async function readProgress(
  client: Client<Transport, Chain>,
  p: { bounty: Bounty; operator: Address; operatorUrl?: string; validation?: Address },
): Promise<Record<string, unknown>> {
  const { count } = await readInboxHead(client, p.bounty.inbox)
  const progress: Record<string, unknown> = { kind: p.bounty.kind, batchesPosted: count }
  if (p.bounty.kind === 'verify') Object.assign(progress, await verifierWindows(client, p))
  if (p.operatorUrl) {
    progress.running = await fetch(new URL('/status', p.operatorUrl), { signal: AbortSignal.timeout(3_000) })
      .then(async (res) => (res.ok ? JSON.parse(await readLimitedText(res, 64 * 1024)) : false))
      .catch(() => false)
  }
  return progress
}

async function verifierWindows(
  client: Client<Transport, Chain>,
  p: { bounty: Bounty; operator: Address; validation?: Address },
) {
  const validation = p.validation ?? seedErc8004Registries().validation
  const requests = await getContractEvents(client, {
    address: validation,
    abi: ValidationRegistryAbi,
    eventName: 'ValidationRequest',
    args: { validatorAddress: p.operator },
    fromBlock: 0n,
    strict: true,
  })
  let asked = 0
  let answered = 0
  let lastValidatedBatch: bigint | undefined
  for (const { args } of requests) {
    const window = parseOutputsValidationRequest(args.requestURI, args.requestHash as Hex)
    if (typeof window === 'string' || window.inbox.toLowerCase() !== p.bounty.inbox.toLowerCase()) continue
    asked++
    const [, , response, responseHash] = await readContract(client, {
      address: validation,
      abi: ValidationRegistryAbi,
      functionName: 'getValidationStatus',
      args: [args.requestHash],
    })
    if (responseHash === zeroHash) continue
    answered++
    if (response === 100 && (lastValidatedBatch === undefined || window.toBatch > lastValidatedBatch)) {
      lastValidatedBatch = window.toBatch
    }
  }
  return { windowsAsked: asked, windowsAnswered: answered, lastValidatedBatch }
}
