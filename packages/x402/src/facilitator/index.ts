export {
  type CreateFacilitatorParameters,
  createFacilitator,
  type FacilitatorNetwork,
  type SeedFacilitator,
} from './createFacilitator.ts'
export { type FacilitatorServer, handleFacilitatorRequest, startFacilitatorServer } from './server.ts'
