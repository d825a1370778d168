import { useEffect, useState } from 'react';
import { tableToRows } from '../../core/data/csv';
import { keepFile, neededData, prepareFile, restoreKept, rowsKey } from '../custom-data/data-store';
import { useApp } from '../store/context';

/**
 * Shown while the experiment in the form names data this browser does not have (a link from someone else, a
 * saved run): which file, its hash, and a file input to load it. The rest of the page works on.
 */
export function CustomDataNotice() {
  const needed = useApp((s) => neededData(s.draft));
  const startRun = useApp((s) => s.startRun);
  const key = needed ? rowsKey(needed.sha256, needed.label) : null;
  const have = useApp((s) => (key ? key in s.customData.rows : true));
  const runWhenLoaded = useApp((s) => s.customData.runWhenLoaded);
  const addCustomRows = useApp((s) => s.addCustomRows);
  const setRunWhenLoaded = useApp((s) => s.setRunWhenLoaded);
  const [looking, setLooking] = useState(false);
  const [status, setStatus] = useState<string | null>(null);

  // A copy kept in this browser loads by itself; a link that asked to run then runs.
  useEffect(() => {
    if (!needed || have) return;
    let current = true;
    setLooking(true);
    setStatus(null);
    void restoreKept(needed)
      .then((rows) => rows && addCustomRows(needed.name, rows))
      .finally(() => current && setLooking(false));
    return () => {
      current = false;
    };
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [key]);
  useEffect(() => {
    if (have && needed && runWhenLoaded) {
      setRunWhenLoaded(false);
      startRun();
    }
  }, [have, needed, runWhenLoaded, setRunWhenLoaded, startRun]);

  if (!needed || have) return null;

  const load = async (file: File | undefined) => {
    if (!file) return;
    const prepared = await prepareFile(file);
    if (prepared.sha256 && prepared.sha256 !== needed.sha256) {
      setStatus(
        `"${file.name}" has SHA-256 ${prepared.sha256.slice(0, 16)}…, not ${needed.sha256.slice(0, 16)}…: it is a different file (or a changed copy), so the experiment was not run.`,
      );
      return;
    }
    if (!prepared.table) {
      setStatus(`"${file.name}": ${prepared.problem?.message ?? 'the file could not be read'}`);
      return;
    }
    const rows = tableToRows(prepared.table, needed.label, prepared.sha256);
    if (!rows.ok) {
      setStatus(`"${file.name}": ${rows.error.message}`);
      return;
    }
    setStatus(null);
    addCustomRows(needed.name, rows.value);
    void keepFile(needed.name, needed.sha256, prepared.bytes);
    setRunWhenLoaded(false);
    startRun();
  };

  return (
    <div className="banner notice custom-notice" role="status" data-testid="custom-data-notice">
      <div>
        <p>
          This experiment runs on someone's own data: the file <strong>"{needed.name}"</strong> ({needed.rows} rows, {needed.features} feature column
          {needed.features === 1 ? '' : 's'}, label column "{needed.label}", {needed.classes} classes), SHA-256{' '}
          <code data-testid="custom-notice-hash">{needed.sha256}</code>. Data never leaves a browser, so a link carries only this description.{' '}
          {looking ? 'Looking for it in this browser…' : 'Load the file to run the experiment:'}
        </p>
        <input
          type="file"
          accept=".csv,.tsv,.txt,text/csv"
          aria-label="The data file this experiment needs"
          data-testid="custom-notice-input"
          onChange={(e) => void load(e.target.files?.[0])}
        />
        {status && (
          <p className="custom-error" role="alert" data-testid="custom-notice-status">
            {status}
          </p>
        )}
      </div>
    </div>
  );
}
