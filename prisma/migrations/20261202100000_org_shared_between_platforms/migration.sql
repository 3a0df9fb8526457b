-- A Coursera organisation belongs to one platform unless a CSM allows this one to share it (issue 14 #10).
ALTER TABLE "CourseraConnector" ADD COLUMN     "sharedOrgAllowedAt" TIMESTAMP(3),
ADD COLUMN     "sharedOrgAllowedById" TEXT,
ADD COLUMN     "sharedOrgAllowedFor" TEXT;
