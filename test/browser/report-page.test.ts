// The HTML report as a person sees it, in Debian's chromium (see chromium.ts): opened from a file,
// with and without JavaScript, at 1280×800.
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import type { Locator, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { renderHtml } from "../../shared/report/html.js";
import { HOSTILE_NAME } from "../report/builders.js";
import { ATTRIBUTE_NAME, contosoReport, IMG_NAME } from "../report/html-tenant.js";
import { hasChromium, launch, type Browser } from "./chromium.js";

const VIEWPORT = { width: 1280, height: 800 };
const report = contosoReport();
const critical = report.findings.filter((f) => f.severity === "critical");
const dueIn90 = report.findings.filter((f) => f.credential?.daysLeft != null && f.credential.daysLeft <= 90);

/** What a page did that it must not: requests off the file, dialogs, errors (CSP refusals included). */
interface Watch {
  page: Page;
  external: string[];
  dialogs: string[];
  errors: string[];
}

async function open(browser: Browser, url: string): Promise<Watch> {
  const page = await browser.context.newPage();
  const watch: Watch = { page, external: [], dialogs: [], errors: [] };
  await page.route("**/*", (route) => {
    const target = route.request().url();
    if (target.startsWith("file:")) return route.continue();
    watch.external.push(target);
    return route.abort();
  });
  page.on("request", (request) => {
    if (!request.url().startsWith("file:")) watch.external.push(request.url());
  });
  page.on("dialog", (dialog) => {
    watch.dialogs.push(dialog.message());
    void dialog.dismiss();
  });
  page.on("pageerror", (error) => watch.errors.push(error.message));
  page.on("console", (message) => {
    if (message.type() === "error" || message.type() === "warning") watch.errors.push(message.text());
  });
  await page.goto(url);
  return watch;
}

/** Inside the first screen, without scrolling. */
async function expectInFirstScreen(locator: Locator): Promise<void> {
  await expect.poll(() => locator.isVisible()).toBe(true);
  const box = (await locator.boundingBox())!;
  expect(box.y).toBeGreaterThanOrEqual(0);
  expect(box.y + box.height).toBeLessThanOrEqual(VIEWPORT.height);
}

async function visibleFindings(page: Page): Promise<Locator[]> {
  return page.locator("#findings-table tbody.finding:visible").all();
}

async function attributes(rows: Locator[], name: string): Promise<(string | null)[]> {
  return Promise.all(rows.map((row) => row.getAttribute(name)));
}

describe.skipIf(!hasChromium)("the HTML report in chromium", () => {
  let dir: string;
  let url: string;
  let withScript: Browser;
  let withoutScript: Browser;
  const watches: Watch[] = [];

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), "credwatch-report-"));
    const file = join(dir, "report.html");
    await writeFile(file, renderHtml(report));
    url = pathToFileURL(file).href;
    withScript = await launch({ viewport: VIEWPORT });
    withoutScript = await launch({ viewport: VIEWPORT, javaScriptEnabled: false });
  });

  afterAll(async () => {
    await withScript?.close();
    await withoutScript?.close();
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  async function page(browser = () => withScript): Promise<Page> {
    const watch = await open(browser(), url);
    watches.push(watch);
    return watch.page;
  }

  it("shows the incomplete banner and every critical finding in the first screen", async () => {
    const p = await page();
    const banner = p.locator("#status");
    await expectInFirstScreen(banner);
    expect(await banner.textContent()).toContain("1 scope could not be read");
    expect(await banner.textContent()).toContain(report.errors[0]!.scope);
    const rows = await p.locator("#critical tbody tr").all();
    expect(rows).toHaveLength(critical.length);
    for (const row of rows) await expectInFirstScreen(row);
    await expectInFirstScreen(p.locator(".counts"));
  });

  it("places one timeline marker per credential finding due within 90 days, expired ones overdue", async () => {
    const p = await page();
    const markers = p.locator("svg.timeline [data-marker]");
    expect(await markers.count()).toBe(dueIn90.length);
    const days = (await attributes(await markers.all(), "data-days")).map(Number).sort((a, b) => a - b);
    expect(days).toEqual(dueIn90.map((f) => f.credential!.daysLeft!).sort((a, b) => a - b));
    const today = (await p.locator("svg.timeline line.today").boundingBox())!;
    const overdue = (await p.locator('svg.timeline [data-days="-6"] use').boundingBox())!;
    const soon = (await p.locator('svg.timeline [data-days="3"] use').boundingBox())!;
    expect(overdue.x + overdue.width).toBeLessThan(today.x);
    expect(soon.x).toBeGreaterThan(today.x - soon.width);
    expect(await p.locator('svg.timeline [data-days="3"] title').textContent()).toContain("aks-payments-sp");
  });

  it("narrows the table with the filters", async () => {
    const p = await page();
    expect(await visibleFindings(p)).toHaveLength(report.findings.length);
    await p.getByLabel("Severity", { exact: true }).selectOption("critical");
    const rows = await visibleFindings(p);
    expect(rows).toHaveLength(critical.length);
    expect(new Set(await attributes(rows, "data-severity"))).toEqual(new Set(["critical"]));
    await p.getByLabel("Cluster", { exact: true }).selectOption({ label: "aks-web" });
    expect(await attributes(await visibleFindings(p), "data-subject")).toEqual([HOSTILE_NAME, "aks-web"]);
    expect(await p.locator("#shown").textContent()).toBe(`Showing 2 of ${report.findings.length} findings`);
    await p.getByRole("button", { name: "Clear filters" }).click();
    await p.getByLabel("Search", { exact: true }).fill("aks-batch");
    expect(await attributes(await visibleFindings(p), "data-subject")).toEqual(["aks-batch"]);
  });

  it("sorts by days left, both ways, findings without an expiry last", async () => {
    const p = await page();
    const days = async () => attributes(await visibleFindings(p), "data-days");
    const dated = report.findings.flatMap((f) => (f.credential?.daysLeft == null ? [] : [f.credential.daysLeft])).sort((a, b) => a - b);
    const blanks = report.findings.length - dated.length;
    await p.getByRole("button", { name: "Sort by When" }).click();
    expect(await days()).toEqual([...dated.map(String), ...Array<string>(blanks).fill("")]);
    expect(await p.locator('th[data-sort="days"]').getAttribute("aria-sort")).toBe("ascending");
    await p.getByRole("button", { name: "Sort by When" }).click();
    expect(await days()).toEqual([...dated.reverse().map(String), ...Array<string>(blanks).fill("")]);
  });

  it("copies exactly the fix commands", async () => {
    const p = await page();
    // The clipboard itself is the desktop's; record what the page hands it.
    await p.evaluate("navigator.clipboard.writeText = (text) => { window.copied = text; return Promise.resolve(); }");
    const payments = report.findings.find((f) => f.subject.name === "aks-payments-sp")!;
    const body = p.locator('tbody.finding[data-subject="aks-payments-sp"]');
    expect(await body.locator("pre code").textContent()).toBe(payments.fix.join("\n"));
    const copy = body.getByRole("button", { name: /Copy the fix commands/ });
    await copy.click();
    expect(await p.evaluate("window.copied")).toBe(payments.fix.join("\n"));
    expect(await copy.textContent()).toBe("Copied");
  });

  it("shows hostile names as text and runs none of them", async () => {
    const p = await page();
    const text = (await p.textContent("body"))!;
    for (const name of [HOSTILE_NAME, IMG_NAME, ATTRIBUTE_NAME]) expect(text).toContain(name);
    expect(await p.locator("img").count()).toBe(0);
    expect(await p.locator("[onerror], [onmouseover], [onfocus]").count()).toBe(0);
    await p.locator("#findings-table").getByText(IMG_NAME, { exact: true }).hover();
    expect(await p.locator("#critical").textContent()).toContain(HOSTILE_NAME);
  });

  it("reads completely with JavaScript off", async () => {
    const p = await page(() => withoutScript);
    await expectInFirstScreen(p.locator("#status"));
    for (const row of await p.locator("#critical tbody tr").all()) await expectInFirstScreen(row);
    expect(await visibleFindings(p)).toHaveLength(report.findings.length);
    expect(await p.locator("#filters").isVisible()).toBe(false);
    expect(await p.locator("button.copy:visible").count()).toBe(0);
    expect(await p.locator("pre code:visible").count()).toBe(report.findings.filter((f) => f.fix.length > 0).length);
    expect(await p.locator("svg.timeline [data-marker]").count()).toBe(dueIn90.length);
  });

  it("prints every row without the controls", async () => {
    const p = await page();
    await p.getByLabel("Severity", { exact: true }).selectOption("low");
    await p.emulateMedia({ media: "print" });
    expect(await visibleFindings(p)).toHaveLength(report.findings.length);
    expect(await p.locator("#filters").isVisible()).toBe(false);
    expect(await p.locator("button.copy:visible").count()).toBe(0);
  });

  it("never left the file, opened a dialog or logged an error", () => {
    expect(watches.length).toBeGreaterThan(0);
    for (const watch of watches) {
      expect(watch.external).toEqual([]);
      expect(watch.dialogs).toEqual([]);
      expect(watch.errors).toEqual([]);
    }
  });
});
