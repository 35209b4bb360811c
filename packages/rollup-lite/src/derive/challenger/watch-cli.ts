/**
 * `rollup-lite verify --watch`: the output watcher as a process. Verdicts go to stdout as JSON lines, the
 * watcher's own trouble to stderr; keys come from the environment or flags and are never printed.
 */
import { IdentityRegistryAbi, seedErc8004Registries } from '@seed/contracts'
import { type Address, createWalletClient, type Hex, http, isHex, type PublicClient } from 'viem'
import { privateKeyToAccount } from 'viem/accounts'
import { readContract, sendTransaction, waitForTransactionReceipt } from 'viem/actions'
import type { SendL1Call } from './challenge-mismatch.ts'
import { createOutputsValidator } from './validation.ts'
import { type OutputVerdict, verdictJson } from './verdict.ts'
import { type OutputWatcherOptions, watchOutputs } from './watch-outputs.ts'

/** Consecutive failed polls after which the watcher gives up (exit 1): a blip is retried, an outage is not hidden. */
const MAX_FAILED_POLLS = 5

export type WatchCliOptions = Omit<OutputWatcherOptions, 'send' | 'validator' | 'onVerdict'> & {
  l1Url: string
  challengerKey?: string
  validatorKey?: string
  validationRegistry?: Address
  pollingInterval: number
  once: boolean
}

export async function runWatch(o: WatchCliOptions): Promise<number> {
  const challenger = o.challengerKey === undefined ? undefined : keyOrUndefined(o.challengerKey)
  const validator = o.validatorKey === undefined ? undefined : keyOrUndefined(o.validatorKey)
  if (challenger === null || validator === null) {
    console.error('error: a key must be 32 bytes of hex (0x…)')
    return 2
  }
  const validation = o.validationRegistry ?? seedErc8004Registries().validation
  if (validator) {
    const identity = seedErc8004Registries().identity
    const agents = await readContract(o.l1, {
      address: identity,
      abi: IdentityRegistryAbi,
      functionName: 'balanceOf',
      args: [validator],
    }).catch(() => 0n)
    if (agents === 0n) {
      console.error(`error: the validator ${validator} is not a registered ERC-8004 agent (register it first)`)
      return 2
    }
  }
  const sendFor = (key: string | undefined) => (key ? l1Sender(o.l1, o.l1Url, key as Hex) : undefined)
  // The keys stay here: only the senders made from them go on.
  const { l1Url: _url, challengerKey: _c, validatorKey: _v, validationRegistry: _r, ...watch } = o
  const options = {
    ...watch,
    send: sendFor(o.challengerKey),
    validator: validator
      ? createOutputsValidator({
          l1: o.l1,
          validation,
          validator,
          inbox: o.inbox,
          send: sendFor(o.validatorKey)!,
        })
      : undefined,
    onVerdict: (v: OutputVerdict) => console.log(verdictJson(v)),
  }
  console.error(
    `verify --watch: inbox ${o.inbox}; ${challenger ? `challenging from ${challenger}` : 'reporting only (no challenger key)'}${validator ? `; answering validation requests as ${validator}` : ''}`,
  )

  const stop = new AbortController()
  const abort = () => stop.abort()
  process.once('SIGINT', abort)
  process.once('SIGTERM', abort)
  try {
    const outcome = await watchOutputs({
      ...options,
      signal: stop.signal,
      maxFailedPolls: MAX_FAILED_POLLS,
      onError: (e, failed) =>
        console.error(
          `verify --watch: poll failed (${failed}/${MAX_FAILED_POLLS}): ${(e as { shortMessage?: string }).shortMessage ?? e.message}`,
        ),
    })
    return outcome === 'failed' ? 1 : 0
  } finally {
    process.off('SIGINT', abort)
    process.off('SIGTERM', abort)
  }
}

/** The key's address; null if it is not a private key. */
function keyOrUndefined(key: string): Address | null {
  if (!isHex(key) || key.length !== 66) return null
  return privateKeyToAccount(key).address
}

/** Sends from `key` and waits for inclusion; a revert rejects (the caller re-reads L1 state). */
function l1Sender(l1: PublicClient, l1Url: string, key: Hex): SendL1Call {
  const wallet = createWalletClient({ account: privateKeyToAccount(key), transport: http(l1Url, { timeout: 60_000 }) })
  return async (call) => {
    const hash = await sendTransaction(wallet, { ...call, chain: null })
    const receipt = await waitForTransactionReceipt(l1, { hash })
    if (receipt.status !== 'success') throw new Error(`L1 transaction ${hash} reverted`)
    return hash
  }
}
