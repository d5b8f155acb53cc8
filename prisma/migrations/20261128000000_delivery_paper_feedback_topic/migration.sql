-- A subscriber may move the answers given under an earlier wording of a topic to one of their
-- current topics: feedback_topic is the topic such an answer steers; NULL = the topic the paper was
-- sent under ("topic", which is never rewritten). An answer belongs to COALESCE(feedback_topic, topic).
ALTER TABLE "delivery_paper" ADD COLUMN "feedback_topic" TEXT;

-- Only an answer is moved, and only to a topic other than the one it was sent under.
ALTER TABLE "delivery_paper" ADD CONSTRAINT "delivery_paper_feedback_topic_check" CHECK ("feedback_topic" IS NULL OR ("feedback" IS NOT NULL AND "feedback_topic" <> "topic"));
