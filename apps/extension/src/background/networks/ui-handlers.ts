/** The networks screen's messages (`ui:*`, extension pages only: the messenger's ROUTES). */
import { listNetworks } from '../../core/config.ts'
import type { Handlers } from '../../core/messenger.ts'
import type { BackgroundProtocol, NetworksView } from '../../core/protocol.ts'
import { stored } from '../../core/storage.ts'
import { ensureNetworkAccount } from '../account/seed-account.ts'
import { checkNetwork } from './checks.ts'
import { deploySeed, seedStatus } from './deploy-seed.ts'
import { parseNetworkSettings, refreshDevnet, removeNetwork, saveNetwork } from './registry.ts'
import { switchNetwork } from './switch.ts'

type NetworkMessages =
  | 'ui:networks'
  | 'ui:saveNetwork'
  | 'ui:removeNetwork'
  | 'ui:switchNetwork'
  | 'ui:checkNetwork'
  | 'ui:refreshDevnet'
  | 'ui:seedStatus'
  | 'ui:deploySeed'

async function networksView(): Promise<NetworksView> {
  return { active: await stored.activeNetwork.get(), networks: await listNetworks() }
}

export const networkHandlers: Pick<Handlers<BackgroundProtocol>, NetworkMessages> = {
  'ui:networks': () => networksView(),
  async 'ui:saveNetwork'(network) {
    await saveNetwork(network)
    return networksView()
  },
  async 'ui:removeNetwork'({ id }) {
    await removeNetwork(id)
    return networksView()
  },
  async 'ui:switchNetwork'({ id }) {
    await switchNetwork(id)
    return networksView()
  },
  'ui:checkNetwork': (network) => checkNetwork(parseNetworkSettings(network)),
  async 'ui:refreshDevnet'({ manifestUrl }) {
    await refreshDevnet(manifestUrl)
    return networksView()
  },
  async 'ui:seedStatus'() {
    const status = await seedStatus()
    // Seed is all there: an unlocked wallet without an account here (created while it was not) gets it now.
    const ready = status.entryPointV07 && !status.missing.length && !status.inFlight && !status.error
    if (ready && (await stored.unlocked.get()) && !(await stored.account.get())) await ensureNetworkAccount()
    return status
  },
  'ui:deploySeed': () => deploySeed(),
}
