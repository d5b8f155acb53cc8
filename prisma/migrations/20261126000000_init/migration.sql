-- CreateEnum
CREATE TYPE "SubscriberStatus" AS ENUM ('pending', 'active', 'paused', 'unsubscribed', 'suspended');

-- CreateEnum
CREATE TYPE "Frequency" AS ENUM ('daily', 'weekly');

-- CreateEnum
CREATE TYPE "DeliveryStatus" AS ENUM ('queued', 'sending', 'sent', 'failed', 'bounced', 'uncertain', 'skipped');

-- CreateEnum
CREATE TYPE "RunStatus" AS ENUM ('running', 'completed', 'failed', 'paused');

-- CreateTable
CREATE TABLE "subscriber" (
    "id" UUID NOT NULL,
    "email" TEXT NOT NULL,
    "status" "SubscriberStatus" NOT NULL DEFAULT 'pending',
    "topics" TEXT[],
    "frequency" "Frequency" NOT NULL DEFAULT 'daily',
    "weekly_day" INTEGER NOT NULL DEFAULT 1,
    "delivery_hour" INTEGER NOT NULL DEFAULT 7,
    "time_zone" TEXT NOT NULL DEFAULT 'UTC',
    "max_papers" INTEGER NOT NULL DEFAULT 20,
    "nothing_today" BOOLEAN NOT NULL DEFAULT false,
    "consent" JSONB,
    "hard_bounces" INTEGER NOT NULL DEFAULT 0,
    "confirm_sent_at" TIMESTAMP(3),
    "created_at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMP(3) NOT NULL,
    "confirmed_at" TIMESTAMP(3),
    "unsubscribed_at" TIMESTAMP(3),
    "paused_at" TIMESTAMP(3),

    CONSTRAINT "subscriber_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "paper" (
    "id" TEXT NOT NULL,
    "version" INTEGER NOT NULL DEFAULT 1,
    "title" TEXT NOT NULL,
    "abstract" TEXT NOT NULL,
    "authors" TEXT[],
    "categories" TEXT[],
    "primary_category" TEXT,
    "abs_url" TEXT NOT NULL,
    "pdf_url" TEXT,
    "doi" TEXT,
    "journal_ref" TEXT,
    "comment" TEXT,
    "license" TEXT,
    "submitted_at" TIMESTAMP(3),
    "version_date" TIMESTAMP(3),
    "announced_on" DATE,
    "hf_date" DATE,
    "hf_upvotes" INTEGER,
    "hf_comments" INTEGER,
    "github_repo" TEXT,
    "github_stars" INTEGER,
    "project_page" TEXT,
    "ai_summary" TEXT,
    "ai_keywords" TEXT[],
    "sources" TEXT[],
    "meta" JSONB,
    "content_hash" TEXT NOT NULL,
    "created_at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "paper_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "paper_listing" (
    "paper_id" TEXT NOT NULL,
    "source" TEXT NOT NULL,
    "day" DATE NOT NULL,
    "announce_type" TEXT,
    "created_at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "paper_listing_pkey" PRIMARY KEY ("paper_id","source","day")
);

-- CreateTable
CREATE TABLE "fetch_cache" (
    "url" TEXT NOT NULL,
    "etag" TEXT,
    "last_modified" TEXT,
    "fetched_at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "fetch_cache_pkey" PRIMARY KEY ("url")
);

-- CreateTable
CREATE TABLE "digest_run" (
    "digest_date" DATE NOT NULL,
    "status" "RunStatus" NOT NULL DEFAULT 'running',
    "started_at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "finished_at" TIMESTAMP(3),
    "paused_reason" TEXT,
    "report" JSONB,
    "updated_at" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "digest_run_pkey" PRIMARY KEY ("digest_date")
);

-- CreateTable
CREATE TABLE "delivery" (
    "id" UUID NOT NULL,
    "subscriber_id" UUID NOT NULL,
    "digest_date" DATE NOT NULL,
    "status" "DeliveryStatus" NOT NULL DEFAULT 'queued',
    "message_id" TEXT NOT NULL,
    "send_at" TIMESTAMP(3) NOT NULL,
    "attempts" INTEGER NOT NULL DEFAULT 0,
    "last_error" TEXT,
    "created_at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "claimed_at" TIMESTAMP(3),
    "sent_at" TIMESTAMP(3),
    "updated_at" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "delivery_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "delivery_paper" (
    "delivery_id" UUID NOT NULL,
    "subscriber_id" UUID NOT NULL,
    "paper_id" TEXT NOT NULL,
    "topic" TEXT NOT NULL,
    "rank" INTEGER NOT NULL,
    "score" DOUBLE PRECISION NOT NULL,
    "why" TEXT NOT NULL,

    CONSTRAINT "delivery_paper_pkey" PRIMARY KEY ("delivery_id","paper_id")
);

-- CreateIndex
CREATE UNIQUE INDEX "subscriber_email_key" ON "subscriber"("email");

-- CreateIndex
CREATE INDEX "subscriber_status_id_idx" ON "subscriber"("status", "id");

-- CreateIndex
CREATE INDEX "paper_listing_day_source_idx" ON "paper_listing"("day", "source");

-- CreateIndex
CREATE UNIQUE INDEX "delivery_message_id_key" ON "delivery"("message_id");

-- CreateIndex
CREATE INDEX "delivery_digest_date_status_idx" ON "delivery"("digest_date", "status");

-- CreateIndex
CREATE UNIQUE INDEX "delivery_subscriber_id_digest_date_key" ON "delivery"("subscriber_id", "digest_date");

-- CreateIndex
CREATE UNIQUE INDEX "delivery_paper_subscriber_id_paper_id_key" ON "delivery_paper"("subscriber_id", "paper_id");

-- AddForeignKey
ALTER TABLE "paper_listing" ADD CONSTRAINT "paper_listing_paper_id_fkey" FOREIGN KEY ("paper_id") REFERENCES "paper"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "delivery" ADD CONSTRAINT "delivery_subscriber_id_fkey" FOREIGN KEY ("subscriber_id") REFERENCES "subscriber"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "delivery_paper" ADD CONSTRAINT "delivery_paper_delivery_id_fkey" FOREIGN KEY ("delivery_id") REFERENCES "delivery"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "delivery_paper" ADD CONSTRAINT "delivery_paper_subscriber_id_fkey" FOREIGN KEY ("subscriber_id") REFERENCES "subscriber"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "delivery_paper" ADD CONSTRAINT "delivery_paper_paper_id_fkey" FOREIGN KEY ("paper_id") REFERENCES "paper"("id") ON DELETE CASCADE ON UPDATE CASCADE;
