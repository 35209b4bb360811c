/**
 * The button a withdrawal's timeline needs next, sent through the Seed wallet on L1: Prove (the proof is
 * built here from the rollup node's `eth_getProof` against the posted output, `buildWithdrawalProof`), then,
 * once the output's challenge window has closed, Finalize, with a live countdown until then. The bridge
 * actions check the portal first, so a challenged output, an open window or a finalized withdrawal is said
 * in words, not as a revert.
 */
import {
  buildWithdrawalProof,
  finalizeWithdrawal,
  proveWithdrawal,
  type Withdrawal,
  type WithdrawalStatus,
} from '@seed/contracts'
import { useQueryClient } from '@tanstack/react-query'
import { useState } from 'react'
import { type Address, createPublicClient, http } from 'viem'
import type { L2Withdrawal } from '../lib/bridge.ts'
import { useChain } from '../lib/chain-context.tsx'
import { short } from '../lib/format.ts'
import { useL1Now } from '../lib/l1-clock.ts'
import { sendThroughWallet, useWalletAccount } from '../lib/wallet.ts'
import { explainWithdrawalError } from '../lib/withdrawal-errors.ts'
import { inFlight, type SentTx, SentTxStatus } from './SentTxStatus.tsx'

type Step = 'prove' | 'finalize'
type Progress = SentTx & { step: Step }

const DONE: Record<Step, string> = { prove: 'Proven', finalize: 'Finalized: the ETH is paid on L1' }

export function WithdrawalAction({
  inbox,
  withdrawal,
  batchIndex,
  status,
}: {
  inbox: Address
  withdrawal: L2Withdrawal
  /** The first posted batch whose output covers the withdrawal's block (none yet: nothing to prove against). */
  batchIndex: bigint | undefined
  status: WithdrawalStatus
}) {
  const { network, l2 } = useChain()
  const { wallet, account } = useWalletAccount()
  const queryClient = useQueryClient()
  const now = useL1Now()
  const [progress, setProgress] = useState<Progress>()
  const label = short(withdrawal.withdrawalHash, 12)
  const busy = inFlight(progress)

  const run = async (step: Step) => {
    if (!wallet || !account || !l2) return
    setProgress({ step, at: 'building' })
    try {
      const { withdrawalHash, l2Block: _, l2TxHash: __, ...message } = withdrawal
      const call =
        step === 'prove'
          ? await proveWithdrawal(
              network.l1,
              await buildWithdrawalProof(proofClient(l2), {
                l1: network.l1,
                inbox,
                batchIndex: batchIndex!,
                withdrawalHash,
              }),
            )
          : await finalizeWithdrawal(network.l1, { inbox, withdrawal: message satisfies Withdrawal })
      setProgress({ step, at: 'wallet' })
      const hash = await sendThroughWallet(wallet, { chainId: network.manifest.l1.chainId, call })
      setProgress({ step, at: 'sent', hash })
      const receipt = await network.l1.waitForTransactionReceipt({ hash })
      if (receipt.status !== 'success') throw new Error(`The ${step} transaction ${hash} reverted.`)
      setProgress({ step, at: 'done', hash, block: receipt.blockNumber })
      void queryClient.invalidateQueries({ queryKey: ['bridge-withdrawals'] })
    } catch (error) {
      setProgress({ step, at: 'failed', error: explainWithdrawalError(step, error) })
    }
  }

  const button = (() => {
    if (!wallet || !account) return null
    if ((status.status === 'not-proven' || status.status === 'output-invalidated') && batchIndex !== undefined) {
      return (
        <button
          type="button"
          disabled={busy}
          onClick={() => void run('prove')}
          aria-label={`Prove withdrawal ${label}`}
        >
          Prove
        </button>
      )
    }
    if (status.status === 'proven') {
      const left = now === undefined ? undefined : status.finalizableAt - now
      const open = left === undefined || left > 0n
      return (
        <button
          type="button"
          disabled={busy || open}
          onClick={() => void run('finalize')}
          aria-label={`Finalize withdrawal ${label}`}
        >
          {open ? `Finalize in ${left === undefined ? '…' : String(left)} s` : 'Finalize'}
        </button>
      )
    }
    if (status.status === 'ready') {
      return (
        <button
          type="button"
          disabled={busy}
          onClick={() => void run('finalize')}
          aria-label={`Finalize withdrawal ${label}`}
        >
          Finalize
        </button>
      )
    }
    return null
  })()

  return (
    <div className="withdrawal-action">
      {button}
      <SentTxStatus
        tx={progress}
        className="withdrawal-progress"
        layer="l1"
        approve={`the ${progress?.step}`}
        building={`Checking L1${progress?.step === 'prove' ? ' and building the proof' : ''}…`}
        done={(block) => `${DONE[progress!.step]} in L1 block #${block}`}
      />
    </div>
  )
}

/**
 * Where `eth_getProof` is asked: the replica when the chain has one (the wallet's provider forwards only
 * the common reads), else the client the page reads the chain with.
 */
function proofClient(l2: NonNullable<ReturnType<typeof useChain>['l2']>) {
  return l2.source === 'wallet' && l2.replicaUrl ? createPublicClient({ transport: http(l2.replicaUrl) }) : l2.client
}
