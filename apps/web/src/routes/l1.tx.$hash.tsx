import { createFileRoute } from '@tanstack/react-router'
import { TxView } from '../components/TxView.tsx'
import { hashSchema, pathParam } from '../lib/params.ts'

export const Route = createFileRoute('/l1/tx/$hash')({
  params: pathParam('hash', hashSchema),
  component: function TxPage() {
    return <TxView layer="l1" hash={Route.useParams().hash} />
  },
})
