import type { DatabaseHandle } from '../../server/db/connect';
import { listResponses } from '../../server/survey/survey.repository';
import type { RemoteBrowser } from '../helpers/remote-browser';
import { median, timeRuns } from './timing';

/** Median time to serve the coach's report page, signed in, one request at a time. */
export async function timeReportPage(browser: RemoteBrowser, roundId: string, runs = 30, warmups = 5): Promise<number> {
  const fetchPage = async () => {
    const page = await browser.get(`/rounds/${roundId}/report`);
    if (page.status !== 200) throw new Error(`The report page answered ${page.status}: ${page.text.slice(0, 300)}`);
  };
  return median(await timeRuns(fetchPage, runs, warmups));
}

/** The floor under the page: reading the round's responses (and parsing their JSON) from the same database. */
export async function timeResponseRows(handle: DatabaseHandle, roundId: string, runs = 30, warmups = 5): Promise<number> {
  return median(await timeRuns(() => listResponses(handle.db, roundId), runs, warmups));
}

/** Bytes a rater's browser downloads to show the survey: the page and every stylesheet it links, in KiB. */
export async function surveyPageKb(baseUrl: string, token: string): Promise<{ kb: number; htmlBytes: number; cssBytes: number }> {
  const page = await fetch(`${baseUrl}/s/${token}`);
  const html = Buffer.from(await page.arrayBuffer());
  if (page.status !== 200) throw new Error(`The survey page answered ${page.status}`);
  const stylesheets = [...html.toString('utf8').matchAll(/<link[^>]+rel="stylesheet"[^>]+href="([^"]+)"/g)].map((match) => match[1]!.replace(/&amp;/g, '&'));
  if (stylesheets.length === 0) throw new Error('The survey page links no stylesheet');
  let cssBytes = 0;
  for (const href of stylesheets) {
    const css = await fetch(new URL(href, baseUrl));
    cssBytes += (await css.arrayBuffer()).byteLength;
  }
  return { kb: (html.byteLength + cssBytes) / 1024, htmlBytes: html.byteLength, cssBytes };
}
