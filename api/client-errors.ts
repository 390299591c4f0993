// Requests Node's HTTP parser refuses before Express sees them — a header block over the limit
// (16 KB by default: 431), a malformed request line (400) — are answered here, on the socket, with a
// problem+json body like every other error. Node's default answer has an empty body.
import type { Server } from 'node:http';
import type { Duplex } from 'node:stream';
import { PROBLEM_TYPES, problemTypeUri, type ProblemKind } from './problem-types';

function problemReply(kind: ProblemKind, detail: string): string {
  const type = PROBLEM_TYPES[kind];
  const body = JSON.stringify({
    type: problemTypeUri(kind),
    title: type.title,
    status: type.status,
    detail,
    retryable: type.retryable,
  });
  return [
    `HTTP/1.1 ${type.status} ${type.title}`,
    'Content-Type: application/problem+json; charset=utf-8',
    `Content-Length: ${Buffer.byteLength(body)}`,
    'Connection: close',
    '',
    body,
  ].join('\r\n');
}

/** Installs the answer to parser-level errors on a server (api/main.ts; tests do the same). */
export function answerClientErrors(server: Server): void {
  server.on('clientError', (err: NodeJS.ErrnoException, socket: Duplex) => {
    if (!socket.writable) return socket.destroy();
    const reply =
      err.code === 'HPE_HEADER_OVERFLOW'
        ? problemReply('headers-too-large', 'the request line and headers together exceed 16 KB')
        : problemReply('invalid-request', 'the request is not valid HTTP/1.1');
    socket.end(reply);
  });
}
