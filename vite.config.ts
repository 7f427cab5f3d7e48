import preact from "@preact/preset-vite";
import { defineConfig } from "vite";

// The page lives in app/; the Worker serves the build from dist/ at the
// repo root (wrangler.toml, [assets]).
export default defineConfig({
  root: "app",
  plugins: [preact()],
  build: {
    outDir: "../dist",
    emptyOutDir: true,
  },
});
