/** Browser (page or Worker): a batcher's Helia node whose blocks live in IndexedDB (blockstore-idb). */

import type { Helia } from '@helia/interface'
import { IDBBlockstore } from 'blockstore-idb'
import { createHeliaNode } from './helia-node.ts'

export async function createIdbHeliaNode(name: string): Promise<Helia> {
  const blockstore = new IDBBlockstore(name)
  await blockstore.open()
  return createHeliaNode({ blockstore })
}
