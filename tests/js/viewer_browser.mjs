// viewer_browser.mjs — the viewer in a real browser: Debian's Chromium driven by playwright-core.
// Loads the pages named in the environment, asserts on what was rendered (visible text, the
// panorama canvas's pixels, images actually decoded) and saves a screenshot of each. Prints one
// line per check, "ok<TAB>description" or "not ok<TAB>description<TAB>detail", for
// tests/e2e/viewer_browser.t to report as TAP.
import { chromium } from 'playwright-core';

const env = process.env;
const GP = env.GP_URL, HOST = env.HOST_URL, SHOTS = env.SHOTS;
let failures = 0;
function check(cond, desc, detail = '') {
  if (cond) console.log(`ok\t${desc}`);
  else { failures++; console.log(`not ok\t${desc}\t${String(detail).replace(/\s+/g, ' ').slice(0, 300)}`); }
}

// Pixels of a canvas (in page or frame ctx): how many are not plain black, how many colours, a hash.
async function canvasStats(ctx, selector) {
  return ctx.$eval(selector, (c) => {
    const d = c.getContext('2d').getImageData(0, 0, c.width, c.height).data;
    let lit = 0, hash = 0;
    const colours = new Set();
    for (let i = 0; i < d.length; i += 4) {
      if (d[i + 3] > 0 && (d[i] > 8 || d[i + 1] > 8 || d[i + 2] > 8)) lit++;
      if ((i & 60) === 0) colours.add((d[i] << 16) | (d[i + 1] << 8) | d[i + 2]);
      hash = (hash * 31 + d[i] + d[i + 1] * 3 + d[i + 2] * 7) | 0;
    }
    return { lit, total: d.length / 4, colours: colours.size, hash };
  });
}

async function imagesLoaded(ctx, selector) {
  return ctx.$$eval(selector, (imgs) => imgs.map((i) => ({ src: i.getAttribute('src'), w: i.naturalWidth, done: i.complete })));
}

async function waitPano(ctx) {
  await ctx.waitForSelector('canvas.pano[data-state="ready"]', { timeout: 15000 });
}

const browser = await chromium.launch({ executablePath: '/usr/bin/chromium', headless: true, args: ['--no-sandbox'] });
try {
  const context = await browser.newContext({ viewport: { width: 1200, height: 900 } });
  const page = await context.newPage();
  const errors = [];
  page.on('pageerror', (e) => errors.push(e.message));

  // ---- a view still processing
  await page.goto(`${GP}/${env.PROCESSING}`);
  check(await page.getByText('This iGUIDE is being processed').isVisible(), 'processing view: the processing screen is visible');
  check(await page.locator('h1.address').isVisible(), 'processing view: the address heading is visible', await page.content());
  await page.screenshot({ path: `${SHOTS}/viewer-processing.png`, fullPage: true });

  // ---- a ready view
  if (env.READY) {
    const resp = await page.goto(`${GP}/${env.READY}`);
    check(resp.status() === 200, 'ready view: 200', resp.status());
    const h1 = await page.locator('h1.address').innerText();
    check(h1.includes(env.STREET), 'ready view: the address is rendered', h1);
    await waitPano(page);
    const s1 = await canvasStats(page, 'canvas.pano');
    check(s1.lit > s1.total * 0.5 && s1.colours > 50, 'ready view: the 360° canvas shows the panorama (non-blank pixels, many colours)', JSON.stringify(s1));
    const box = await page.locator('canvas.pano').boundingBox();
    await page.mouse.move(box.x + box.width / 2, box.y + box.height / 2);
    await page.mouse.down();
    await page.mouse.move(box.x + box.width / 2 - 250, box.y + box.height / 2 + 40, { steps: 8 });
    await page.mouse.up();
    await page.waitForTimeout(300);
    const s2 = await canvasStats(page, 'canvas.pano');
    check(s2.hash !== s1.hash && s2.lit > s2.total * 0.5, 'ready view: dragging looks around (the picture changes)', JSON.stringify([s1, s2]));
    const picks = await page.locator('button.pano-pick').count();
    if (picks > 1) {
      const before = await page.$eval('canvas.pano', (c) => c.getAttribute('data-current'));
      await page.locator('button.pano-pick').nth(1).click();
      await page.waitForFunction((b) => document.querySelector('canvas.pano').getAttribute('data-current') !== b && document.querySelector('canvas.pano').getAttribute('data-state') === 'ready', before);
      check(true, 'ready view: the panorama list switches the picture');
    } else {
      check(false, 'ready view: the panorama list switches the picture', `only ${picks} panorama(s)`);
    }
    const plans = await imagesLoaded(page, 'img.plan-img');
    check(plans.length > 0 && plans.every((p) => p.done && p.w > 0), 'ready view: every floor-plan image is decoded (naturalWidth > 0)', JSON.stringify(plans));
    check(await page.locator('table.meas').first().isVisible(), 'ready view: the measurements table is visible');
    const meas = await page.locator('#measurements').innerText();
    check(/m²/.test(meas) && /sq ft/.test(meas), 'ready view: measurements in both unit systems', meas.slice(0, 200));
    check(errors.length === 0, 'ready view: no script errors', errors.join('; '));
    await page.screenshot({ path: `${SHOTS}/viewer-ready.png`, fullPage: true });
  }

  // ---- a locked view
  const lr = await page.goto(`${GP}/${env.LOCKED}`);
  check(lr.status() === 200, 'locked view: the page loads (200)', lr.status());
  check(await page.getByText('This iGUIDE has been locked').isVisible(), 'locked view: the locked screen is visible');
  const lockImg = await imagesLoaded(page, '#locked img');
  check(lockImg.length === 1 && lockImg[0].w > 0, 'locked view: the lock image is decoded', JSON.stringify(lockImg));
  check(await page.locator('canvas, img.plan-img, table.meas').count() === 0, 'locked view: no panoramas, floor plans or measurements in the page');
  if (env.READY) {
    // A locked view's media are redirected to the fallback image: an <img> of it still decodes.
    const fallback = await page.evaluate(async (u) => {
      const i = new Image(); i.src = u; await i.decode().catch(() => {}); return i.naturalWidth;
    }, `/${env.LOCKED}/doc/floorplan_metric_en.svg`);
    check(fallback > 0, 'locked view: a floor-plan URL shows the fallback image', fallback);
  }
  await page.screenshot({ path: `${SHOTS}/viewer-locked.png`, fullPage: true });

  // ---- the embed inside an iframe of a page from another origin
  await page.goto(`${HOST}/host.html`);
  const frames = {};
  for (const f of page.frames()) frames[f.url()] = f;
  const embedUrl = `${GP}/embed/${env.READY || env.PROCESSING}`;
  const ef = frames[embedUrl];
  check(!!ef, 'embed: the iframe on another origin loaded the embed', Object.keys(frames).join(' '));
  if (ef) {
    check(await ef.locator('header.bar').count() === 0, 'embed: no page chrome inside the iframe');
    if (env.READY) {
      await waitPano(ef);
      const s = await canvasStats(ef, 'canvas.pano');
      check(s.lit > s.total * 0.5, 'embed: the panorama canvas draws inside the cross-origin iframe', JSON.stringify(s));
      const plans = await imagesLoaded(ef, 'img.plan-img');
      check(plans.length > 0 && plans.every((p) => p.w > 0), 'embed: floor plans decode inside the iframe', JSON.stringify(plans));
    } else {
      check(await ef.getByText('This iGUIDE is being processed').isVisible(), 'embed: the processing screen inside the iframe');
    }
  }
  const lf = frames[`${GP}/embed/${env.LOCKED}`];
  check(!!lf && await lf.getByText('This iGUIDE has been locked').isVisible(), 'embed: a locked view shows the locked screen in the iframe');
  await page.screenshot({ path: `${SHOTS}/viewer-embed.png`, fullPage: true });

  // ---- a protected view: an access token, then (when the server has it) sign-in
  const pc = await browser.newContext({ viewport: { width: 1000, height: 700 } });
  const pp = await pc.newPage();
  const pr = await pp.goto(`${GP}/${env.PROTECTED}?authtoken=${env.AUTHTOKEN}`);
  check(pr.status() === 200 && await pp.locator('h1.address').isVisible(), 'protected view: a valid access token shows the view', pr.status());
  const cookies = await pc.cookies(GP);
  check(cookies.some((c) => c.name.startsWith('gp_at_') && c.httpOnly), 'protected view: the token is kept as an HttpOnly cookie', JSON.stringify(cookies.map((c) => c.name)));
  const again = await pp.goto(`${GP}/${env.PROTECTED}`);
  check(again.status() === 200, 'protected view: the cookie opens the view without the token in the URL', again.status());
  await pc.close();
  if (env.SIGNIN === '1') {
    const sc = await browser.newContext({ viewport: { width: 1000, height: 700 } });
    const sp = await sc.newPage();
    await sp.goto(`${GP}/${env.PROTECTED}`);
    check(new URL(sp.url()).pathname === '/signin', 'sign-in flow: a protected view sends the browser to the sign-in page', sp.url());
    await sp.fill('input[name="email"]', env.USER_EMAIL);
    await sp.fill('input[name="password"]', env.USER_PASSWORD);
    await Promise.all([sp.waitForLoadState('load'), sp.locator('form button[type="submit"], form input[type="submit"]').first().click()]);
    await sp.waitForURL(`${GP}/${env.PROTECTED}`, { timeout: 10000 }).catch(() => {});
    check(new URL(sp.url()).pathname === `/${env.PROTECTED}`, 'sign-in flow: after signing in the browser is back on the view', sp.url());
    check(await sp.locator('h1.address').isVisible(), 'sign-in flow: the view is shown to the signed-in viewer');
    await sp.screenshot({ path: `${SHOTS}/viewer-signed-in.png`, fullPage: true });
    await sc.close();
  }
} catch (e) {
  check(false, 'the browser session ran to the end', e.stack || e);
} finally {
  await browser.close();
}
process.exit(0);
