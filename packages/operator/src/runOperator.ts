/**
 * `seed-operator run`: serves a replica bounty slot. Starts the replica of the bounty's chain (rollup-lite's
 * `--follow`, re-derived from L1 blobs / IPFS plus the sequencer's gossip), answers probes from it signed
 * by the operator key, accepts the poster's epoch vouchers, and settles them on L1 every `settleEvery`
 * vouchers, at once when the poster asks to close the bounty (the claim window is then running), and on stop.
 */
import { join } from 'node:path'
import { readBounty, readBountySlot } from '@seed/contracts'
import { type FollowCliValues, startFollower } from '@seed/rollup-lite/node'
import { type Account, type Address, type Chain, type Client, isAddressEqual, type Transport } from 'viem'
import type { PrivateKeyAccount } from 'viem/accounts'
import { OperatorError } from './errors.ts'
import { rpcReplicaReader } from './rpcReader.ts'
import { startOperatorServer } from './server.ts'
import { settleEpochs } from './settleEpochs.ts'
import { fileVoucherStore } from './voucherStore.ts'

export type RunOperatorOptions = {
  l1: Client<Transport, Chain, Account>
  key: PrivateKeyAccount
  escrow: Address
  bountyId: bigint
  agentId: bigint
  /** The replica's options as `rollup-lite node --follow` takes them (`follow` is the bounty's inbox). */
  replica: Omit<FollowCliValues, 'follow'> & { 'data-dir': string }
  port?: number
  host?: string
  /** Vouchers accepted between settlements (default 24: a day of hourly epochs per L1 transaction). */
  settleEvery?: number
  /** How often the bounty is checked for a close request (default 5 s). */
  watchMs?: number
  onEvent?: (event: Record<string, unknown>) => void
}

export type RunningOperator = { url: string; rpcUrl: string; settle(): Promise<void>; stop(): Promise<void> }

export async function runOperator(o: RunOperatorOptions): Promise<RunningOperator> {
  const { l1, escrow, bountyId, agentId } = o
  const bounty = await readBounty(l1, { escrow, bountyId })
  if (bounty.kind !== 'replica') {
    throw new OperatorError(`bounty ${bountyId} is a ${bounty.kind} bounty; this operator serves replicas`)
  }
  const slot = await readBountySlot(l1, { escrow, bountyId, agentId })
  if (!slot || slot.closed) throw new OperatorError(`agent ${agentId} holds no open slot in bounty ${bountyId}`)
  if (!isAddressEqual(slot.operator, o.key.address)) {
    throw new OperatorError('the slot was joined by another key', { details: `operator ${slot.operator}` })
  }
  const follower = await startFollower({ ...o.replica, follow: bounty.inbox, port: o.replica.port ?? '0' })
  if (!follower) throw new OperatorError('the replica options are incomplete (see rollup-lite node --follow --help)')
  const vouchers = fileVoucherStore(join(o.replica['data-dir'], 'operator-vouchers.json'))
  const emit = o.onEvent ?? (() => {})
  let unsettled = 0
  let settling: Promise<void> | undefined
  const settle = () => {
    settling ??= settleEpochs(l1, { escrow, bountyId, agentId, vouchers })
      .then((settled) => {
        unsettled = 0
        if (settled) emit({ event: 'settled', tx: settled.hash, amount: settled.amount.toString() })
      })
      .catch((e: Error) => emit({ event: 'settle-failed', error: e.message.split('\n')[0] }))
      .finally(() => {
        settling = undefined
      })
    return settling
  }
  const server = await startOperatorServer({
    l1,
    escrow,
    bountyId,
    agentId,
    key: o.key,
    chainId: follower.replica.chain.chainId,
    read: rpcReplicaReader(follower.server.url),
    vouchers,
    port: o.port,
    host: o.host,
    onVoucher: (v) => {
      emit({ event: 'voucher', cumulativeAmount: v.cumulativeAmount.toString() })
      if (++unsettled >= (o.settleEvery ?? 24)) void settle()
    },
  })
  const watch = setInterval(() => {
    readBounty(l1, { escrow, bountyId })
      .then((b) => (b.closing ? settle() : undefined))
      .catch(() => {})
  }, o.watchMs ?? 5_000)
  return {
    url: server.url,
    rpcUrl: follower.server.url,
    settle,
    async stop() {
      clearInterval(watch)
      await server.close()
      await settle()
      await follower.stop()
    },
  }
}
