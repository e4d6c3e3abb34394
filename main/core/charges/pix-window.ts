import type { ItauPixClient, PixAnswer } from '../itau/pix-client';
import { toBankQueryTime } from './bank-time';

/** Longest window asked in one `GET /pix` series (banks limit the span; a day keeps every answer small). */
export const MAX_WINDOW_MS = 24 * 3600_000;
const MAX_PAGES = 100_000;

/**
 * The pages of `GET /pix` for [fromMs, toMs], split into windows of at most a day, with `inicio`/`fim` in whole
 * seconds and `-03:00` (Itaú rejects milliseconds). Paging stops once the reported total is reached, on an empty
 * page, or on a total of 0 (Itaú reports 100 pages for an empty window).
 */
export async function* pixPages(
  client: ItauPixClient,
  fromMs: number,
  toMs: number,
  o: { pageSize?: number; txid?: string } = {},
): AsyncGenerator<{ items: PixAnswer[]; fromMs: number; toMs: number }> {
  const size = o.pageSize ?? 1000;
  for (let start = fromMs; start < toMs; start += MAX_WINDOW_MS) {
    const end = Math.min(toMs, start + MAX_WINDOW_MS);
    const inicio = toBankQueryTime(start);
    // Round the end up to the next whole second so nothing of the last second is left out (windows overlap).
    const fim = toBankQueryTime(Math.ceil(end / 1000) * 1000);
    let seen = 0;
    for (let page = 0; page < MAX_PAGES; page++) {
      const ans = await client.listPix({ inicio, fim, page, size, txid: o.txid });
      const total = ans.parametros.paginacao.quantidadeTotalDeItens;
      const items = ans.pix ?? [];
      if (total === 0 || items.length === 0) break;
      yield { items, fromMs: Math.floor(start / 1000) * 1000, toMs: Math.ceil(end / 1000) * 1000 };
      seen += items.length;
      if (seen >= total) break;
      const pages = ans.parametros.paginacao.quantidadeDePaginas;
      if (pages !== undefined && page + 1 >= pages) break;
    }
  }
}
