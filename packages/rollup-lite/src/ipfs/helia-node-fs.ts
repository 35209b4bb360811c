/** Node: a batcher's Helia node with durable storage (blockstore-fs, datastore-fs) under `dir`. */

import type { Helia } from '@helia/interface'
import { FsBlockstore } from 'blockstore-fs'
import { FsDatastore } from 'datastore-fs'
import { createHeliaNode } from './helia-node.ts'

export async function createFsHeliaNode(dir: string): Promise<Helia> {
  const blockstore = new FsBlockstore(`${dir}/blocks`)
  const datastore = new FsDatastore(`${dir}/data`)
  await blockstore.open()
  await datastore.open()
  return createHeliaNode({ blockstore, datastore })
}
