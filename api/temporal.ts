// The API's view of Temporal: a client plus the settings it needs to start and reach workflows.
import type { Client } from '@temporalio/client';

export interface TemporalDeps {
  client: Client;
  namespace: string;
  taskQueue: string;
}
