CREATE TABLE `campaign_gateways` (
	`campaign_id` text NOT NULL,
	`gateway_id` text NOT NULL,
	PRIMARY KEY(`campaign_id`, `gateway_id`)
);
--> statement-breakpoint
CREATE INDEX `campaign_gateways_by_gateway` ON `campaign_gateways` (`gateway_id`);--> statement-breakpoint
ALTER TABLE `campaigns` ADD `paused_by` text;--> statement-breakpoint
ALTER TABLE `campaigns` ADD `tier` text DEFAULT 'careful' NOT NULL;--> statement-breakpoint
ALTER TABLE `recipients` ADD `vars` text;