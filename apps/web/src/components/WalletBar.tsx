/**
 * The Seed wallet as the Bridge page's forms see it: install it, connect it (EIP-6963, once for every form),
 * then the account and its L1 balance read through the wallet's own provider: the page sees what the wallet sees.
 */
import { useQuery } from '@tanstack/react-query'
import { hexToBigInt } from 'viem'
import { eth, short } from '../lib/format.ts'
import { useHead } from '../lib/live.ts'
import { useWalletAccount } from '../lib/wallet.ts'
import { ErrorNote } from './States.tsx'

export function WalletBar() {
  const { wallet, account, checking, connect } = useWalletAccount()
  const l1Head = useHead('l1')
  const balance = useQuery({
    queryKey: ['wallet-balance', account, String(l1Head.data?.number)],
    enabled: wallet !== undefined && account !== undefined,
    queryFn: async () =>
      hexToBigInt((await wallet!.request({ method: 'eth_getBalance', params: [account!, 'latest'] })) as `0x${string}`),
    placeholderData: (previous) => previous,
  })
  if (!wallet) {
    return (
      <p className="muted" id="bridge-wallet">
        Deposits, proofs and finalizations are sent by the Seed wallet: install it and reload this page to send them
        from here.
      </p>
    )
  }
  if (!account && checking) {
    return (
      <p className="muted" id="bridge-wallet">
        Asking the Seed wallet for its account…
      </p>
    )
  }
  if (!account) {
    return (
      <div id="bridge-wallet">
        <button type="button" onClick={() => connect.mutate()} disabled={connect.isPending}>
          Connect the Seed wallet
        </button>
        {connect.error && <ErrorNote error={connect.error} />}
      </div>
    )
  }
  return (
    <p id="bridge-wallet">
      Connected: <span className="mono">{short(account)}</span> · balance read through the Seed wallet:{' '}
      <span id="wallet-balance">{balance.data === undefined ? '…' : eth(balance.data)}</span>
    </p>
  )
}
