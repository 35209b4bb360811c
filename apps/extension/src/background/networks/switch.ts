/**
 * Switching networks at run time (decision 0430): the per-network storage items follow the active
 * network id, so a switch is one write plus what must not straddle two networks — requests waiting
 * for the user are refused, work already signed for the old network must finish first, the rollup
 * Worker is replaced by the new network's, and connected sites hear what changed.
 */
import { numberToHex } from 'viem'
import { configOf, networkSettings } from '../../core/config.ts'
import { ErrorCode, ProviderRpcError } from '../../core/errors.ts'
import { stored } from '../../core/storage.ts'
import { ensureNetworkAccount } from '../account/seed-account.ts'
import { pendingRequests, rejectPendingRequests } from '../approvals/approvals.ts'
import { accountsFor } from '../provider/accounts.ts'
import { chainOf } from '../provider/chains.ts'
import { emitToOrigin } from '../provider/events.ts'
import { connectedOrigins } from '../provider/permissions.ts'
import { ensureOffscreen, rollupGenesisConfig } from '../rollup/rollup.ts'

export class UnknownNetworkError extends ProviderRpcError {
  override name = 'UnknownNetworkError'
  constructor(id: string) {
    super(ErrorCode.invalidParams, `No network "${id}": add it on the networks screen first.`)
  }
}

/** Something signed for the active network is still in flight: switching now could finish it on the wrong chain. */
export class NetworkBusyError extends ProviderRpcError {
  override name = 'NetworkBusyError'
  constructor(what: string) {
    super(ErrorCode.unauthorized, `Wait until ${what} has finished before switching networks.`)
  }
}

async function assertNothingInFlight() {
  if ((await pendingRequests()).some((r) => r.status === 'approved')) throw new NetworkBusyError('an approved request')
  if (await stored.batchingSetup.get()) throw new NetworkBusyError('"Start batching"')
  if (await stored.batcherTopUp.get()) throw new NetworkBusyError('the batcher top-up')
  if (await stored.seedDeployment.get()) throw new NetworkBusyError("the deployment of Seed's contracts")
}

/** Tells each connected origin of a network what it now sees (nothing, on the network left behind). */
async function announce(leaving: boolean) {
  for (const { origin } of await connectedOrigins()) {
    await emitToOrigin(origin, 'accountsChanged', leaving ? [] : await accountsFor(origin))
    if (!leaving) await emitToOrigin(origin, 'chainChanged', numberToHex((await chainOf(origin)).id))
  }
}

/** Makes `id` the active network; its accounts, activity, sites and rollup are as they were left. */
export async function switchNetwork(id: string) {
  const network = await networkSettings(id)
  if (!network) throw new UnknownNetworkError(id)
  configOf(network) // refuses a network without an L1 RPC or bundler (NotConfiguredError)
  if ((await stored.activeNetwork.get()) === id) return network
  await assertNothingInFlight()
  await rejectPendingRequests(
    new ProviderRpcError(ErrorCode.userRejected, 'The wallet switched networks before this request was approved.'),
  )
  await announce(true)
  await stored.activeNetwork.set(id)
  // An unlocked wallet gets its account on a network it has not used yet (if Seed is deployed there).
  if (await stored.unlocked.get()) await ensureNetworkAccount().catch(() => undefined)
  await announce(false)
  // The Worker of the network left behind stops; the new network's starts from its own IndexedDB.
  if (await rollupGenesisConfig()) await ensureOffscreen().catch(() => undefined)
  else if (await chrome.offscreen.hasDocument()) await chrome.offscreen.closeDocument()
  return network
}
