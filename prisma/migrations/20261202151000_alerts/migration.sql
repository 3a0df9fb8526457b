-- Alerts: incidents (one open per connector, kind and scope), each recipient's notification of an
-- incident's opening and resolution (read state, email delivery with retries), per-user choices
-- by kind, the connector's staleness threshold and the verdict of its last credentials check, and an
-- index for the latest finished run of a connector and kind.

-- CreateEnum
CREATE TYPE "AlertKind" AS ENUM ('SYNC_FAILED', 'STALE', 'NEEDS_REVIEW', 'CREDENTIALS_REJECTED');

-- CreateEnum
CREATE TYPE "AlertEvent" AS ENUM ('OPENED', 'RESOLVED');

-- CreateEnum
CREATE TYPE "AlertEmailStatus" AS ENUM ('PENDING', 'SENDING', 'SENT', 'LOGGED', 'SKIPPED', 'FAILED');

-- AlterTable
ALTER TABLE "CourseraConnector" ADD COLUMN     "credentialsCheckedAt" TIMESTAMP(3),
ADD COLUMN     "credentialsRefusal" TEXT,
ADD COLUMN     "staleAfterHours" INTEGER NOT NULL DEFAULT 36;

-- CreateTable
CREATE TABLE "AlertIncident" (
    "id" TEXT NOT NULL,
    "platformId" TEXT NOT NULL,
    "connectorId" TEXT NOT NULL,
    "kind" "AlertKind" NOT NULL,
    "scope" TEXT NOT NULL DEFAULT '',
    "summary" TEXT NOT NULL,
    "path" TEXT NOT NULL,
    "runId" TEXT,
    "openedAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "resolvedAt" TIMESTAMP(3),
    "resolution" TEXT,

    CONSTRAINT "AlertIncident_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "AlertNotification" (
    "id" TEXT NOT NULL,
    "incidentId" TEXT NOT NULL,
    "userId" TEXT NOT NULL,
    "event" "AlertEvent" NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "inApp" BOOLEAN NOT NULL DEFAULT true,
    "readAt" TIMESTAMP(3),
    "emailStatus" "AlertEmailStatus" NOT NULL DEFAULT 'PENDING',
    "emailAttempts" INTEGER NOT NULL DEFAULT 0,
    "emailNextAttemptAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "emailLeaseUntil" TIMESTAMP(3),
    "emailSentAt" TIMESTAMP(3),
    "emailError" TEXT,

    CONSTRAINT "AlertNotification_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "AlertPreference" (
    "userId" TEXT NOT NULL,
    "kind" "AlertKind" NOT NULL,
    "inApp" BOOLEAN NOT NULL DEFAULT true,
    "email" BOOLEAN NOT NULL DEFAULT true,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "AlertPreference_pkey" PRIMARY KEY ("userId","kind")
);

-- CreateIndex
CREATE INDEX "AlertIncident_platformId_openedAt_idx" ON "AlertIncident"("platformId", "openedAt");

-- CreateIndex
CREATE INDEX "AlertIncident_connectorId_resolvedAt_idx" ON "AlertIncident"("connectorId", "resolvedAt");

-- CreateIndex
CREATE INDEX "AlertNotification_userId_inApp_readAt_idx" ON "AlertNotification"("userId", "inApp", "readAt");

-- CreateIndex
CREATE INDEX "AlertNotification_userId_createdAt_idx" ON "AlertNotification"("userId", "createdAt");

-- CreateIndex
CREATE UNIQUE INDEX "AlertNotification_incidentId_userId_event_key" ON "AlertNotification"("incidentId", "userId", "event");

-- CreateIndex
CREATE INDEX "SyncRun_connectorId_kind_finishedAt_idx" ON "SyncRun"("connectorId", "kind", "finishedAt");

-- AddForeignKey
ALTER TABLE "AlertIncident" ADD CONSTRAINT "AlertIncident_platformId_fkey" FOREIGN KEY ("platformId") REFERENCES "Platform"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "AlertIncident" ADD CONSTRAINT "AlertIncident_connectorId_fkey" FOREIGN KEY ("connectorId") REFERENCES "CourseraConnector"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "AlertNotification" ADD CONSTRAINT "AlertNotification_incidentId_fkey" FOREIGN KEY ("incidentId") REFERENCES "AlertIncident"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "AlertNotification" ADD CONSTRAINT "AlertNotification_userId_fkey" FOREIGN KEY ("userId") REFERENCES "User"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "AlertPreference" ADD CONSTRAINT "AlertPreference_userId_fkey" FOREIGN KEY ("userId") REFERENCES "User"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- One open incident per connector, kind and scope: two reconciliations racing open it once.
CREATE UNIQUE INDEX "AlertIncident_open_key" ON "AlertIncident"("connectorId", "kind", "scope") WHERE "resolvedAt" IS NULL;

-- The delivery function claims due emails through this one.
CREATE INDEX "AlertNotification_email_due_idx" ON "AlertNotification"("emailNextAttemptAt") WHERE "emailStatus" IN ('PENDING', 'SENDING');
