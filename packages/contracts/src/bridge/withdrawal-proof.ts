/**
 * The proof of an L2 withdrawal against a posted output (rollup-lite SPEC §10.3): the withdrawal as the
 * message passer logged it, the output preimage of the batch's last L2 block, and the node's `eth_getProof`
 * storage proof of `sentMessages[hash]`. What `proveWithdrawal` (L1) takes, checked first against what L1
 * holds so a caller gets a typed reason rather than a revert.
 */
import { type Address, type Hex, parseEventLogs } from 'viem'
import { getBlock, getBlockNumber, getLogs, getProof, getTransactionReceipt, readContract } from 'viem/actions'
import { L2ToL1MessagePasserAbi } from '../generated/L2ToL1MessagePasser.ts'
import { RollupInboxAbi } from '../generated/RollupInbox.ts'
import { L2_TO_L1_MESSAGE_PASSER } from './constants.ts'
import { WithdrawalNotReadyError } from './errors.ts'
import type { L1Client } from './types.ts'
import {
  hashWithdrawal,
  type OutputRootPreimage,
  outputRootOf,
  type Withdrawal,
  withdrawalStorageSlot,
} from './withdrawal.ts'

/** Any viem client that reaches the L2 (a rollup-lite node). */
export type L2Client = L1Client

/** Exactly the parameters of `proveWithdrawal` (and the portal's `proveWithdrawal` arguments). */
export type WithdrawalProof = {
  inbox: Address
  withdrawal: Withdrawal
  index: bigint
  outputRootPreimage: OutputRootPreimage
  storageProof: Hex[]
}

export type BuildWithdrawalProofParameters = {
  /** The L1 the chain's inbox is on (the batch's last L2 block and its posted output are read there). */
  l1: L1Client
  inbox: Address
  /** The posted batch whose output the proof is against. */
  batchIndex: bigint
} & ({ tx: Hex } | { withdrawalHash: Hex })

/** Builds the proof that the chain of `inbox` sent a withdrawal, against the output of batch `batchIndex`. */
export async function buildWithdrawalProof(
  l2Client: L2Client,
  { l1, inbox, batchIndex, ...which }: BuildWithdrawalProofParameters,
): Promise<WithdrawalProof> {
  const record = await readContract(l1, {
    address: inbox,
    abi: RollupInboxAbi,
    functionName: 'batch',
    args: [batchIndex],
  }).catch(() => undefined)
  const { withdrawal, l2Block } = await findWithdrawal(l2Client, which, record?.lastBlock)
  const hash = hashWithdrawal(withdrawal)
  if (!record || BigInt(record.outputRoot) === 0n) throw new WithdrawalNotReadyError(hash, 'output-not-posted')
  if (l2Block > record.lastBlock) throw new WithdrawalNotReadyError(hash, 'not-in-output')
  const [block, proof] = await Promise.all([
    getBlock(l2Client, { blockNumber: record.lastBlock }),
    getProof(l2Client, {
      address: L2_TO_L1_MESSAGE_PASSER,
      storageKeys: [withdrawalStorageSlot(hash)],
      blockNumber: record.lastBlock,
    }),
  ])
  if (proof.storageProof[0]?.value !== 1n) throw new WithdrawalNotReadyError(hash, 'not-sent')
  const outputRootPreimage = {
    stateRoot: block.stateRoot,
    messagePasserStorageRoot: proof.storageHash,
    blockHash: block.hash,
  }
  // The node's chain must be the one the batch posted: a forged or rolled-back output proves nothing.
  if (outputRootOf(outputRootPreimage) !== record.outputRoot) throw new WithdrawalNotReadyError(hash, 'output-mismatch')
  return { inbox, withdrawal, index: batchIndex, outputRootPreimage, storageProof: proof.storageProof[0].proof }
}

/** Blocks per log query: rollup-lite answers at most 10,000 (its MAX_LOG_RANGE). */
const LOG_WINDOW = 10_000n
const messagePassed = L2ToL1MessagePasserAbi.find((e) => e.type === 'event' && e.name === 'MessagePassed')!

/**
 * The withdrawal a transaction sent (its first), or the one with `withdrawalHash` among the message passer's
 * logs up to `toBlock`, newest first in windows the node accepts (the `tx` form is one request).
 */
async function findWithdrawal(
  l2Client: L2Client,
  which: { tx: Hex } | { withdrawalHash: Hex },
  toBlock: bigint | undefined,
): Promise<{ withdrawal: Withdrawal; l2Block: bigint }> {
  const found =
    'tx' in which
      ? parseEventLogs({
          abi: L2ToL1MessagePasserAbi,
          eventName: 'MessagePassed',
          logs: (await getTransactionReceipt(l2Client, { hash: which.tx })).logs.filter(
            (l) => l.address.toLowerCase() === L2_TO_L1_MESSAGE_PASSER.toLowerCase(),
          ),
        })[0]
      : await findLogOf(l2Client, which.withdrawalHash, toBlock ?? (await getBlockNumber(l2Client)))
  if (!found) throw new WithdrawalNotReadyError('tx' in which ? which.tx : which.withdrawalHash, 'not-sent')
  const { withdrawalHash: _, ...withdrawal } = found.args as Withdrawal & { withdrawalHash: Hex }
  return { withdrawal, l2Block: found.blockNumber! }
}

async function findLogOf(l2Client: L2Client, withdrawalHash: Hex, toBlock: bigint) {
  for (let to = toBlock; to >= 0n; to -= LOG_WINDOW) {
    const from = to >= LOG_WINDOW ? to - LOG_WINDOW + 1n : 0n
    const logs = await getLogs(l2Client, {
      address: L2_TO_L1_MESSAGE_PASSER,
      event: messagePassed,
      fromBlock: from,
      toBlock: to,
    })
    const log = logs.find((l) => l.args.withdrawalHash === withdrawalHash)
    if (log) return log
  }
  return undefined
}
