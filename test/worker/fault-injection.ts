import { env } from "cloudflare:test";
import type { Env } from "../../worker/env.ts";

/**
 * Faults around the real bindings: the real D1 and the real Durable
 * Objects do the work, and these wrappers make some calls fail before the
 * work (nothing happened) or after it (the work happened but the answer
 * was lost, as with a timeout).
 */
export type Chance = () => boolean;

export function seeded(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (Math.imul(state, 1664525) + 1013904223) >>> 0;
    return state / 2 ** 32;
  };
}

async function maybeFail<T>(
  fails: Chance,
  failsAfter: Chance,
  what: string,
  work: () => Promise<T>,
): Promise<T> {
  if (fails()) throw new Error(`injected: ${what} failed before running`);
  const result = await work();
  if (failsAfter()) throw new Error(`injected: ${what} answer lost after running`);
  return result;
}

export function flakyD1(db: D1Database, fails: Chance, failsAfter: Chance): D1Database {
  return new Proxy(db, {
    get(target, prop) {
      if (prop === "batch") {
        return (statements: D1PreparedStatement[]) =>
          maybeFail(fails, failsAfter, "D1 batch", () => target.batch(statements));
      }
      const value = Reflect.get(target, prop);
      return typeof value === "function" ? value.bind(target) : value;
    },
  });
}

/** Makes the named RPC methods of every stub fail now and then. */
export function flakyRooms(
  namespace: Env["CAMPAIGN_ROOM"],
  methods: string[],
  fails: Chance,
  failsAfter: Chance,
  errorFlags: Record<string, boolean> = {},
): Env["CAMPAIGN_ROOM"] {
  const wrapStub = (stub: object) =>
    new Proxy(stub, {
      get(target, prop) {
        const value = Reflect.get(target, prop);
        if (typeof prop !== "string" || !methods.includes(prop)) return value;
        return (...args: unknown[]) =>
          maybeFail(fails, failsAfter, `room.${prop}`, () =>
            // Reflect.apply: `.apply` on an RPC stub would be sent as a call.
            Reflect.apply(value as (...a: unknown[]) => Promise<unknown>, target, args),
          ).catch((error: Error) => {
            if (error.message.startsWith("injected")) Object.assign(error, errorFlags);
            throw error;
          });
      },
    });
  return new Proxy(namespace, {
    get(target, prop) {
      const value = Reflect.get(target, prop);
      if (prop === "get") {
        return (...args: Parameters<typeof target.get>) => wrapStub(target.get(...args));
      }
      return typeof value === "function" ? value.bind(target) : value;
    },
  });
}

export function envWith(overrides: Partial<Env>): Env {
  return { ...(env as unknown as Env), ...overrides };
}
