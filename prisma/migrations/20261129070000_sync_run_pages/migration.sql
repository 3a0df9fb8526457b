-- CreateTable
CREATE TABLE "SyncRunPage" (
    "runId" TEXT NOT NULL,
    "start" INTEGER NOT NULL,

    CONSTRAINT "SyncRunPage_pkey" PRIMARY KEY ("runId","start")
);

-- AddForeignKey
ALTER TABLE "SyncRunPage" ADD CONSTRAINT "SyncRunPage_runId_fkey" FOREIGN KEY ("runId") REFERENCES "SyncRun"("id") ON DELETE CASCADE ON UPDATE CASCADE;
