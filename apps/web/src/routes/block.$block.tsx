import { createFileRoute } from '@tanstack/react-router'
import { BlockView } from '../components/BlockView.tsx'
import { blockNumberSchema, pathParam } from '../lib/params.ts'

export const Route = createFileRoute('/block/$block')({
  params: pathParam('block', blockNumberSchema),
  component: function BlockPage() {
    return <BlockView layer="l2" block={Route.useParams().block} />
  },
})
