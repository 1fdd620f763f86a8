import { spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { acquireDataDirLock, DataDirLockedError, lockHolder } from "./lock.ts";

describe("data directory lock", () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), "collines-lock-"));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it("takes the lock with our pid and releases it", () => {
    const lock = acquireDataDirLock(dir);
    expect(readFileSync(lock.path, "utf8")).toBe(String(process.pid));
    expect(lockHolder(dir)).toBe(process.pid);
    lock.release();
    expect(existsSync(lock.path)).toBe(false);
    expect(lockHolder(dir)).toBeUndefined();
    lock.release();
  });

  it("refuses a second holder while a live process has it, with a French message", () => {
    // A live process other than us: the parent of this test worker.
    const other = process.ppid;
    writeFileSync(join(dir, "collines.lock"), String(other));
    expect(() => acquireDataDirLock(dir)).toThrow(DataDirLockedError);
    try {
      acquireDataDirLock(dir);
    } catch (e) {
      expect((e as DataDirLockedError).pid).toBe(other);
      expect((e as Error).message).toContain("est déjà utilisé par un autre processus Collines");
      expect((e as Error).message).toContain(`pid ${other}`);
    }
    // The other holder's lock is left alone.
    expect(readFileSync(join(dir, "collines.lock"), "utf8")).toBe(String(other));
  });

  it("takes over a stale lock left by a dead process", () => {
    const dead = spawnSync(process.execPath, ["-e", "0"]).pid!;
    expect(dead).toBeGreaterThan(0);
    writeFileSync(join(dir, "collines.lock"), String(dead));
    expect(lockHolder(dir)).toBeUndefined();
    const lock = acquireDataDirLock(dir);
    expect(readFileSync(lock.path, "utf8")).toBe(String(process.pid));
    lock.release();
  });

  it("takes over a lock file with garbage in it", () => {
    writeFileSync(join(dir, "collines.lock"), "pas un pid");
    const lock = acquireDataDirLock(dir);
    expect(lockHolder(dir)).toBe(process.pid);
    lock.release();
  });

  it("does not remove a lock that another process took after ours was released", () => {
    const lock = acquireDataDirLock(dir);
    lock.release();
    writeFileSync(join(dir, "collines.lock"), String(process.ppid));
    lock.release();
    expect(readFileSync(join(dir, "collines.lock"), "utf8")).toBe(String(process.ppid));
  });
});
