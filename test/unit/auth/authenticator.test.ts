// Reading credentials from a request: the Bearer / X-Api-Key headers, and the tests' header authenticator.
import type { Request } from 'express';
import { AuthenticationError, headerAuthenticator, presentedKey } from '../../../api/auth/authenticator';

const req = (headers: Record<string, string>) =>
  ({ header: (name: string) => headers[name.toLowerCase()] }) as unknown as Request;

describe('presentedKey', () => {
  it('reads Authorization: Bearer (any case, extra spaces) before X-Api-Key', () => {
    expect(presentedKey(req({ authorization: 'Bearer ck_a' }))).toBe('ck_a');
    expect(presentedKey(req({ authorization: 'bearer   ck_a ' }))).toBe('ck_a');
    expect(presentedKey(req({ authorization: 'Bearer ck_a', 'x-api-key': 'ck_b' }))).toBe('ck_a');
    expect(presentedKey(req({ 'x-api-key': ' ck_b ' }))).toBe('ck_b');
    expect(presentedKey(req({ 'x-api-key': '' }))).toBeUndefined();
    expect(presentedKey(req({}))).toBeUndefined();
  });

  it('refuses other schemes and a Bearer without a token, without echoing the credential', () => {
    for (const authorization of ['Basic dXNlcjpwdw==', 'Bearer', 'Bearer a b', 'ck_a']) {
      expect(() => presentedKey(req({ authorization }))).toThrow(AuthenticationError);
      try {
        presentedKey(req({ authorization }));
      } catch (err) {
        expect((err as Error).message).not.toContain('dXNlcjpwdw');
      }
    }
  });
});

describe('headerAuthenticator (tests only)', () => {
  it('names the caller by X-Actor, as admin unless X-Role says otherwise', async () => {
    expect(await headerAuthenticator(req({ 'x-actor': 'li.wei' }))).toEqual({
      id: 'test:li.wei',
      name: 'li.wei',
      role: 'admin',
      channelIds: [],
    });
    expect(await headerAuthenticator(req({}))).toMatchObject({ name: 'anonymous', role: 'admin' });
  });

  it('takes a channel-system caller with its channels from X-Role and X-Channels', async () => {
    const principal = await headerAuthenticator(
      req({ 'x-actor': 'feed', 'x-role': 'channel-system', 'x-channels': 'app-a, mall-b,,' }),
    );
    expect(principal).toMatchObject({ role: 'channel-system', channelIds: ['app-a', 'mall-b'] });
  });

  it('refuses a role that does not exist', async () => {
    await expect(headerAuthenticator(req({ 'x-role': 'root' }))).rejects.toThrow(AuthenticationError);
  });
});
