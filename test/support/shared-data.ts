// Where the real data sets live: ../shared/data beside the repository (as on developers' machines
// and in CI), or SHARED_DATA_DIR. They are read in place, never copied into the project.
import path from 'node:path';

export function sharedDataFile(name: string): string {
  const dir = process.env.SHARED_DATA_DIR ?? path.resolve(__dirname, '..', '..', '..', 'shared', 'data');
  return path.join(dir, name);
}
