import { createFileRoute } from '@tanstack/react-router'
import { AddressView } from '../components/AddressView.tsx'
import { addressSchema, pathParam } from '../lib/params.ts'

export const Route = createFileRoute('/address/$address')({
  params: pathParam('address', addressSchema),
  component: function AddressPage() {
    return <AddressView layer="l2" address={Route.useParams().address} />
  },
})
