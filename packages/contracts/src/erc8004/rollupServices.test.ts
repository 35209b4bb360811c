import { describe, expect, test } from 'vitest'
import { Erc8004FileError } from './errors.ts'
import { agentRegistrationFile, encodeRegistrationFile, parseRegistrationFile } from './registrationFile.ts'
import { type RollupFollowInfo, rollupFollowInfo, rollupServices } from './rollupServices.ts'

const info: RollupFollowInfo = {
  l1ChainId: 31337,
  inbox: '0x5FbDB2315678afecb367f032d93F642f64180aa3',
  chainId: 4_200_001,
  sequencer: '0x70997970C51812dc3A010C7d01b50e0d17dc79C8',
  genesisUri: 'ipfs://bafkreihdwdcefgh4dqkjv67uzcmw7ojee6xedzdetojuzjevtenxquvyku',
  peers: ['/ip4/127.0.0.1/tcp/9100/ws/p2p/12D3KooWQYhTNQdmr3ArTeUHRYzFg94BKyTkoWBDWez9kSCVe2Xo'],
}
const file = (services: ReturnType<typeof rollupServices>) =>
  parseRegistrationFile(
    encodeRegistrationFile(agentRegistrationFile({ name: 'a', description: 'a', services, x402Support: false })),
  )

describe('rollup services of a registration file', () => {
  test('round-trip through the file a replica reads', () => {
    expect(rollupFollowInfo(file(rollupServices(info)))).toEqual(info)
  })

  test('a file without an inbox, or with a sequencer of another chain, is refused with a typed error', () => {
    expect(() => rollupFollowInfo(file([]))).toThrow(Erc8004FileError)
    const services = rollupServices(info).map((s) =>
      s.name === 'rollup-sequencer' ? { ...s, endpoint: `eip155:1:${info.sequencer}` } : s,
    )
    expect(() => rollupFollowInfo(file(services))).toThrow(/another chain/)
    const badGenesis = rollupServices(info).map((s) =>
      s.name === 'rollup-genesis' ? { ...s, endpoint: 'https://evil.example/genesis.json' } : s,
    )
    expect(() => rollupFollowInfo(file(badGenesis))).toThrow(/not an ipfs/)
  })

  test('at most 8 bootstrap peers are kept from a file', () => {
    const many = { ...info, peers: Array.from({ length: 20 }, (_, i) => `/ip4/10.0.0.${i}/tcp/1/ws`) }
    const services = [...rollupServices(many), ...many.peers.map((endpoint) => ({ name: 'rollup-p2p', endpoint }))]
    expect(rollupFollowInfo(file(services)).peers).toHaveLength(8)
  })
})
