import { applyD1Migrations, env } from "cloudflare:test";

// Each test file gets its own storage; the schema comes from migrations/,
// the same files `wrangler d1 migrations apply` runs.
await applyD1Migrations(env.DB, env.TEST_MIGRATIONS);
