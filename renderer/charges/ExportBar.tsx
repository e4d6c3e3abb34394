import { useEffect, useRef, useState } from 'react';
import type { ChargeListFilter, ExportFormat, ExportJobView } from '../../main/core/contract/types';
import { call } from '../bridge';
import { downloadInPieces } from '../download';
import { messages } from '../messages';
import { useApp } from '../store';

const n = (x: number) => x.toLocaleString('pt-BR');

/** Read a finished export in pieces and hand it to the browser as a download. */
function download(job: ExportJobView): Promise<string | null> {
  const type = job.format === 'csv' ? 'text/csv;charset=utf-8' : 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';
  return downloadInPieces((offset) => call('charges:exportRead', { id: job.id, offset }), job.fileName, type);
}

/**
 * Export of the filtered rows: main writes the file in chunks and reports progress (live events where the shell
 * has them, else a light poll); the bar can cancel; when done the file is downloaded.
 */
export function ExportBar({ filter }: { filter: ChargeListFilter }) {
  const m = messages.charges.export;
  const notify = useApp((s) => s.notify);
  const [job, setJob] = useState<ExportJobView | null>(null);
  const [phase, setPhase] = useState<'idle' | 'running' | 'downloading'>('idle');
  const jobId = useRef<string | null>(null);

  useEffect(() => {
    return window.pixdesk?.subscribe?.((e) => {
      if (e.name === 'charges:export-progress' && e.payload.id === jobId.current) setJob(e.payload);
    });
  }, []);

  useEffect(() => {
    if (phase !== 'running' || !job) return;
    if (job.state === 'done') {
      setPhase('downloading');
      void download(job).then((err) => {
        setPhase('idle');
        jobId.current = null;
        if (err) notify('error', err);
        else notify('ok', m.done(n(job.rows), job.fileName));
      });
      return;
    }
    if (job.state === 'cancelled' || job.state === 'failed') {
      setPhase('idle');
      jobId.current = null;
      notify(job.state === 'failed' ? 'error' : 'ok', job.state === 'failed' ? (job.error ?? m.failed) : m.cancelled);
      return;
    }
    const t = window.setTimeout(() => {
      void call('charges:exportStatus', { id: job.id }).then((r) => r.ok && jobId.current === r.value.id && setJob(r.value));
    }, 250);
    return () => window.clearTimeout(t);
  }, [job, phase, notify, m]);

  const start = async (format: ExportFormat) => {
    const r = await call('charges:exportStart', { filter, format });
    if (!r.ok) return notify('error', r.error.message);
    jobId.current = r.value.id;
    setJob(r.value);
    setPhase('running');
  };

  if (phase === 'idle') {
    return (
      <div className="ce">
        <button type="button" onClick={() => void start('csv')}>
          {m.csv}
        </button>
        <button type="button" onClick={() => void start('xlsx')}>
          {m.xlsx}
        </button>
      </div>
    );
  }
  const pct = job && job.total ? Math.min(100, Math.round((job.rows / job.total) * 100)) : 0;
  return (
    <div className="ce running" data-testid="export-progress">
      <progress max={100} value={pct} aria-label={phase === 'downloading' ? m.downloading : m.preparing} />
      <span>{phase === 'downloading' ? m.downloading : job && job.total ? m.progress(n(job.rows), n(job.total)) : m.preparing}</span>
      {phase === 'running' && job ? (
        <button type="button" onClick={() => void call('charges:exportCancel', { id: job.id })}>
          {m.cancel}
        </button>
      ) : null}
    </div>
  );
}
