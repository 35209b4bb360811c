/**
 * The output watcher as part of a process (`rollup-lite verify --watch`, `rollup-lite node --follow`): a key
 * is checked and turned into a sender here and only the sender goes on (no key is ever printed); the poll
 * loop reports its own trouble on stderr and gives up after an outage, never passing it off as a verdict.
 */
import { type Address, createWalletClient, type Hex, http, isHex, type PublicClient } from 'viem'
import { privateKeyToAccount } from 'viem/accounts'
import { sendTransaction, waitForTransactionReceipt } from 'viem/actions'
import type { SendL1Call } from './challenge-mismatch.ts'
import { type OutputWatcherOptions, watchOutputs } from './watch-outputs.ts'

/** Consecutive failed polls after which the watcher gives up: a blip is retried, an outage is not hidden. */
const MAX_FAILED_POLLS = 5

/** The key's address; null if it is not a private key (32 bytes of hex). */
export function keyAddress(key: string): Address | null {
  if (!isHex(key) || key.length !== 66) return null
  return privateKeyToAccount(key).address
}

/** Sends from `key` and waits for inclusion; a revert rejects (the caller re-reads L1 state). */
export function l1Sender(l1: PublicClient, l1Url: string, key: Hex): SendL1Call {
  const wallet = createWalletClient({ account: privateKeyToAccount(key), transport: http(l1Url, { timeout: 60_000 }) })
  return async (call) => {
    const hash = await sendTransaction(wallet, { ...call, chain: null })
    const receipt = await waitForTransactionReceipt(l1, { hash })
    if (receipt.status !== 'success') throw new Error(`L1 transaction ${hash} reverted`)
    return hash
  }
}

/** Polls until `signal` aborts (`once`: one pass); failed polls go to stderr as `<label>: poll failed …`. */
export function watchOutputsLogged(
  o: OutputWatcherOptions & { label: string; pollingInterval: number; signal: AbortSignal; once?: boolean },
): Promise<'stopped' | 'failed'> {
  const { label, ...watch } = o
  return watchOutputs({
    ...watch,
    maxFailedPolls: MAX_FAILED_POLLS,
    onError: (e, failed) =>
      console.error(
        `${label}: poll failed (${failed}/${MAX_FAILED_POLLS}): ${(e as { shortMessage?: string }).shortMessage ?? e.message}`,
      ),
  })
}
