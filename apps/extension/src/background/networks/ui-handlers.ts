/** The networks screen's messages (`ui:*`, extension pages only: the messenger's ROUTES). */
import { listNetworks } from '../../core/config.ts'
import type { Handlers } from '../../core/messenger.ts'
import type { BackgroundProtocol, NetworksView } from '../../core/protocol.ts'
import { stored } from '../../core/storage.ts'
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
  'ui:seedStatus': () => seedStatus(),
  'ui:deploySeed': () => deploySeed(),
}
