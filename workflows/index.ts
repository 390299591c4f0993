// The workflows the worker registers (this file is the bundle's entry point).
export { campaignWorkflow } from './campaign';
export { cohortWorkflow } from './cohort';
