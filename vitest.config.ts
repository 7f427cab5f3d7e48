import { cloudflareTest, readD1Migrations } from "@cloudflare/vitest-plugin";
import { defineConfig } from "vitest/config";

// Fixed test secrets: the Worker under test reads them like real ones.
export const TEST_SECRETS = {
  OPERATOR_TOKEN: "test-operator-token",
  GATEWAY_SECRET: "test-gateway-secret",
  LINK_SECRET: "test-link-secret",
};

export default defineConfig(async () => ({
  test: {
    reporters: ["default", "./test/summary-reporter.ts"],
    projects: [
      {
        plugins: [
          cloudflareTest({
            wrangler: { configPath: "./wrangler.toml" },
            miniflare: {
              bindings: {
                ...TEST_SECRETS,
                // Tests fire alarms on demand instead of waiting for timers.
                BROADCAST_WINDOW_MS: "60000",
                TEST_MIGRATIONS: await readD1Migrations("./migrations"),
              },
              // A low limit, so a test can reach it in a few requests.
              ratelimits: {
                VIEWER_LIMITER: { namespace_id: "1001", simple: { limit: 20, period: 60 } },
              },
            },
          }),
        ],
        test: {
          name: "worker",
          include: ["test/worker/**/*.test.ts"],
          setupFiles: ["./test/worker/apply-migrations.ts"],
        },
      },
      {
        test: {
          name: "node",
          include: ["test/node/**/*.test.ts"],
          environment: "node",
        },
      },
      {
        test: {
          name: "e2e",
          include: ["test/e2e/**/*.test.ts"],
          environment: "node",
          testTimeout: 120_000,
          hookTimeout: 180_000,
          fileParallelism: false,
        },
      },
    ],
  },
}));
