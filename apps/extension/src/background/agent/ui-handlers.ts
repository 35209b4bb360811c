/** What the popup's Pairings screen asks (`ui:pair*`, extension pages only: the messenger checks). */
import type { Handlers } from '../../core/messenger.ts'
import type { BackgroundProtocol } from '../../core/protocol.ts'
import { disconnectPairing, finishPairing, isConnected, startPairing } from './bridge-connection.ts'
import { grantView } from './pairing-grant.ts'
import { revokePairingKey } from './pairing-key.ts'
import { listPairings, revokePairing } from './pairings.ts'

type PairingHandlers = Pick<
  Handlers<BackgroundProtocol>,
  'ui:pairings' | 'ui:pairStart' | 'ui:pairDecide' | 'ui:pairRevoke'
>

export const pairingHandlers: PairingHandlers = {
  async 'ui:pairings'() {
    return Promise.all(
      (await listPairings()).map(async (p) => {
        const view = await grantView(p.id, p.grant, p.createdAt)
        return { ...p, connected: isConnected(p.id), leftEth: view.leftEth, leftUsd: view.leftUsd }
      }),
    )
  },
  async 'ui:pairStart'({ bridgeUrl }) {
    return startPairing(bridgeUrl)
  },
  async 'ui:pairDecide'({ offerId, grant, code }) {
    return (await finishPairing(offerId, grant, code)) ?? null
  },
  async 'ui:pairRevoke'({ id }) {
    // Refused at once locally, then the session key is revoked on-chain (an owner op, a few seconds).
    await revokePairing(id)
    disconnectPairing(id)
    await revokePairingKey(id)
    return null
  },
}
