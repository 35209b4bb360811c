/**
 * An ETH withdrawal sent by the Seed wallet on the selected rollup: `initiateWithdrawal` on the chain's
 * L2ToL1MessagePasser with the amount as value (rollup-lite SPEC §10.3), handed to the wallet as
 * `eth_sendTransaction` on that chain; the wallet's pipeline decides, asks and signs. The withdrawal then
 * appears on its timeline below, where it is proven and finalized on L1.
 */
import { L2_TO_L1_MESSAGE_PASSER, L2ToL1MessagePasserAbi } from '@seed/contracts'
import { useQueryClient } from '@tanstack/react-query'
import { useState } from 'react'
import { createPublicClient, custom, encodeFunctionData, isAddress, parseEther } from 'viem'
import { useChain } from '../lib/chain-context.tsx'
import { sendThroughWallet, useWalletAccount } from '../lib/wallet.ts'
import { inFlight, type SentTx, SentTxStatus } from './SentTxStatus.tsx'
import { Empty } from './States.tsx'

/** Gas the portal forwards to the L1 recipient at finalization: a plain ETH transfer to an account or a wallet. */
const WITHDRAWAL_GAS_LIMIT = 100_000n

export function WithdrawForm() {
  const { chain } = useChain()
  const { wallet, account } = useWalletAccount()
  const queryClient = useQueryClient()
  const [progress, setProgress] = useState<SentTx>()
  if (!wallet || !account || !chain) return <Empty>Connect the Seed wallet above to withdraw from here.</Empty>
  const withdraw = async (form: FormData) => {
    const to = String(form.get('to') ?? '').trim()
    const amountText = String(form.get('amount') ?? '').trim()
    let amount: bigint
    try {
      amount = parseEther(amountText)
    } catch {
      return setProgress({ at: 'failed', error: new Error(`“${amountText}” is not an amount of ETH.`) })
    }
    if (amount <= 0n) return setProgress({ at: 'failed', error: new Error('The amount must be more than 0.') })
    if (!isAddress(to)) return setProgress({ at: 'failed', error: new Error(`“${to}” is not an address.`) })
    setProgress({ at: 'wallet' })
    try {
      const call = {
        to: L2_TO_L1_MESSAGE_PASSER,
        data: encodeFunctionData({
          abi: L2ToL1MessagePasserAbi,
          functionName: 'initiateWithdrawal',
          args: [to, WITHDRAWAL_GAS_LIMIT, '0x'],
        }),
        value: amount,
      }
      const hash = await sendThroughWallet(wallet, { chainId: Number(chain.chainId), call })
      setProgress({ at: 'sent', hash })
      // The wallet is on this chain now and sent it there: its provider answers for the receipt.
      const receipt = await createPublicClient({ transport: custom(wallet) }).waitForTransactionReceipt({ hash })
      if (receipt.status !== 'success') throw new Error(`The withdrawal transaction ${hash} reverted.`)
      setProgress({ at: 'done', hash, block: receipt.blockNumber })
      void queryClient.invalidateQueries({ queryKey: ['bridge-withdrawals'] })
    } catch (error) {
      setProgress({ at: 'failed', error })
    }
  }
  return (
    <form
      className="bridge-form"
      aria-label="Withdraw ETH"
      onSubmit={(event) => {
        event.preventDefault()
        void withdraw(new FormData(event.currentTarget))
      }}
    >
      <label>
        Amount to withdraw (ETH) <input name="amount" inputMode="decimal" required defaultValue="0.01" />
      </label>
      <label>
        Recipient on L1 <input name="to" className="mono" required defaultValue={account} spellCheck={false} />
      </label>
      <button type="submit" disabled={inFlight(progress)}>
        Withdraw
      </button>
      <SentTxStatus
        tx={progress}
        id="withdraw-progress"
        className="whole-row"
        layer="l2"
        approve="the withdrawal"
        done={(block) => `Withdrawal initiated in L2 block #${block} (prove it below once a batch posts its output)`}
      />
    </form>
  )
}
