-- CreateIndex
CREATE INDEX "ProgramSession_programId_idx" ON "ProgramSession"("programId");

-- Coursera records are matched to users by externalId compared trimmed and
-- case-insensitively (lib/statistics/matching.ts): an expression index, so it
-- lives in the migration only.
CREATE INDEX "User_platformId_externalId_norm_idx" ON "User"("platformId", lower(btrim("externalId")));
