// report.html in Debian's headless Chromium (playwright-core): the page loads with no console
// error, no request leaves the page, every chart drew marks for its data, and a screenshot is
// saved (test/report/out/report.png) for a person to look at. Skips only outside CI when
// /usr/bin/chromium is missing; in CI (CI=true) a missing browser fails.
import { afterAll, beforeAll, expect, test } from "bun:test";
import { existsSync, mkdirSync } from "node:fs";
import { join } from "node:path";
import { writeReport } from "../../src/report/html.ts";
import { fullWorkspace } from "./_workspace.ts";

const CHROMIUM = "/usr/bin/chromium";
const available = existsSync(CHROMIUM);
if (!available && process.env.CI === "true") throw new Error(`${CHROMIUM} is missing: CI must install Debian's chromium (apt-get install -y chromium)`);
const SHOT_DIR = join(import.meta.dir, "out");

let file = "";
let browser: import("playwright-core").Browser | undefined;

beforeAll(async () => {
  if (!available) return;
  file = await writeReport(await fullWorkspace());
  const { chromium } = await import("playwright-core");
  browser = await chromium.launch({
    executablePath: CHROMIUM,
    args: ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run"],
  });
}, 120_000);

afterAll(async () => {
  await browser?.close();
});

test.skipIf(!available)("report.html: loads cleanly, offline, every chart has its data points; screenshot", async () => {
  const page = await browser!.newPage({ viewport: { width: 1200, height: 900 } });
  const problems: string[] = [];
  const requests: string[] = [];
  page.on("console", (m) => {
    if (m.type() === "error" || m.type() === "warning") problems.push(`console ${m.type()}: ${m.text()}`);
  });
  page.on("pageerror", (e) => problems.push(`page error: ${e.message}`));
  page.on("request", (r) => {
    if (r.url() !== `file://${file}`) requests.push(r.url());
  });
  await page.goto(`file://${file}`, { waitUntil: "load" });
  expect(problems).toEqual([]);
  expect(requests).toEqual([]);
  expect(await page.locator("script").count()).toBe(0);

  const charts = await page.$$eval("figure.chart", (figs) =>
    figs.map((f) => ({
      id: f.id,
      points: Number(f.getAttribute("data-points")),
      marks: f.querySelectorAll("g.role-mark path, g.role-mark line, g.role-mark rect").length,
      width: f.querySelector("svg")?.getBoundingClientRect().width ?? 0,
    })),
  );
  expect(charts.map((c) => c.id).sort()).toEqual(["composition", "differences", "equivalence-buckets", "funnel", "learning-rate", "loss", "ratios", "rejections", "token-lengths"].sort());
  for (const c of charts) {
    expect(c.points).toBeGreaterThan(0);
    expect(c.width).toBeGreaterThan(100);
    expect(c.marks).toBeGreaterThan(0);
  }
  // One bar per stage in the funnel; one point per loss metric (10 train + 5 val).
  const count = (id: string, sel: string) => page.$$eval(`#${id} ${sel}`, (xs) => xs.length);
  expect(await count("funnel", "g.mark-rect.role-mark path")).toBe(charts.find((c) => c.id === "funnel")!.points);
  expect(await count("loss", "g.mark-symbol.role-mark path")).toBe(15);
  // The evaluation table names each compressor; the examples show original | teacher | student | rules.
  const heads = await page.$$eval(".examples th", (ths) => ths.map((t) => t.textContent));
  expect(heads).toEqual(["original", "teacher", "student", "rules"]);

  mkdirSync(SHOT_DIR, { recursive: true });
  const shot = join(SHOT_DIR, "report.png");
  await page.screenshot({ path: shot, fullPage: true });
  expect(existsSync(shot)).toBe(true);
}, 120_000);
