CREATE TABLE `operator_tokens` (
	`id` text PRIMARY KEY NOT NULL,
	`workspace_id` text NOT NULL,
	`name` text NOT NULL,
	`secret_hash` text NOT NULL,
	`created_at` integer NOT NULL,
	`revoked_at` integer
);
--> statement-breakpoint
CREATE INDEX `operator_tokens_by_workspace` ON `operator_tokens` (`workspace_id`);--> statement-breakpoint
CREATE TABLE `request_nonces` (
	`signature` text PRIMARY KEY NOT NULL,
	`expires_at` integer NOT NULL
);
--> statement-breakpoint
CREATE TABLE `workspaces` (
	`id` text PRIMARY KEY NOT NULL,
	`name` text NOT NULL,
	`created_at` integer NOT NULL
);
--> statement-breakpoint
ALTER TABLE `campaigns` ADD `workspace_id` text DEFAULT 'default' NOT NULL;--> statement-breakpoint
ALTER TABLE `campaigns` ADD `link_key_version` integer DEFAULT 1 NOT NULL;--> statement-breakpoint
ALTER TABLE `gateways` ADD `workspace_id` text DEFAULT 'default' NOT NULL;--> statement-breakpoint
ALTER TABLE `gateways` ADD `secret_generation` integer;--> statement-breakpoint
ALTER TABLE `gateways` ADD `previous_generation` integer;