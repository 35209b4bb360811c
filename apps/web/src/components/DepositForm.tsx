/**
 * A portal deposit (ETH) sent by the Seed wallet: the page connects through EIP-6963, builds the
 * `depositTransaction` call (`depositEth`, which checks the chain's gas bounds first) and hands it to the
 * wallet as `eth_sendTransaction`; the wallet's one action pipeline decides, asks its user and signs. The
 * page only follows the transaction to its L1 receipt.
 */
import { depositEth, parseTransactionDeposited } from '@seed/contracts'
import { useQueryClient } from '@tanstack/react-query'
import { Link } from '@tanstack/react-router'
import { useState } from 'react'
import { type Address, type Hash, isAddress, parseEther } from 'viem'
import { useChain } from '../lib/chain-context.tsx'
import { short } from '../lib/format.ts'
import { sendThroughWallet, useWalletAccount } from '../lib/wallet.ts'
import { Empty, ErrorNote } from './States.tsx'

type Progress =
  | { step: 'wallet' }
  | { step: 'sent'; hash: Hash }
  | { step: 'done'; hash: Hash; block: bigint; nonce: bigint | undefined }
  | { step: 'failed'; error: unknown }

export function DepositForm({ inbox }: { inbox: Address }) {
  const { network } = useChain()
  const { wallet, account } = useWalletAccount()
  const queryClient = useQueryClient()
  const [progress, setProgress] = useState<Progress>()
  if (!wallet || !account) return <Empty>Connect the Seed wallet above to deposit from here.</Empty>
  const deposit = async (form: FormData) => {
    const to = String(form.get('to') ?? '').trim()
    const amountText = String(form.get('amount') ?? '').trim()
    let amount: bigint
    try {
      amount = parseEther(amountText)
    } catch {
      setProgress({ step: 'failed', error: new Error(`“${amountText}” is not an amount of ETH.`) })
      return
    }
    if (amount <= 0n) return setProgress({ step: 'failed', error: new Error('The amount must be more than 0.') })
    if (!isAddress(to)) return setProgress({ step: 'failed', error: new Error(`“${to}” is not an address.`) })
    setProgress({ step: 'wallet' })
    try {
      const call = await depositEth(network.l1, { inbox, to, amount })
      const hash = await sendThroughWallet(wallet, { chainId: network.manifest.l1.chainId, from: account, call })
      setProgress({ step: 'sent', hash })
      const receipt = await network.l1.waitForTransactionReceipt({ hash })
      if (receipt.status !== 'success') throw new Error(`The deposit transaction ${hash} reverted.`)
      const [deposited] = parseTransactionDeposited(receipt.logs).filter(
        (d) => d.inbox.toLowerCase() === inbox.toLowerCase(),
      )
      setProgress({ step: 'done', hash, block: receipt.blockNumber, nonce: deposited?.nonce })
      void queryClient.invalidateQueries({ queryKey: ['bridge-deposits', inbox] })
    } catch (error) {
      setProgress({ step: 'failed', error })
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
      <button type="submit" disabled={progress?.step === 'wallet' || progress?.step === 'sent'}>
        Deposit
      </button>
      <div id="deposit-progress" className="whole-row" role="status" aria-live="polite">
        {progress?.step === 'wallet' && <p>Waiting for the Seed wallet: approve the deposit there.</p>}
        {progress?.step === 'sent' && (
          <p>
            Sent{' '}
            <Link to="/l1/tx/$hash" params={{ hash: progress.hash }} className="mono">
              {short(progress.hash, 12)}
            </Link>
            ; waiting for L1…
          </p>
        )}
        {progress?.step === 'done' && (
          <p className="check ok">
            ✓ Deposited in L1 block #{String(progress.block)}
            {progress.nonce !== undefined ? ` (deposit nonce ${progress.nonce})` : ''}:{' '}
            <Link to="/l1/tx/$hash" params={{ hash: progress.hash }} className="mono">
              {short(progress.hash, 12)}
            </Link>
          </p>
        )}
        {progress?.step === 'failed' && <ErrorNote error={progress.error} />}
      </div>
    </form>
  )
}
