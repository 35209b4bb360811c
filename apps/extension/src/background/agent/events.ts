/**
 * `events.poll`: new L1 blocks and base fees, incoming payments to the agent's accounts, posted
 * batches. Observed when asked (a long poll checks every 250 ms until something happened or
 * `waitMs` passed), so nothing runs while no agent listens and nothing is lost across a service-worker
 * restart that a cursor cannot recover: the cursor is the L1 block number (and, for payments and
 * batches, what the previous poll saw, kept per caller in memory; a fresh worker reports from now on).
 */

import type { AgentEvent, EventTopic } from '@seed/agent/api'
import { type Address, erc20Abi, formatEther, formatGwei, formatUnits } from 'viem'
import { getDevnetConfig } from '../../core/config.ts'
import { accountService } from '../account/account.ts'
import { l1Client } from '../account/clients.ts'
import { rollupService } from '../rollup/rollup.ts'

type Seen = { eth?: bigint; usd?: bigint; rollupEth?: bigint; batch?: string }
const seenBy = new Map<string, Seen>()
const MAX_WAIT_MS = 25_000
const POLL_MS = 250

async function observe(topics: Set<EventTopic>, cursor: number | undefined, seen: Seen) {
  const client = await l1Client()
  const events: AgentEvent[] = []
  const block = await client.getBlock({ blockTag: 'latest' })
  const number = Number(block.number)
  const baseFeeGwei = formatGwei(block.baseFeePerGas ?? 0n)
  if (cursor !== undefined && number > cursor) {
    if (topics.has('l1Block')) events.push({ topic: 'l1Block', number, baseFeeGwei })
    if (topics.has('baseFee')) events.push({ topic: 'baseFee', number, baseFeeGwei })
  }
  const info = await accountService.info()
  if (info && topics.has('incomingPayment')) {
    const usd = (await getDevnetConfig()).contracts.usd
    const [eth, usds] = await Promise.all([
      client.getBalance({ address: info.smartAccount }),
      client.readContract({
        address: usd,
        abi: erc20Abi,
        functionName: 'balanceOf',
        args: [info.smartAccount as Address],
      }),
    ])
    const rollupEth = await rollupService
      .request('eth_getBalance', [info.rollupAccount, 'latest'])
      .then((v) => BigInt(v as string))
      .catch(() => undefined)
    if (seen.eth !== undefined && eth > seen.eth)
      events.push({
        topic: 'incomingPayment',
        chain: 'l1',
        asset: 'eth',
        amount: formatEther(eth - seen.eth),
        balance: formatEther(eth),
      })
    if (seen.usd !== undefined && usds > seen.usd)
      events.push({
        topic: 'incomingPayment',
        chain: 'l1',
        asset: 'usd',
        amount: formatUnits(usds - seen.usd, 6),
        balance: formatUnits(usds, 6),
      })
    if (rollupEth !== undefined && seen.rollupEth !== undefined && rollupEth > seen.rollupEth)
      events.push({
        topic: 'incomingPayment',
        chain: 'rollup',
        asset: 'eth',
        amount: formatEther(rollupEth - seen.rollupEth),
        balance: formatEther(rollupEth),
      })
    Object.assign(seen, { eth, usd: usds, rollupEth })
  }
  if (topics.has('batchPosted')) {
    const last = await rollupService
      .status()
      .then((s) => s.lastBatch)
      .catch(() => undefined)
    if (last && seen.batch !== undefined && last.blobTxHash !== seen.batch)
      events.push({ topic: 'batchPosted', blobTxHash: last.blobTxHash, cid: last.cid, l2BlockEnd: last.l2BlockEnd })
    if (last) seen.batch = last.blobTxHash
    else seen.batch ??= ''
  }
  return { cursor: number, events }
}

export async function poll(callerKey: string, topics: EventTopic[], cursor?: number, waitMs = 0) {
  const wanted = new Set(topics)
  const seen = seenBy.get(callerKey) ?? {}
  seenBy.set(callerKey, seen)
  const deadline = Date.now() + Math.min(Math.max(0, waitMs), MAX_WAIT_MS)
  for (;;) {
    const result = await observe(wanted, cursor, seen)
    if (result.events.length || Date.now() >= deadline) return result
    cursor ??= result.cursor
    await new Promise((r) => setTimeout(r, POLL_MS))
  }
}
