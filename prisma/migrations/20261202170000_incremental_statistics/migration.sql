-- The hourly incremental statistics sync (issue 19 part 4): a run says whether it read Coursera's whole
-- listing (FULL, every existing run) or only the records changed since a window's start (INCREMENTAL).

-- CreateEnum
CREATE TYPE "SyncMode" AS ENUM ('FULL', 'INCREMENTAL');

-- AlterTable
ALTER TABLE "SyncRun" ADD COLUMN     "changedSince" TIMESTAMP(3),
ADD COLUMN     "mode" "SyncMode" NOT NULL DEFAULT 'FULL';
