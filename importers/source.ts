// Where a history file comes from: a path, or a stream (an upload, a pipe). The import reads the file
// twice — once to hash it (the hash names the import, so that a file imported before is recognised
// before anything is written, and it is part of every customer reference) and once to import it — so a
// stream is first spooled to a temporary file, hashed on the way. Both passes stream: memory stays flat
// whatever the size.
import { createHash } from 'node:crypto';
import { createReadStream, createWriteStream } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Transform, type Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';

/** A path to a file, or a byte stream. */
export type HistorySource = string | Readable;

export interface HistoryFile {
  readonly sha256: string;
  /** A new stream over the file's bytes, from the start. */
  open(): Readable;
}

const READ_CHUNK_BYTES = 1 << 20;

function hashing(hash: ReturnType<typeof createHash>): Transform {
  return new Transform({
    transform(chunk: Buffer, _encoding, done) {
      hash.update(chunk);
      done(null, chunk);
    },
  });
}

/** Hashes the source, then calls `use` with it; a spooled copy of a stream is deleted afterwards. */
export async function withHistoryFile<R>(
  source: HistorySource,
  use: (file: HistoryFile) => Promise<R>,
): Promise<R> {
  const hash = createHash('sha256');
  if (typeof source === 'string') {
    for await (const chunk of createReadStream(source, { highWaterMark: READ_CHUNK_BYTES }))
      hash.update(chunk as Buffer);
    return use({
      sha256: hash.digest('hex'),
      open: () => createReadStream(source, { highWaterMark: READ_CHUNK_BYTES }),
    });
  }
  const dir = await mkdtemp(path.join(tmpdir(), 'history-import-'));
  try {
    const spooled = path.join(dir, 'upload.csv');
    await pipeline(source, hashing(hash), createWriteStream(spooled));
    return await use({
      sha256: hash.digest('hex'),
      open: () => createReadStream(spooled, { highWaterMark: READ_CHUNK_BYTES }),
    });
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}
