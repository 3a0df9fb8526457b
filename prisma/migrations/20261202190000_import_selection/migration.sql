-- Issue 19, part 1: an admin chooses which Coursera programs, content types and languages are imported.
-- Empty lists import everything (the default). A catalogue run fixes the selection it applies when it starts,
-- counts what it left out, and keeps the left-out items of its listing so a wider selection can be previewed.

-- A catalogue run started because an admin changed the selection.
ALTER TYPE "SyncTrigger" ADD VALUE 'SELECTION';

-- AlterTable
ALTER TABLE "CourseraConnector" ADD COLUMN     "importContentTypes" "ContentType"[] DEFAULT ARRAY[]::"ContentType"[],
ADD COLUMN     "importLanguages" TEXT[] DEFAULT ARRAY[]::TEXT[],
ADD COLUMN     "importProgramIds" TEXT[] DEFAULT ARRAY[]::TEXT[];

-- AlterTable
ALTER TABLE "SyncRun" ADD COLUMN     "excluded" INTEGER NOT NULL DEFAULT 0,
ADD COLUMN     "importSelection" JSONB;

-- CreateTable
CREATE TABLE "CatalogueExcludedItem" (
    "runId" TEXT NOT NULL,
    "contentId" TEXT NOT NULL,
    "title" TEXT NOT NULL,
    "contentType" "ContentType" NOT NULL,
    "language" TEXT,
    "programIds" TEXT[],

    CONSTRAINT "CatalogueExcludedItem_pkey" PRIMARY KEY ("runId","contentId")
);

-- AddForeignKey
ALTER TABLE "CatalogueExcludedItem" ADD CONSTRAINT "CatalogueExcludedItem_runId_fkey" FOREIGN KEY ("runId") REFERENCES "SyncRun"("id") ON DELETE CASCADE ON UPDATE CASCADE;

