import { readdirSync, readFileSync } from "node:fs";

/**
 * CPU time used so far, from Linux's /proc: by the whole machine (every
 * process: the server, PostgreSQL, the load generator) and by one process
 * group (the server). A load benchmark divides the difference by the requests
 * served, which says what a request costs whatever the machine's speed; null
 * where there is no /proc.
 */
export interface CpuTime {
  machineMs: number;
  groupMs: number;
}

// USER_HZ, the unit of /proc's CPU times, is 100 on every Linux architecture Node runs on.
const MS_PER_TICK = 10;

export function cpuTime(processGroup: number): CpuTime | null {
  try {
    // cpu  user nice system idle iowait irq softirq steal …: busy = all but idle, iowait and steal.
    const [user, nice, system, , , irq, softirq] = readFileSync("/proc/stat", "utf8")
      .split("\n")[0]
      .trim()
      .split(/\s+/)
      .slice(1)
      .map(Number);
    let groupTicks = 0;
    for (const entry of readdirSync("/proc")) {
      if (!/^\d+$/.test(entry)) continue;
      let stat: string;
      try {
        stat = readFileSync(`/proc/${entry}/stat`, "utf8");
      } catch {
        continue; // the process ended meanwhile
      }
      // After "pid (comm) ": state ppid pgrp … utime (12th) stime (13th); comm may hold spaces, hence the last ")".
      const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
      if (Number(fields[2]) === processGroup) groupTicks += Number(fields[11]) + Number(fields[12]);
    }
    return { machineMs: (user + nice + system + irq + softirq) * MS_PER_TICK, groupMs: groupTicks * MS_PER_TICK };
  } catch {
    return null;
  }
}
