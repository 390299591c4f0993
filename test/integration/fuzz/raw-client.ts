// A raw HTTP client for the fuzz test: it sends exactly the bytes a mutation asks for (a path with
// %00, a body that is not JSON, a 20 KB header), which supertest and fetch would refuse or rewrite, over
// one keep-alive connection pool to the app listening on a loopback port.
import http from 'node:http';

export interface RawRequest {
  method: string;
  /** Already percent-encoded where it must be: sent as it is. */
  path: string;
  headers: Record<string, string>;
  body?: string | Buffer;
}

export interface RawResponse {
  /** 0 when no answer came (connection reset, timeout). */
  status: number;
  contentType: string;
  text: string;
  /** The parsed JSON body, when it was JSON. */
  json: unknown;
  error?: string;
}

export interface RawClient {
  send(req: RawRequest): Promise<RawResponse>;
  close(): void;
}

export function rawClient(port: number, timeoutMs = 30_000): RawClient {
  const agent = new http.Agent({ keepAlive: true, maxSockets: 4 });
  return {
    send(req) {
      return new Promise((resolve) => {
        const body = req.body === undefined ? undefined : Buffer.from(req.body);
        const headers: Record<string, string> = { ...req.headers };
        if (body) headers['Content-Length'] = String(body.length);
        const done = (res: RawResponse) => resolve(res);
        let r: http.ClientRequest;
        try {
          r = http.request(
            {
              host: '127.0.0.1',
              port,
              method: req.method,
              path: req.path,
              headers,
              agent,
              timeout: timeoutMs,
            },
            (res) => {
              const chunks: Buffer[] = [];
              res.on('data', (c: Buffer) => chunks.push(c));
              res.on('error', (err) => done(noAnswer(`response: ${err.message}`)));
              res.on('end', () => {
                const text = Buffer.concat(chunks).toString('utf8');
                let json: unknown;
                try {
                  json = text ? JSON.parse(text) : undefined;
                } catch {
                  json = undefined;
                }
                done({
                  status: res.statusCode ?? 0,
                  contentType: res.headers['content-type'] ?? '',
                  text,
                  json,
                });
              });
            },
          );
        } catch (err) {
          // The client itself refused what we asked for (an illegal header character): not the server's fault.
          return done({ ...noAnswer(`client refused: ${(err as Error).message}`), status: -1 });
        }
        r.on('timeout', () => r.destroy(new Error(`no answer within ${timeoutMs} ms`)));
        r.on('error', (err) => done(noAnswer(err.message)));
        r.end(body);
      });
    },
    close: () => agent.destroy(),
  };
}

const noAnswer = (error: string): RawResponse => ({
  status: 0,
  contentType: '',
  text: '',
  json: undefined,
  error,
});
