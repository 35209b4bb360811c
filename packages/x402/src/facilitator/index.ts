export {
  type CreateFacilitatorParameters,
  createFacilitator,
  type FacilitatorNetwork,
  type SeedFacilitator,
} from './createFacilitator.ts'
export {
  type FacilitatorAdmin,
  type FacilitatorServer,
  handleFacilitatorRequest,
  startFacilitatorServer,
} from './server.ts'
