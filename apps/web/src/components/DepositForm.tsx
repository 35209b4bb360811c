/**
 * A portal deposit (ETH) sent by the Seed wallet: the page connects through EIP-6963, builds the
 * `depositTransaction` call (`depositEth`, which checks the chain's gas bounds first) and hands it to the
 * wallet as `eth_sendTransaction`; the wallet's one action pipeline decides, asks its user and signs. The
 * page only follows the transaction to its L1 receipt.
 */
import { depositEth, parseTransactionDeposited } from '@seed/contracts'
import { useQuery, useQueryClient } from '@tanstack/react-query'
import { Link } from '@tanstack/react-router'
import { useState } from 'react'
import { type Address, type Hash, hexToBigInt, isAddress, parseEther, toHex } from 'viem'
import { useChain } from '../lib/chain-context.tsx'
import { eth, short } from '../lib/format.ts'
import { useHead } from '../lib/live.ts'
import { useSeedWallet } from '../lib/wallet.ts'
import { ErrorNote } from './States.tsx'

type Progress =
  | { step: 'wallet' }
  | { step: 'sent'; hash: Hash }
  | { step: 'done'; hash: Hash; block: bigint; nonce: bigint | undefined }
  | { step: 'failed'; error: unknown }

export function DepositForm({ inbox }: { inbox: Address }) {
  const { network } = useChain()
  const wallet = useSeedWallet()
  const queryClient = useQueryClient()
  const l1Head = useHead('l1')
  const [account, setAccount] = useState<Address>()
  const [connectError, setConnectError] = useState<unknown>()
  const [progress, setProgress] = useState<Progress>()
  // A read through the wallet's provider: the page sees what the wallet sees.
  const balance = useQuery({
    queryKey: ['wallet-balance', account, String(l1Head.data?.number)],
    enabled: wallet !== undefined && account !== undefined,
    queryFn: async () =>
      hexToBigInt((await wallet!.request({ method: 'eth_getBalance', params: [account!, 'latest'] })) as `0x${string}`),
    placeholderData: (previous) => previous,
  })
  if (!wallet) {
    return (
      <p className="muted" id="deposit-wallet">
        Deposits are sent by the Seed wallet: install it and reload this page to deposit from here.
      </p>
    )
  }
  const connect = async () => {
    setConnectError(undefined)
    try {
      const accounts = (await wallet.request({ method: 'eth_requestAccounts' })) as Address[]
      setAccount(accounts[0])
    } catch (error) {
      setConnectError(error)
    }
  }
  if (!account) {
    return (
      <div id="deposit-wallet">
        <button type="button" onClick={connect}>
          Connect the Seed wallet
        </button>
        {connectError !== undefined && <ErrorNote error={connectError} />}
      </div>
    )
  }
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
      const l1ChainId = toHex(network.manifest.l1.chainId)
      if ((await wallet.request({ method: 'eth_chainId' })) !== l1ChainId) {
        await wallet.request({ method: 'wallet_switchEthereumChain', params: [{ chainId: l1ChainId }] })
      }
      const call = await depositEth(network.l1, { inbox, to, amount })
      const hash = (await wallet.request({
        method: 'eth_sendTransaction',
        params: [{ from: account, to: call.to, data: call.data, value: toHex(call.value) }],
      })) as Hash
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
      className="deposit"
      aria-label="Deposit ETH"
      onSubmit={(event) => {
        event.preventDefault()
        void deposit(new FormData(event.currentTarget))
      }}
    >
      <p id="deposit-wallet" className="whole-row">
        Connected: <span className="mono">{short(account)}</span> · L1 balance read through the Seed wallet:{' '}
        <span id="wallet-balance">{balance.data === undefined ? '…' : eth(balance.data)}</span>
      </p>
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
