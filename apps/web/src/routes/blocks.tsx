import { createFileRoute } from '@tanstack/react-router'
import { BlockList } from '../components/BlockList.tsx'

export const Route = createFileRoute('/blocks')({
  component: () => <BlockList layer="l2" />,
})
