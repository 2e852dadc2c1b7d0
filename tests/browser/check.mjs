// Open the rendered book and slides from file:// in headless Chromium, screenshot each page,
// and fail on an image that did not load, a console error, a failed request or missing text.
// Run by `cargo xtask browser-test`, which passes the paths in the environment.
import { chromium } from "playwright-core";
import { pathToFileURL } from "node:url";
import path from "node:path";

const target = process.env.WORKBOOK_TARGET;
const shots = path.join(target, "screenshots");
const url = (file, hash = "") => pathToFileURL(path.join(target, file)).href + hash;

// name: the screenshot; file and hash: what to open; slide: [h, v] in the deck;
// text: what the reader must see; images: how many images at least.
const pages = [
  { name: "book-first-page", file: "book/index.html", text: ["Introduction", "Threads, processes, or async?"], images: 0 },
  { name: "book-speedup-charts", file: "book/11-speedup-plots.html", text: ["Amdahl", "How far to trust a number"], images: 1 },
  { name: "slides-title", file: "slides/index.html", slide: [0, 0], text: ["Parallel Rust Workbook"], images: 0 },
  { name: "slides-thread-pool-code", file: "slides/index.html", slide: [3, 1], text: ["par_map", "into_par_iter"], images: 0 },
  { name: "slides-measuring-chart", file: "slides/index.html", slide: [13, 1], text: ["Speedup on a compute-bound grid"], images: 1 },
];

const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM,
  args: ["--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-background-networking",
    "--disable-component-update", "--disable-sync"],
});
const failures = [];
try {
  for (const spec of pages) {
    const page = await browser.newPage({ viewport: { width: 1280, height: 720 } });
    const problems = [];
    page.on("console", (m) => m.type() === "error" && problems.push(`console error: ${m.text()}`));
    page.on("pageerror", (e) => problems.push(`script error: ${e.message}`));
    page.on("requestfailed", (r) => problems.push(`failed to load ${r.url()}: ${r.failure()?.errorText}`));

    await page.goto(url(spec.file), { waitUntil: "load" });
    let visible;
    if (spec.slide) {
      await page.waitForFunction(() => window.Reveal && Reveal.isReady());
      visible = await page.evaluate(([h, v]) => {
        Reveal.configure({ transition: "none" });
        Reveal.slide(h, v);
        return Reveal.getCurrentSlide().innerText;
      }, spec.slide);
      // A teacher presents from the notes: every slide has some.
      const withoutNotes = await page.evaluate(() =>
        Reveal.getSlides().filter((s) => !s.querySelector("aside.notes")).length);
      if (withoutNotes) problems.push(`${withoutNotes} slide(s) without speaker notes`);
    } else {
      visible = await page.innerText("main");
    }
    // Every image on the page, shown or not, must have arrived and decoded.
    const images = await page.evaluate(async () => {
      await Promise.all([...document.images].map((img) => img.decode().catch(() => {})));
      return [...document.images].map((img) => ({ src: img.src, ok: img.complete && img.naturalWidth > 0 }));
    });
    const shownImages = await page.evaluate((isSlide) => {
      const scope = isSlide ? Reveal.getCurrentSlide() : document.querySelector("main");
      return scope.querySelectorAll("img").length;
    }, Boolean(spec.slide));
    if (!spec.slide && spec.images > 0) await page.locator("main img").first().scrollIntoViewIfNeeded();
    await page.screenshot({ path: path.join(shots, `${spec.name}.png`) });

    for (const img of images.filter((i) => !i.ok)) problems.push(`image did not load: ${img.src}`);
    if (shownImages < spec.images) problems.push(`${shownImages} image(s) shown, expected ${spec.images} or more`);
    for (const text of spec.text.filter((t) => !visible.includes(t))) problems.push(`text missing: ${text}`);
    const where = `${spec.file}${spec.slide ? ` slide ${spec.slide.join("/")}` : ""}`;
    if (problems.length) failures.push(`${where}: ${problems.join("; ")}`);
    console.log(`${problems.length ? "FAIL" : "ok  "} ${where}: ${images.length} image(s), screenshot ${spec.name}.png`);
    await page.close();
  }
} finally {
  await browser.close();
}
if (failures.length) {
  console.error(`${failures.length} page(s) failed:\n${failures.join("\n")}`);
  process.exit(1);
}
