/**
 * `seed-operator run`: serves one bounty slot, by the bounty's kind (decision 0802):
 * - replica: a replica of the bounty's chain (rollup-lite's `--follow`, re-derived from L1 blobs / IPFS plus the
 *   sequencer's gossip) answers probes from what it holds;
 * - verify: `rollup-lite verify --watch` re-derives every batch, answers the poster's validation requests naming
 *   this key, and answers probes with the output roots it derived;
 * - pin: its own IPFS peer pins every batch's CID as batches are posted and answers probes with their bytes.
 * Every kind that follows the chain challenges an output it cannot reproduce when given a challenger key. The
 * poster's vouchers are accepted and settled on L1 every `settleEvery` vouchers, at once when the poster asks to
 * close the bounty (the claim window is then running), and on stop.
 */
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { readBounty, readBountySlot } from '@seed/contracts'
import { readBridgeActivation } from '@seed/rollup-lite'
import { type FollowCliValues, startFollower } from '@seed/rollup-lite/node'
import { type Account, type Address, type Chain, type Client, type Hex, isAddressEqual, type Transport } from 'viem'
import { type PrivateKeyAccount, privateKeyToAddress } from 'viem/accounts'
import { OperatorError } from './errors.ts'
import { startPinner } from './pinner.ts'
import { type ProbeAnswerer, pinProbeAnswerer, replicaProbeAnswerer, verifyProbeAnswerer } from './probeAnswerer.ts'
import { rpcReplicaReader } from './rpcReader.ts'
import { startOperatorServer } from './server.ts'
import { settleEpochs } from './settleEpochs.ts'
import { startVerifier } from './verifier.ts'
import { fileVoucherStore } from './voucherStore.ts'

export type RunOperatorOptions = {
  l1: Client<Transport, Chain, Account>
  key: PrivateKeyAccount
  escrow: Address
  bountyId: bigint
  agentId: bigint
  /**
   * How to follow the bounty's chain, as `rollup-lite node --follow` takes the options (`follow` is the bounty's
   * inbox): every kind reads `data-dir`, `l1`, `ipfs`, `beacon`, `manifest`; replica and verify need `genesis`.
   */
  replica: Omit<FollowCliValues, 'follow'> & { 'data-dir': string }
  /** Challenges outputs the operator cannot reproduce, paying the bond (replica and verify). */
  challengerKey?: Hex
  /**
   * `key` as hex, for a verify bounty: the verifier process signs its validation responses with it (the payer
   * reads them on chain as this key's).
   */
  validatorKey?: Hex
  /** The ERC-8004 Validation registry a verifier answers on (default: Seed's). */
  validationRegistry?: Address
  port?: number
  host?: string
  /** Vouchers accepted between settlements (default 24: a day of hourly epochs per L1 transaction). */
  settleEvery?: number
  /** How often the bounty is checked for a close request (default 5 s). */
  watchMs?: number
  onEvent?: (event: Record<string, unknown>) => void
}

export type RunningOperator = {
  url: string
  /** The replica's JSON-RPC (replica), or the operator's IPFS gateway (pin); the operator's URL otherwise. */
  rpcUrl: string
  settle(): Promise<void>
  stop(): Promise<void>
}

type Work = {
  probe: ProbeAnswerer
  progress: () => Promise<Record<string, unknown>>
  url?: string
  stop(): Promise<void>
}

export async function runOperator(o: RunOperatorOptions): Promise<RunningOperator> {
  const { l1, escrow, bountyId, agentId } = o
  const bounty = await readBounty(l1, { escrow, bountyId })
  const slot = await readBountySlot(l1, { escrow, bountyId, agentId })
  if (!slot || slot.closed) throw new OperatorError(`agent ${agentId} holds no open slot in bounty ${bountyId}`)
  if (!isAddressEqual(slot.operator, o.key.address)) {
    throw new OperatorError('the slot was joined by another key', { details: `operator ${slot.operator}` })
  }
  const emit = o.onEvent ?? (() => {})
  const dataDir = o.replica['data-dir']
  const l1Url = o.replica.l1
  // A bridged chain (its portal holds the inbox's bridge config) is followed with its deposits (SPEC §10.2).
  const deposits =
    o.replica.deposits ??
    (await readBridgeActivation(l1, { inbox: bounty.inbox, portal: o.replica.portal as Address | undefined })) !==
      undefined
  // Verify and pin answers are signed in the L1's domain (the escrow's chain); replica answers in the rollup's (0802).
  const l1Signer = { key: o.key, chainId: BigInt(l1.chain.id), escrow }
  let work: Work
  switch (bounty.kind) {
    case 'replica': {
      const follower = await startFollower({
        ...o.replica,
        follow: bounty.inbox,
        deposits,
        port: o.replica.port ?? '0',
        ...(o.challengerKey && { 'challenger-key': o.challengerKey }),
      })
      if (!follower)
        throw new OperatorError('the replica options are incomplete (see rollup-lite node --follow --help)')
      const read = rpcReplicaReader(follower.server.url)
      work = {
        probe: replicaProbeAnswerer({ ...l1Signer, chainId: follower.replica.chain.chainId }, read),
        progress: async () => ({ head: (await read(0n))?.head }),
        url: follower.server.url,
        stop: follower.stop,
      }
      break
    }
    case 'verify': {
      const genesis = o.replica.genesis
      if (!genesis || !l1Url) throw new OperatorError('a verify bounty needs the chain’s genesis file and the L1 URL')
      // Fail here, not in the child: the file must be the chain's genesis JSON.
      JSON.parse(readFileSync(genesis, 'utf8'))
      const verifier = startVerifier({
        l1: l1Url,
        inbox: bounty.inbox,
        genesis,
        validatorKey: validatorKeyOf(o),
        challengerKey: o.challengerKey,
        beacon: o.replica.beacon,
        ipfs: o.replica.ipfs,
        manifest: o.replica.manifest,
        validationRegistry: o.validationRegistry,
        deposits,
        pollMs: o.replica.poll ? Number(o.replica.poll) : undefined,
        onEvent: emit,
      })
      work = {
        probe: verifyProbeAnswerer(l1Signer, verifier.computed),
        progress: async () => ({ derived: verifier.derived() }),
        stop: verifier.stop,
      }
      break
    }
    case 'pin': {
      if (!o.replica.ipfs) throw new OperatorError('a pin bounty needs --ipfs: a peer that holds the batches')
      const pinner = await startPinner({
        l1,
        inbox: bounty.inbox,
        dataDir,
        source: o.replica.ipfs,
        operator: o.key.address,
        pollMs: o.replica.poll ? Number(o.replica.poll) : undefined,
        onEvent: emit,
      })
      work = {
        probe: pinProbeAnswerer(l1Signer, pinner.held),
        progress: async () => ({ pinned: pinner.pinned(), ipfs: pinner.peer }),
        url: pinner.peer.url,
        stop: pinner.stop,
      }
      break
    }
  }
  const vouchers = fileVoucherStore(join(dataDir, 'operator-vouchers.json'))
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
    chainId: l1Signer.chainId,
    probe: work.probe,
    progress: work.progress,
    vouchers,
    port: o.port,
    host: o.host,
    onVoucher: (v) => {
      emit({ event: 'voucher', cumulativeAmount: v.cumulativeAmount.toString() })
      if (++unsettled >= (o.settleEvery ?? 24)) void settle()
    },
  }).catch(async (e: Error) => {
    await work.stop()
    throw e
  })
  const watch = setInterval(() => {
    readBounty(l1, { escrow, bountyId })
      .then((b) => (b.closing ? settle() : undefined))
      .catch(() => {})
  }, o.watchMs ?? 5_000)
  return {
    url: server.url,
    rpcUrl: work.url ?? server.url,
    settle,
    async stop() {
      clearInterval(watch)
      await server.close()
      await settle()
      await work.stop()
    },
  }
}

function validatorKeyOf(o: RunOperatorOptions): Hex {
  const key = o.validatorKey
  if (!key || !isAddressEqual(privateKeyToAddress(key), o.key.address)) {
    throw new OperatorError('a verify bounty needs validatorKey: the private key of the key that joined the slot')
  }
  return key
}
