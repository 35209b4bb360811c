/**
 * `rollup-lite verify --watch`: the output watcher as a process. Verdicts go to stdout as JSON lines, the
 * watcher's own trouble to stderr; keys come from the environment or flags and are never printed.
 */
import { IdentityRegistryAbi, seedErc8004Registries } from '@seed/contracts'
import type { Address, Hex } from 'viem'
import { readContract } from 'viem/actions'
import { createOutputsValidator } from './validation.ts'
import { type OutputVerdict, verdictJson } from './verdict.ts'
import type { OutputWatcherOptions } from './watch-outputs.ts'
import { keyAddress, l1Sender, watchOutputsLogged } from './watch-process.ts'

export type WatchCliOptions = Omit<OutputWatcherOptions, 'send' | 'validator' | 'onVerdict'> & {
  l1Url: string
  challengerKey?: string
  validatorKey?: string
  validationRegistry?: Address
  pollingInterval: number
  once: boolean
}

export async function runWatch(o: WatchCliOptions): Promise<number> {
  const challenger = o.challengerKey === undefined ? undefined : keyAddress(o.challengerKey)
  const validator = o.validatorKey === undefined ? undefined : keyAddress(o.validatorKey)
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
  // Started by a Node parent over an IPC channel (seed-operator's verifier): the kernel closes the channel when
  // the parent dies, even by SIGKILL, when no handler of its own can stop this watcher, so its close stops it
  // as SIGTERM does. Unreferenced: the channel alone must not keep the process up once the watch ended.
  process.channel?.unref()
  process.once('disconnect', abort)
  try {
    const outcome = await watchOutputsLogged({ ...options, label: 'verify --watch', signal: stop.signal })
    return outcome === 'failed' ? 1 : 0
  } finally {
    process.off('SIGINT', abort)
    process.off('SIGTERM', abort)
    process.off('disconnect', abort)
  }
}
