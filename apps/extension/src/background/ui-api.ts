/** What the extension's own pages (popup, approval window) may ask the background (the messenger checks who asks). */
import { type Address, erc20Abi, formatEther, formatUnits, type Hex } from 'viem'
import { activeNetwork, getDevnetConfig } from '../core/config.ts'
import type { Handlers } from '../core/messenger.ts'
import type { BackgroundProtocol, ConsoleMessage } from '../core/protocol.ts'
import { accountService } from './account/account.ts'
import { autoLockMinutes, setAutoLockMinutes } from './account/autolock.ts'
import { l1Client } from './account/clients.ts'
import { hasVault } from './account/seed-account.ts'
import { listActivity, settleL2Activity } from './actions/activity.ts'
import { actions, policySettings, policyState, savePolicySettings, setFrozen } from './actions/policy.ts'
import { executeRequest } from './actions/requests.ts'
import { resumePairingKeys } from './agent/pairing-key.ts'
import { agentHandlers } from './agents/ui-handlers.ts'
import { decide, getRequest } from './approvals/approvals.ts'
import { approvalView } from './approvals/preview.ts'
import { bountyHandlers } from './bounties/ui-handlers.ts'
import { bridgeHandlers } from './bridge/ui-handlers.ts'
import { requestFaucet } from './funding/faucet.ts'
import { fundingView } from './funding/funding.ts'
import { grantView, listGrants } from './grants/grants.ts'
import { revokeGrant } from './grants/revoke-grant.ts'
import { networkHandlers } from './networks/ui-handlers.ts'
import { accountsFor, disconnectOrigin } from './provider/accounts.ts'
import { rollupChainId } from './provider/chains.ts'
import { emitToOrigin } from './provider/events.ts'
import { connectedOrigins } from './provider/permissions.ts'
import { addReplica, removeReplica, replicasView } from './rollup/replicas.ts'
import { ensureOffscreen, rollupService } from './rollup/rollup.ts'
import { enableBatching, rollupStatus, withBatchActivity } from './rollup/rollup-batching.ts'

async function announceAccounts() {
  for (const { origin } of await connectedOrigins())
    await emitToOrigin(origin, 'accountsChanged', await accountsFor(origin))
}

async function policyView() {
  const spent = await actions.spent(86_400)
  const usd = (await getDevnetConfig()).contracts.usd.toLowerCase()
  return {
    settings: await policySettings(),
    frozen: (await policyState()).frozen,
    spentTodayEth: formatEther(spent.get('eth') ?? 0n),
    spentTodayUsd: formatUnits(spent.get(usd) ?? 0n, 6),
    feesTodayEth: formatEther(spent.get('fee') ?? 0n),
  }
}

/** The pairing screen's `ui:pair*` are served by background/agent/ui-handlers.ts, the console's by background/scripts/ui.ts. */
type UiHandlers = Omit<Handlers<BackgroundProtocol>, 'rpc' | `ui:pair${string}` | ConsoleMessage>

export const uiHandlers: UiHandlers = {
  ...networkHandlers,
  ...agentHandlers,
  ...bountyHandlers,
  ...bridgeHandlers,
  async 'ui:state'() {
    let configured = true
    let l1ChainId: number | undefined
    try {
      l1ChainId = (await getDevnetConfig()).l1.chainId
    } catch {
      configured = false
    }
    const account = await accountService.info()
    const { id, name } = await activeNetwork()
    return {
      network: { id, name },
      configured,
      hasVault: await hasVault(),
      unlocked: await accountService.isUnlocked(),
      account,
      l1ChainId,
      rollupChainId: configured ? await rollupChainId() : undefined,
    }
  },
  async 'ui:create'({ password, privateKey }) {
    const info = await accountService.create({ password, privateKey })
    await announceAccounts()
    void ensureOffscreen().catch(() => {}) // the agent's rollup starts with its wallet (the keep-alive retries)
    return info ?? null
  },
  async 'ui:unlock'({ password }) {
    const info = await accountService.unlock(password)
    await announceAccounts()
    void resumePairingKeys() // a pairing's key install that did not finish needs the owner key (decision 0605)
    return info ?? null
  },
  async 'ui:lock'() {
    await accountService.lock()
    await announceAccounts()
    return null
  },
  async 'ui:approval'({ id }) {
    const request = await getRequest(id)
    return request ? approvalView(request) : null
  },
  async 'ui:decide'({ id, approved }) {
    return decide(id, approved, executeRequest)
  },
  async 'ui:balances'() {
    const info = await accountService.info()
    if (!info) return {}
    const result: Awaited<ReturnType<UiHandlers['ui:balances']>> = {}
    try {
      const client = await l1Client()
      const { testToken, usd } = (await getDevnetConfig()).contracts
      const balanceOf = (address: Address) =>
        client.readContract({ address, abi: erc20Abi, functionName: 'balanceOf', args: [info.smartAccount] })
      // Seed USD may not be deployed yet on a new network, and only the devnet has the test token.
      const [eth, tst, usds] = await Promise.all([
        client.getBalance({ address: info.smartAccount }),
        testToken ? balanceOf(testToken) : undefined,
        balanceOf(usd).catch(() => undefined),
      ])
      result.l1 = {
        eth: formatEther(eth),
        token: tst === undefined ? undefined : formatUnits(tst, 18),
        usd: usds === undefined ? undefined : formatUnits(usds, 6),
      }
    } catch (error) {
      result.error = `L1: ${(error as Error).message}`
    }
    try {
      const wei = (await rollupService.request('eth_getBalance', [info.rollupAccount, 'latest'])) as Hex
      result.l2 = { eth: formatEther(BigInt(wei)) }
    } catch (error) {
      result.error = `${result.error ? `${result.error}; ` : ''}rollup: ${(error as Error).message}`
    }
    return result
  },
  async 'ui:sites'() {
    return connectedOrigins()
  },
  async 'ui:disconnect'({ origin }) {
    await disconnectOrigin(origin)
    return null
  },
  async 'ui:funding'() {
    return fundingView()
  },
  async 'ui:faucet'() {
    return requestFaucet()
  },
  async 'ui:activity'() {
    await settleL2Activity()
    return withBatchActivity(await listActivity())
  },
  async 'ui:policy'() {
    return policyView()
  },
  async 'ui:setPolicy'({ settings, frozen }) {
    await savePolicySettings(settings)
    await setFrozen(frozen)
    return policyView()
  },
  async 'ui:grants'() {
    return (await listGrants()).map(grantView)
  },
  async 'ui:revokeGrant'({ context }) {
    return grantView(await revokeGrant(context))
  },
  async 'ui:settings'() {
    return { autoLockMinutes: await autoLockMinutes() }
  },
  async 'ui:setSettings'({ autoLockMinutes: minutes }) {
    await setAutoLockMinutes(minutes)
    return { autoLockMinutes: await autoLockMinutes() }
  },
  async 'ui:enableBatching'() {
    await enableBatching()
    return rollupStatus()
  },
  async 'ui:replicas'() {
    return replicasView()
  },
  async 'ui:addReplica'(params) {
    return addReplica(params)
  },
  async 'ui:removeReplica'(params) {
    return removeReplica(params)
  },
  async 'ui:rollup'() {
    try {
      return await rollupStatus()
    } catch (error) {
      return { error: (error as Error).message }
    }
  },
}
