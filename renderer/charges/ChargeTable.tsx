import { useVirtualizer } from '@tanstack/react-virtual';
import { memo, useEffect, useRef } from 'react';
import type { ChargeListItem } from '../../main/core/contract/types';
import { formatBRL, formatDateTime } from '../format';
import { messages } from '../messages';
import type { ChargeRows } from './useChargeRows';

/** Fixed row height: 1,000,000 rows × 30 px stays under Chromium's ~33.5 million px limit for one element. */
export const ROW_HEIGHT = 30;

function Cells({ r, accountName }: { r: ChargeListItem; accountName: (id: string) => string }) {
  const m = messages.charges;
  return (
    <>
      <span className="c-date">{formatDateTime(r.createdAt)}</span>
      <span className="c-status">
        <span className={`chip st-${r.status}`}>{m.status[r.status] ?? r.status}</span>
      </span>
      <span className="c-amount">{formatBRL(r.amountCents, 'cents')}</span>
      <span className="c-payer" title={r.payerDocument ?? undefined}>
        {r.payerName ?? ''}
        {r.payerDocument ? <small> {r.payerDocument}</small> : null}
      </span>
      <span className="c-desc">{r.description ?? ''}</span>
      <span className="c-till">{r.till ?? ''}</span>
      <span className="c-account">{accountName(r.accountId)}</span>
      <code className="c-txid">{r.txid}</code>
    </>
  );
}

interface RowProps {
  index: number;
  start: number;
  r: ChargeListItem | undefined;
  selected: boolean;
  onOpen: (id: string) => void;
  accountName: (id: string) => string;
}

/**
 * One row, memoised: a row's offset is fixed by its index, so while scrolling only the rows entering the view (and
 * the ones whose page just arrived) render; the rows already on screen are left alone. Keeps a frame's script time
 * flat (bench/charges-scroll.bench.ts).
 */
const Row = memo(function Row({ index, start, r, selected, onOpen, accountName }: RowProps) {
  return (
    <div
      role="row"
      aria-rowindex={index + 2}
      data-index={index}
      className={`ct-row${selected ? ' selected' : ''}${r ? '' : ' loading'}`}
      style={{ transform: `translateY(${start}px)`, height: ROW_HEIGHT }}
      tabIndex={r ? 0 : -1}
      onClick={() => r && onOpen(r.id)}
      onKeyDown={(e) => {
        if (r && (e.key === 'Enter' || e.key === ' ')) {
          e.preventDefault();
          onOpen(r.id);
        }
      }}
    >
      {r ? <Cells r={r} accountName={accountName} /> : <span className="ct-skel">{messages.charges.rowLoading}</span>}
    </div>
  );
});

/**
 * The virtualised Cobranças table: only the rows in view (plus a margin) are in the DOM, whatever the count; the
 * pages around the viewport are fetched as it moves.
 */
export function ChargeTable(props: { rows: ChargeRows; selected: string | null; onOpen: (id: string) => void; accountName: (id: string) => string }) {
  const { rows } = props;
  const count = rows.summary?.count ?? 0;
  const scrollRef = useRef<HTMLDivElement>(null);
  const v = useVirtualizer({ count, getScrollElement: () => scrollRef.current, estimateSize: () => ROW_HEIGHT, overscan: 15 });
  const items = v.getVirtualItems();
  const first = items[0]?.index ?? 0;
  const last = items[items.length - 1]?.index ?? 0;
  const { ensure } = rows;

  useEffect(() => {
    // Fetch the pages in view and the next one ahead of the scroll.
    if (count) ensure(first, last + 100);
  }, [first, last, count, ensure]);

  const c = messages.charges.columns;
  return (
    <div className="ct" role="table" aria-label={messages.charges.tableLabel} aria-rowcount={count}>
      <div className="ct-row ct-head" role="row">
        {[c.createdAt, c.status, c.amount, c.payer, c.description, c.till, c.account, c.txid].map((h) => (
          <span key={h} role="columnheader">
            {h}
          </span>
        ))}
      </div>
      <div className="ct-scroll" ref={scrollRef} data-testid="charges-scroll">
        <div style={{ height: v.getTotalSize(), position: 'relative' }}>
          {items.map((it) => {
            const r = rows.row(it.index);
            return <Row key={it.key} index={it.index} start={it.start} r={r} selected={!!r && r.id === props.selected} onOpen={props.onOpen} accountName={props.accountName} />;
          })}
        </div>
      </div>
    </div>
  );
}
