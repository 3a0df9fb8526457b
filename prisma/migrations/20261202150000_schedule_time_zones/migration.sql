-- Schedules in the customer's time zone: a time zone per platform (UTC unless set) and per
-- connector (null: the platform's), and a daily local time per sync instead of a UTC cron.

-- AlterTable
ALTER TABLE "Platform" ADD COLUMN     "timeZone" TEXT NOT NULL DEFAULT 'UTC';

-- AlterTable
ALTER TABLE "CourseraConnector" ADD COLUMN     "catalogueTime" TEXT,
ADD COLUMN     "scheduleChangedAt" TIMESTAMP(3),
ADD COLUMN     "statisticsTime" TEXT,
ADD COLUMN     "timeZone" TEXT;

-- A daily cron ("M H * * *", UTC) other than the default becomes the same local time in UTC, the
-- zone every platform starts with, so it keeps running at the same instants. The defaults, and
-- anything that was not daily, become null: the kind's default hour, spread per connector.
UPDATE "CourseraConnector"
   SET "catalogueTime" = lpad(m[2], 2, '0') || ':' || lpad(m[1], 2, '0')
  FROM (SELECT "id", regexp_match("catalogueSchedule", '^([0-9]{1,2}) ([0-9]{1,2}) \* \* \*$') AS m FROM "CourseraConnector") c
 WHERE c."id" = "CourseraConnector"."id" AND c.m IS NOT NULL AND "catalogueSchedule" <> '0 2 * * *'
   AND c.m[1]::int < 60 AND c.m[2]::int < 24;
UPDATE "CourseraConnector"
   SET "statisticsTime" = lpad(m[2], 2, '0') || ':' || lpad(m[1], 2, '0')
  FROM (SELECT "id", regexp_match("statisticsSchedule", '^([0-9]{1,2}) ([0-9]{1,2}) \* \* \*$') AS m FROM "CourseraConnector") c
 WHERE c."id" = "CourseraConnector"."id" AND c.m IS NOT NULL AND "statisticsSchedule" <> '0 4 * * *'
   AND c.m[1]::int < 60 AND c.m[2]::int < 24;

ALTER TABLE "CourseraConnector" DROP COLUMN "catalogueSchedule",
DROP COLUMN "statisticsSchedule";
