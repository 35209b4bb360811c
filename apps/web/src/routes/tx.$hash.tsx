import { createFileRoute } from '@tanstack/react-router'
import { TxView } from '../components/TxView.tsx'
import { hashSchema, pathParam } from '../lib/params.ts'

export const Route = createFileRoute('/tx/$hash')({
  params: pathParam('hash', hashSchema),
  component: function TxPage() {
    return <TxView layer="l2" hash={Route.useParams().hash} />
  },
})
