-- A subscriber's "More like this" / "Less like this" on a paper they were sent: 1 = more, -1 = less,
-- NULL = none (never given, or undone). feedback_at is when it was last set (NULL with feedback).
ALTER TABLE "delivery_paper" ADD COLUMN "feedback" SMALLINT,
ADD COLUMN "feedback_at" TIMESTAMP(3);

ALTER TABLE "delivery_paper" ADD CONSTRAINT "delivery_paper_feedback_check" CHECK ("feedback" IN (1, -1));

-- The daily run loads one set of subscribers' recent feedback: only rows that carry feedback are indexed.
CREATE INDEX "delivery_paper_subscriber_id_feedback_at_idx" ON "delivery_paper"("subscriber_id", "feedback_at") WHERE ("feedback" IS NOT NULL);
