// The last error handler: every error becomes a problem+json reply, except once the reply has begun,
// when the only honest thing left is to log the error and cut the connection.
import express from 'express';
import request from 'supertest';
import { Problem, problemHandler } from '../../../api/problem';

function appWith(route: express.RequestHandler, lines: { msg: string; fields?: unknown }[]) {
  const app = express();
  app.use((_req, res, next) => {
    res.locals.requestId = 'req-1';
    res.locals.log = { error: (msg: string, fields?: unknown) => lines.push({ msg, fields }) };
    next();
  });
  app.get('/x', route);
  app.use(problemHandler);
  return app;
}

describe('problemHandler', () => {
  it('answers an unexpected error with a 500 problem document that leaks nothing, and logs it', async () => {
    const lines: { msg: string; fields?: unknown }[] = [];
    const app = appWith(() => {
      throw new Error('SELECT secret FROM "ApiKey" failed');
    }, lines);
    const res = await request(app).get('/x');
    expect(res.status).toBe(500);
    expect(res.type).toBe('application/problem+json');
    expect(JSON.stringify(res.body)).not.toMatch(/SELECT|ApiKey/);
    expect(res.body.requestId).toBe('req-1');
    expect(lines.map((l) => l.msg)).toEqual(['unhandled error']);
  });

  it('passes a Problem through with its own status', async () => {
    const app = appWith(() => {
      throw new Problem(409, 'Conflict', 'taken');
    }, []);
    const res = await request(app).get('/x');
    expect(res.status).toBe(409);
    expect(res.body).toMatchObject({ title: 'Conflict', detail: 'taken', status: 409 });
  });

  it('cuts the connection and logs when the error comes after the reply began', async () => {
    const lines: { msg: string; fields?: unknown }[] = [];
    const app = appWith((_req, res, next) => {
      res.status(200).type('text/csv');
      res.write('channel,registrations\n');
      next(new Error('cursor lost midway'));
    }, lines);
    await expect(request(app).get('/x')).rejects.toThrow();
    expect(lines).toEqual([
      expect.objectContaining({
        msg: 'error after the reply began; connection closed',
        fields: expect.objectContaining({ path: '/x', err: expect.stringContaining('cursor lost midway') }),
      }),
    ]);
  });
});
