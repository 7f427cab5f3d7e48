CREATE TABLE `campaigns` (
	`id` text PRIMARY KEY NOT NULL,
	`name` text NOT NULL,
	`message` text NOT NULL,
	`state` text DEFAULT 'draft' NOT NULL,
	`paused_reason` text,
	`total` integer NOT NULL,
	`created_at` integer NOT NULL,
	`started_at` integer,
	`completed_at` integer
);
--> statement-breakpoint
CREATE TABLE `gateways` (
	`id` text PRIMARY KEY NOT NULL,
	`state` text NOT NULL,
	`reason` text,
	`last_seen_at` integer NOT NULL
);
--> statement-breakpoint
CREATE TABLE `leases` (
	`campaign_id` text NOT NULL,
	`idx` integer NOT NULL,
	`gateway_id` text NOT NULL,
	`leased_at` integer NOT NULL,
	`expires_at` integer NOT NULL,
	PRIMARY KEY(`campaign_id`, `idx`)
);
--> statement-breakpoint
CREATE TABLE `recipients` (
	`campaign_id` text NOT NULL,
	`idx` integer NOT NULL,
	`phone` text NOT NULL,
	`name` text,
	`status` text DEFAULT 'queued' NOT NULL,
	`message_id` text,
	`pending_at` integer,
	`sent_at` integer,
	`delivered_at` integer,
	`read_at` integer,
	`played_at` integer,
	`failed_at` integer,
	`failure_reason` text,
	`failure_detail` text,
	PRIMARY KEY(`campaign_id`, `idx`),
	FOREIGN KEY (`campaign_id`) REFERENCES `campaigns`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE INDEX `recipients_by_status` ON `recipients` (`campaign_id`,`status`,`idx`);--> statement-breakpoint
CREATE INDEX `recipients_queued` ON `recipients` (`campaign_id`,`idx`) WHERE status = 'queued';