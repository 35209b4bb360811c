/**
 * Asks the network's faucet (its URL in the network's services, `faucet`) to send L1 ETH to the
 * smart account. The faucet holds its key; the wallet knows only the URL (decision 0432).
 */
import { getDevnetConfig } from '../../core/config.ts'
import { ErrorCode, ProviderRpcError } from '../../core/errors.ts'
import type { FaucetDrip } from '../../core/protocol.ts'
import { accountService } from '../account/account.ts'

/** A faucet that does not answer in this time is reported, not waited on. */
const FAUCET_TIMEOUT_MS = 30_000

export async function requestFaucet(): Promise<FaucetDrip> {
  const info = await accountService.info()
  if (!info) throw new ProviderRpcError(ErrorCode.unauthorized, 'No account: create or import one first.')
  const url = (await getDevnetConfig()).services.faucet
  if (!url) throw new ProviderRpcError(ErrorCode.unsupportedMethod, 'This network has no faucet.')
  let res: Response
  try {
    res = await fetch(`${url}/drip`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ address: info.smartAccount }),
      signal: AbortSignal.timeout(FAUCET_TIMEOUT_MS),
    })
  } catch (error) {
    throw new ProviderRpcError(ErrorCode.internal, `The faucet at ${url} did not answer: ${(error as Error).message}`)
  }
  const body = (await res.json().catch(() => ({}))) as Record<string, unknown>
  if (!res.ok) {
    const message = typeof body.error === 'string' ? body.error : `The faucet answered HTTP ${res.status}.`
    throw new ProviderRpcError(res.status === 429 ? ErrorCode.limitExceeded : ErrorCode.internal, message)
  }
  const text = (v: unknown) => (typeof v === 'string' ? v : undefined)
  return { amountEth: text(body.amountEth) ?? '?', amountUsd: text(body.amountUsd), txHash: text(body.ethTxHash) }
}
