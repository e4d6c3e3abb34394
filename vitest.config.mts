import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['tests/unit/**/*.test.ts', 'main/**/*.test.ts'],
    environment: 'node',
    testTimeout: 30_000,
    hookTimeout: 30_000,
    pool: 'forks',
    // Never touch the developer's real OS keychain from tests (the keychain path is tested with a fake Entry).
    env: { PIXDESK_KEYCHAIN: 'off', PIXDESK_API_PORT: '0' },
  },
});
