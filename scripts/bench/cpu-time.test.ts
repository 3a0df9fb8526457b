import { spawn } from "node:child_process";
import { once } from "node:events";
import { describe, expect, it } from "vitest";
import { cpuTime } from "./cpu-time";

describe.skipIf(process.platform !== "linux")("cpuTime", () => {
  it("counts the CPU a process group burns, within the machine's", async () => {
    // A detached child leads its own process group; it burns 400 ms of CPU (however busy the machine), says so, then idles.
    const burn =
      "const u = () => { const c = process.cpuUsage(); return (c.user + c.system) / 1000; }; while (u() < 400); process.stdout.write('done'); setInterval(() => {}, 1000);";
    const child = spawn(process.execPath, ["-e", burn], { detached: true, stdio: ["ignore", "pipe", "ignore"] });
    try {
      const before = cpuTime(child.pid!);
      expect(before).not.toBeNull();
      await once(child.stdout!, "data");
      const after = cpuTime(child.pid!)!;
      const burnt = after.groupMs - before!.groupMs;
      expect(burnt).toBeGreaterThanOrEqual(250);
      expect(after.machineMs - before!.machineMs).toBeGreaterThanOrEqual(burnt - 20);
      expect(cpuTime(2 ** 30)!.groupMs).toBe(0); // no such group
    } finally {
      process.kill(-child.pid!, "SIGKILL");
      await once(child, "exit");
    }
  });
});
