/**
 * A portal deposit (ETH) sent by the Seed wallet: the page connects through EIP-6963, builds the
 * `depositTransaction` call (`depositEth`, which checks the chain's gas bounds first) and hands it to the
 * wallet as `eth_sendTransaction`; the wallet's one action pipeline decides, asks its user and signs. The
 * page only follows the transaction to its L1 receipt.
 */
import { depositEth, parseTransactionDeposited } from '@seed/contracts'
import { useQueryClient } from '@tanstack/react-query'
import { useState } from 'react'
import { type Address, isAddress, parseEther } from 'viem'
import { useChain } from '../lib/chain-context.tsx'
import { sendThroughWallet, useWalletAccount } from '../lib/wallet.ts'
import { inFlight, type SentTx, SentTxStatus } from './SentTxStatus.tsx'
import { Empty } from './States.tsx'

export function DepositForm({ inbox }: { inbox: Address }) {
  const { network } = useChain()
  const { wallet, account } = useWalletAccount()
  const queryClient = useQueryClient()
  const [progress, setProgress] = useState<SentTx>()
  const [nonce, setNonce] = useState<bigint>()
  if (!wallet || !account) return <Empty>Connect the Seed wallet above to deposit from here.</Empty>
  const deposit = async (form: FormData) => {
    const to = String(form.get('to') ?? '').trim()
    const amountText = String(form.get('amount') ?? '').trim()
    let amount: bigint
    try {
      amount = parseEther(amountText)
    } catch {
      setProgress({ at: 'failed', error: new Error(`“${amountText}” is not an amount of ETH.`) })
      return
    }
    if (amount <= 0n) return setProgress({ at: 'failed', error: new Error('The amount must be more than 0.') })
    if (!isAddress(to)) return setProgress({ at: 'failed', error: new Error(`“${to}” is not an address.`) })
    setProgress({ at: 'wallet' })
    try {
      const call = await depositEth(network.l1, { inbox, to, amount })
      const hash = await sendThroughWallet(wallet, { chainId: network.manifest.l1.chainId, call })
      setProgress({ at: 'sent', hash })
      const receipt = await network.l1.waitForTransactionReceipt({ hash })
      if (receipt.status !== 'success') throw new Error(`The deposit transaction ${hash} reverted.`)
      const [deposited] = parseTransactionDeposited(receipt.logs).filter(
        (d) => d.inbox.toLowerCase() === inbox.toLowerCase(),
      )
      setNonce(deposited?.nonce)
      setProgress({ at: 'done', hash, block: receipt.blockNumber })
      void queryClient.invalidateQueries({ queryKey: ['bridge-deposits', inbox] })
    } catch (error) {
      setProgress({ at: 'failed', error })
    }
  }
  return (
    <form
      className="bridge-form"
      aria-label="Deposit ETH"
      onSubmit={(event) => {
        event.preventDefault()
        void deposit(new FormData(event.currentTarget))
      }}
    >
      <label>
        Amount (ETH) <input name="amount" inputMode="decimal" required defaultValue="0.01" />
      </label>
      <label>
        Recipient on L2 <input name="to" className="mono" required defaultValue={account} spellCheck={false} />
      </label>
      <button type="submit" disabled={inFlight(progress)}>
        Deposit
      </button>
      <SentTxStatus
        tx={progress}
        id="deposit-progress"
        className="whole-row"
        layer="l1"
        approve="the deposit"
        done={(block) => `Deposited in L1 block #${block}${nonce !== undefined ? ` (deposit nonce ${nonce})` : ''}`}
      />
    </form>
  )
}
