// Renders the demo tenant's HTML report through the CLI (`--sandbox --format html`) and saves what
// the first screen of a 1280×800 browser shows as docs/report-screenshot.png, for the README.
// Run: npx tsx scripts/screenshot-report.ts   (needs /usr/bin/chromium: scripts/ensure-chromium.sh)
import { mkdtemp, rm, stat } from "node:fs/promises";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { main } from "../shared/cli.js";
import { hasChromium, launch, CHROMIUM } from "../test/browser/chromium.js";

const root = dirname(dirname(fileURLToPath(import.meta.url)));
const output = join(root, "docs", "report-screenshot.png");

if (!hasChromium) {
  console.error(`screenshot-report: ${CHROMIUM} is missing; run scripts/ensure-chromium.sh as root`);
  process.exit(1);
}

const dir = await mkdtemp(join(tmpdir(), "credwatch-screenshot-"));
try {
  const page = join(dir, "report.html");
  // The demo tenant holds an unreadable subscription, so the sweep exits 3 (incomplete) by design;
  // only a missing page is a failure here.
  await main(["--sandbox", "--format", "html", "--out", page]);
  await stat(page);

  const browser = await launch();
  try {
    const tab = await browser.context.newPage();
    // The page must not load anything; make sure a screenshot could not show a remote resource.
    await tab.route("**/*", (route) => (route.request().url().startsWith("file:") ? route.continue() : route.abort()));
    await tab.goto(pathToFileURL(page).href);
    await tab.screenshot({ path: output });
  } finally {
    await browser.close();
  }
  console.error(`screenshot-report: wrote ${output}`);
} finally {
  await rm(dir, { recursive: true, force: true });
}
