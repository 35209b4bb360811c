import { createFileRoute } from '@tanstack/react-router'
import { BlockView } from '../components/BlockView.tsx'
import { blockNumberSchema, pathParam } from '../lib/params.ts'

export const Route = createFileRoute('/l1/block/$block')({
  params: pathParam('block', blockNumberSchema),
  component: function BlockPage() {
    return <BlockView layer="l1" block={Route.useParams().block} />
  },
})
