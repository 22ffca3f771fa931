import { afterAll, describe, expect, test } from "bun:test";
import { chmodSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, relative } from "node:path";
import { BuildError, buildAll, smokeTest, verifyDarwinBinary } from "../../build/build.ts";
import { defines, readStamp } from "../../build/stamp.ts";
import { flipByte, syntheticMachO } from "./helpers/synthetic-macho.ts";

const dir = mkdtempSync(join(tmpdir(), "ctxc-build-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const stub = join(import.meta.dir, "fixtures", "stub-cli.ts");
const pkg = (await Bun.file(join(import.meta.dir, "../../package.json")).json()) as { version: string };

describe("stamp", () => {
  test("reads the package.json version and a short commit", async () => {
    const stamp = await readStamp();
    expect(stamp.version).toBe(pkg.version);
    expect(stamp.commit).toMatch(/^([0-9a-f]{4,40}|unknown)$/);
    expect(stamp.time).toBeGreaterThan(1_600_000_000);
  });

  test("defines are JSON string literals", () => {
    expect(defines({ version: "1.2.3", commit: "abc1234", time: 0 }, "bun-darwin-arm64")).toEqual({
      __CTXC_VERSION__: '"1.2.3"',
      __CTXC_TARGET__: '"bun-darwin-arm64"',
      __CTXC_COMMIT__: '"abc1234"',
    });
  });
});

describe("buildAll", () => {
  test("--host-only compiles a stamped binary that runs from another directory", async () => {
    const lines: string[] = [];
    const hostOut = join(dir, "ctxc");
    const built = await buildAll({ entry: stub, targets: [], hostOut, log: (l) => lines.push(l) });
    expect(built.binaries.map((b) => b.path)).toEqual([hostOut]);
    expect(built.binaries[0]!.bytes).toBeGreaterThan(1_000_000);
    const stamp = await readStamp();
    const line = smokeTest(hostOut, stamp.version);
    expect(line).toBe(`ctxc ${pkg.version} (bun-${process.platform}-${process.arch}, commit ${stamp.commit})`);
    const elsewhere = Bun.spawnSync([hostOut], { cwd: tmpdir() });
    expect(elsewhere.stdout.toString()).toBe("stub ctxc\n");
    expect(lines.some((l) => l.includes(" MB "))).toBe(true);
    // buildAll itself smoke-tests what it built (so `bun run release` does too) and returns its stamp.
    expect(lines).toContain(`  smoke: ${relative(process.cwd(), hostOut)} --version -> ${line}`);
    expect(built.stamp).toEqual(stamp);
  });

  test("a missing entry is a clear BuildError", async () => {
    const promise = buildAll({ entry: join(dir, "nope.ts"), targets: [], hostOut: join(dir, "x"), log: () => {} });
    await expect(promise).rejects.toThrow(/the CLI entry .*nope.ts does not exist; pass --entry FILE/);
  });

  test("a compile error names the entry, the target and Bun's message", async () => {
    const broken = join(dir, "broken.ts");
    await Bun.write(broken, 'import x from "./not-there.ts";\nconsole.log(x);\n');
    const promise = buildAll({ entry: broken, targets: [], hostOut: join(dir, "y"), log: () => {} });
    await expect(promise).rejects.toBeInstanceOf(BuildError);
    await expect(promise).rejects.toThrow(/compiling .*broken.ts for bun-\w+-\w+ failed:\n.*not-there.ts/);
  });
});

describe("darwin signature step", () => {
  test("a valid binary passes and a stale ad-hoc one is repaired on disk", async () => {
    const path = join(dir, "ok-darwin");
    const bytes = syntheticMachO();
    flipByte(bytes, 5000);
    await Bun.write(path, bytes);
    const lines = await verifyDarwinBinary(path);
    expect(lines.join("\n")).toContain("repaired: arm64: re-hashed pages 1");
    expect((await verifyDarwinBinary(path))[0]).toContain("all hashes match");
  });

  test("a binary that cannot be repaired fails the build with the reason", async () => {
    const path = join(dir, "unsigned-darwin");
    await Bun.write(path, syntheticMachO({ unsigned: true }));
    const promise = verifyDarwinBinary(path);
    await expect(promise).rejects.toBeInstanceOf(BuildError);
    await expect(promise).rejects.toThrow(/no code signature to repair[\s\S]*A Mac would refuse to run/);
  });
});

describe("smokeTest", () => {
  test("a binary that fails --version stops the build", async () => {
    const script = join(dir, "fails.sh");
    await Bun.write(script, "#!/bin/sh\necho boom >&2\nexit 3\n");
    chmodSync(script, 0o755);
    expect(() => smokeTest(script, "0.1.0")).toThrow(/--version exited 3: boom/);
  });
});
