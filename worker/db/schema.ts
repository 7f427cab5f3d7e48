import { sql } from "drizzle-orm";
import { CAMPAIGN_STATES } from "../../domain/campaign-state.ts";
import { STATUSES } from "../../domain/status.ts";
import {
  index,
  integer,
  primaryKey,
  sqliteTable,
  text,
  uniqueIndex,
} from "drizzle-orm/sqlite-core";

/**
 * Teams sharing one deployment. `default` always exists: the bootstrap
 * secrets (OPERATOR_TOKEN, GATEWAY_SECRET) act in it.
 */
export const workspaces = sqliteTable("workspaces", {
  id: text("id").primaryKey(),
  name: text("name").notNull(),
  createdAt: integer("created_at").notNull(),
});

/** Operators' API tokens: only a SHA-256 of the secret part is kept. */
export const operatorTokens = sqliteTable(
  "operator_tokens",
  {
    id: text("id").primaryKey(),
    workspaceId: text("workspace_id").notNull(),
    name: text("name").notNull(),
    secretHash: text("secret_hash").notNull(),
    createdAt: integer("created_at").notNull(),
    revokedAt: integer("revoked_at"),
  },
  (table) => [index("operator_tokens_by_workspace").on(table.workspaceId)],
);

/** Signatures already accepted, refused if seen again within the window. */
export const requestNonces = sqliteTable("request_nonces", {
  signature: text("signature").primaryKey(),
  expiresAt: integer("expires_at").notNull(),
});

export const campaigns = sqliteTable("campaigns", {
  id: text("id").primaryKey(),
  workspaceId: text("workspace_id").notNull().default("default"),
  /** bumped to revoke every viewer link given so far */
  linkKeyVersion: integer("link_key_version").notNull().default(1),
  name: text("name").notNull(),
  message: text("message").notNull(),
  state: text("state", { enum: CAMPAIGN_STATES }).notNull().default("draft"),
  pausedReason: text("paused_reason"),
  /** `operator`, or `gateway:<id>` when a gateway's session went down */
  pausedBy: text("paused_by"),
  tier: text("tier").notNull().default("careful"),
  /** ISO 3166 country for numbers written without a country code */
  country: text("country"),
  /** the one gateway that may send this campaign; any when null */
  gatewayId: text("gateway_id"),
  total: integer("total").notNull(),
  createdAt: integer("created_at").notNull(),
  startedAt: integer("started_at"),
  completedAt: integer("completed_at"),
});

/**
 * One row per recipient. `index` is the recipient's position in the list
 * the operator gave; (campaign, index) is how every other part names it.
 * Stage times hold the earliest evidence of each stage, in ms.
 */
export const recipients = sqliteTable(
  "recipients",
  {
    campaignId: text("campaign_id")
      .notNull()
      .references(() => campaigns.id),
    index: integer("idx").notNull(),
    phone: text("phone").notNull(),
    name: text("name"),
    /** JSON object of the row's other columns, for {{variables}} */
    vars: text("vars"),
    status: text("status", { enum: STATUSES }).notNull().default("queued"),
    messageId: text("message_id"),
    pendingAt: integer("pending_at"),
    sentAt: integer("sent_at"),
    deliveredAt: integer("delivered_at"),
    readAt: integer("read_at"),
    playedAt: integer("played_at"),
    failedAt: integer("failed_at"),
    failureReason: text("failure_reason"),
    failureDetail: text("failure_detail"),
  },
  (table) => [
    primaryKey({ columns: [table.campaignId, table.index] }),
    index("recipients_by_status").on(table.campaignId, table.status, table.index),
    // One message per phone and campaign; also serves lookups by phone.
    uniqueIndex("recipients_phone").on(table.campaignId, table.phone),
    index("recipients_queued")
      .on(table.campaignId, table.index)
      .where(sql`status = 'queued'`),
  ],
);

/** Which gateway may send a queued recipient, until when. */
export const leases = sqliteTable(
  "leases",
  {
    campaignId: text("campaign_id").notNull(),
    index: integer("idx").notNull(),
    gatewayId: text("gateway_id").notNull(),
    leasedAt: integer("leased_at").notNull(),
    expiresAt: integer("expires_at").notNull(),
  },
  (table) => [primaryKey({ columns: [table.campaignId, table.index] })],
);

/** Which gateways have sent a campaign: they pause it when they go down. */
export const campaignGateways = sqliteTable(
  "campaign_gateways",
  {
    campaignId: text("campaign_id").notNull(),
    gatewayId: text("gateway_id").notNull(),
  },
  (table) => [
    primaryKey({ columns: [table.campaignId, table.gatewayId] }),
    index("campaign_gateways_by_gateway").on(table.gatewayId),
  ],
);

export const gateways = sqliteTable("gateways", {
  id: text("id").primaryKey(),
  workspaceId: text("workspace_id").notNull().default("default"),
  /**
   * A registered gateway's secret is derived from GATEWAY_SECRET, its id
   * and this generation; during a rotation the previous one stays valid.
   * Null for a bootstrap gateway signing with GATEWAY_SECRET itself.
   */
  secretGeneration: integer("secret_generation"),
  previousGeneration: integer("previous_generation"),
  state: text("state").notNull(),
  reason: text("reason"),
  lastSeenAt: integer("last_seen_at").notNull(),
  /** the newest `at` of any event this gateway has reported (its clock) */
  lastEventAt: integer("last_event_at"),
});
