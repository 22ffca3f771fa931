import { afterAll, describe, expect, test } from "bun:test";
import { chmodSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { packageRelease } from "../../build/release.ts";
import { RELEASE_TARGETS } from "../../build/targets.ts";
import { tarGz } from "../../build/tar.ts";

const dir = mkdtempSync(join(tmpdir(), "ctxc-release-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function run(cmd: string[], cwd: string): string {
  const result = Bun.spawnSync(cmd, { cwd, stdout: "pipe", stderr: "pipe" });
  if (result.exitCode !== 0) throw new Error(`${cmd.join(" ")}: ${result.stderr.toString()}`);
  return result.stdout.toString();
}

describe("tar writer", () => {
  test("system tar extracts the files with their bytes, mode and mtime", async () => {
    const a = new Uint8Array(1000).map((_, i) => i & 0xff);
    const b = new TextEncoder().encode("x".repeat(512));
    const archive = join(dir, "t.tar.gz");
    await Bun.write(archive, tarGz([{ name: "ctxc", bytes: a, mode: 0o755 }, { name: "README", bytes: b, mode: 0o644 }], 1_700_000_000));
    const out = join(dir, "extract");
    mkdirSync(out);
    run(["tar", "-xzf", archive, "-C", out], dir);
    expect(new Uint8Array(readFileSync(join(out, "ctxc")))).toEqual(a);
    expect(statSync(join(out, "ctxc")).mode & 0o777).toBe(0o755);
    expect(statSync(join(out, "README")).mode & 0o777).toBe(0o644);
    expect(Math.floor(statSync(join(out, "ctxc")).mtimeMs / 1000)).toBe(1_700_000_000);
    expect(run(["tar", "-tvzf", archive], dir)).toMatch(/-rwxr-xr-x root\/root\s+1000 .* ctxc\n/);
  });

  test("the same input gives the same archive bytes", () => {
    const entry = { name: "ctxc", bytes: new Uint8Array([1, 2, 3]), mode: 0o755 };
    expect(tarGz([entry], 1)).toEqual(tarGz([entry], 1));
  });

  test("a name too long for ustar is refused", () => {
    expect(() => tarGz([{ name: "n".repeat(101), bytes: new Uint8Array(), mode: 0o644 }], 0)).toThrow(/longer than 100 bytes/);
  });
});

describe("packageRelease", () => {
  test("writes one archive per target and a SHA256SUMS that sha256sum accepts", async () => {
    const out = join(dir, "release");
    mkdirSync(out);
    await Bun.write(join(out, "ctxc-0.0.1-linux-x64.tar.gz"), "stale"); // from an older version: removed
    await Bun.write(join(out, "notes.txt"), "kept");
    const binaries = RELEASE_TARGETS.map((target) => {
      const path = join(dir, `bin-${target.name}`);
      writeFileSync(path, `binary for ${target.name}\n`);
      chmodSync(path, 0o755);
      return { target, path };
    });
    const artifacts = await packageRelease(binaries, { version: "9.8.7", commit: "abc", time: 1_700_000_000 }, out);
    expect(readdirSync(out).sort()).toEqual([
      "SHA256SUMS",
      "ctxc-9.8.7-darwin-arm64.tar.gz",
      "ctxc-9.8.7-darwin-x64.tar.gz",
      "ctxc-9.8.7-linux-x64.tar.gz",
      "notes.txt",
    ]);
    const sums = await Bun.file(join(out, "SHA256SUMS")).text();
    expect(sums.split("\n")[0]).toBe(`${artifacts[0]!.sha256}  ctxc-9.8.7-darwin-arm64.tar.gz`);
    expect(run(["sha256sum", "-c", "SHA256SUMS"], out)).toContain("ctxc-9.8.7-linux-x64.tar.gz: OK");
    run(["tar", "-xzf", "ctxc-9.8.7-darwin-x64.tar.gz"], out);
    expect(await Bun.file(join(out, "ctxc")).text()).toBe("binary for darwin-x64\n");
  });
});

describe("entitlements for Developer ID signing", () => {
  test("build/entitlements.plist holds Bun's JIT entitlements", async () => {
    const plist = await Bun.file(join(import.meta.dir, "../../build/entitlements.plist")).text();
    for (const key of ["allow-jit", "allow-unsigned-executable-memory", "disable-executable-page-protection", "allow-dyld-environment-variables", "disable-library-validation"]) {
      expect(plist).toContain(`<key>com.apple.security.cs.${key}</key>\n    <true/>`);
    }
    expect(plist.trim().endsWith("</plist>")).toBe(true);
  });
});
