-- Workers: job leases owned by a named worker (taken over when they expire), event ids, scoped
-- concurrency keys, the workers' own heartbeat rows, and a run's timeline for the sync history.

-- CreateEnum
CREATE TYPE "SyncRunEventKind" AS ENUM ('STARTED', 'RETRYING', 'INTERRUPTED', 'RESUMED', 'CONTINUED');

-- DropIndex
DROP INDEX "JobRun_functionId_concurrencyKey_status_idx";

-- AlterTable
ALTER TABLE "SyncRun" ADD COLUMN     "workerId" TEXT;

-- AlterTable: one concurrency key becomes a list of scoped keys (a queued run keeps its key).
ALTER TABLE "JobRun" ADD COLUMN     "concurrencyKeys" TEXT[] DEFAULT ARRAY[]::TEXT[],
ADD COLUMN     "eventId" TEXT,
ADD COLUMN     "lockedBy" TEXT;
UPDATE "JobRun" SET "concurrencyKeys" = ARRAY['fn:' || "functionId" || ':' || "concurrencyKey"] WHERE "concurrencyKey" IS NOT NULL;
ALTER TABLE "JobRun" DROP COLUMN "concurrencyKey";

-- CreateTable
CREATE TABLE "SyncRunEvent" (
    "id" TEXT NOT NULL,
    "runId" TEXT NOT NULL,
    "at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "kind" "SyncRunEventKind" NOT NULL,
    "workerId" TEXT,
    "message" TEXT NOT NULL,

    CONSTRAINT "SyncRunEvent_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "Worker" (
    "id" TEXT NOT NULL,
    "host" TEXT NOT NULL,
    "pid" INTEGER NOT NULL,
    "mode" TEXT NOT NULL,
    "startedAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "heartbeatAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "stoppingAt" TIMESTAMP(3),
    "stoppedAt" TIMESTAMP(3),
    "running" TEXT[] DEFAULT ARRAY[]::TEXT[],

    CONSTRAINT "Worker_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "SyncRunEvent_runId_at_idx" ON "SyncRunEvent"("runId", "at");

-- CreateIndex
CREATE INDEX "Worker_heartbeatAt_idx" ON "Worker"("heartbeatAt");

-- CreateIndex
CREATE INDEX "JobRun_status_lockedUntil_idx" ON "JobRun"("status", "lockedUntil");

-- CreateIndex
CREATE UNIQUE INDEX "JobRun_functionId_eventId_key" ON "JobRun"("functionId", "eventId");

-- AddForeignKey
ALTER TABLE "SyncRunEvent" ADD CONSTRAINT "SyncRunEvent_runId_fkey" FOREIGN KEY ("runId") REFERENCES "SyncRun"("id") ON DELETE CASCADE ON UPDATE CASCADE;

