// Integration tests talk to real servers and run whole (compressed) campaigns: allow them time.
jest.setTimeout(120_000);
