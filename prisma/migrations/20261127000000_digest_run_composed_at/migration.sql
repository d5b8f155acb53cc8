-- A run's deliveries are enqueued page by page while it composes, so "nothing left queued or
-- sending" only means "completed" once composing has finished: composed_at marks that moment.
ALTER TABLE "digest_run" ADD COLUMN "composed_at" TIMESTAMP(3);
UPDATE "digest_run" SET "composed_at" = "started_at" WHERE "report" IS NOT NULL;
