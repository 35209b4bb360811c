/** The Agents screen's messages (`ui:*`, extension pages only: the messenger's ROUTES). */
import type { Handlers } from '../../core/messenger.ts'
import type { AgentsOverview, BackgroundProtocol } from '../../core/protocol.ts'
import { accountService } from '../account/account.ts'
import { agentsOwnedBy, findAgents } from './discovery.ts'
import { activeRegistries } from './registries.ts'
import { feedbackGivenBy, reputationOf } from './reputation.ts'

async function overview(): Promise<AgentsOverview> {
  const registries = await activeRegistries()
  const account = (await accountService.info())?.smartAccount
  if (!account) return { registries, mine: [], given: [] }
  const [mine, given] = await Promise.all([agentsOwnedBy(account), feedbackGivenBy(account)])
  const withReputation = await Promise.all(
    mine.map(async (agent) => ({ agent, reputation: await reputationOf(BigInt(agent.agentId)) })),
  )
  return { registries, account, mine: withReputation, given }
}

export const agentHandlers: Pick<Handlers<BackgroundProtocol>, 'ui:agents' | 'ui:findAgents'> = {
  'ui:agents': () => overview(),
  'ui:findAgents': ({ kind }) => findAgents(kind?.trim() || undefined),
}
