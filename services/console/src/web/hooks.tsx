/** @jsxImportSource react */
import { Alert, App, Result } from 'antd';
import type { ReactNode } from 'react';
import { useCallback, useEffect, useRef, useState } from 'react';
import { errorText, gql } from './api.js';

export interface Loaded<T> {
  data: T | null;
  error: string | null;
  loading: boolean;
  reload: () => void;
}

/** Runs a query when its variables change; errors arrive as Chinese text. */
export function useGql<T>(query: string, variables: Record<string, unknown> | null): Loaded<T> {
  const [state, setState] = useState<{ data: T | null; error: string | null; loading: boolean }>({
    data: null,
    error: null,
    loading: variables !== null,
  });
  const [tick, setTick] = useState(0);
  const key = JSON.stringify(variables);
  const seq = useRef(0);
  // a reload (after an action, or a live update) refreshes in place: no loading overlay, no flicker
  const silent = useRef(false);
  useEffect(() => {
    if (variables === null) return;
    const mine = ++seq.current;
    const quiet = silent.current;
    silent.current = false;
    setState((s) => ({ ...s, loading: !quiet, error: null }));
    gql<T>(query, variables).then(
      (data) => mine === seq.current && setState({ data, error: null, loading: false }),
      (err: unknown) => mine === seq.current && setState({ data: null, error: errorText(err), loading: false }),
    );
  }, [query, key, tick]);
  const reload = useCallback(() => {
    silent.current = true;
    setTick((n) => n + 1);
  }, []);
  return { ...state, reload };
}

/** Shown on a screen the viewer may read but not change (the API's capabilities say so). */
export function ReadOnlyNote({ text }: { text?: string }) {
  return (
    <Alert
      type="info"
      showIcon
      message={text ?? '您可以查看，但没有修改权限'}
      style={{ marginBottom: 16 }}
      data-testid="read-only"
    />
  );
}

/** A screen the viewer's roles do not open (the route or the API's capabilities say so). */
export function Forbidden({ title, subTitle, extra }: { title: string; subTitle?: string; extra?: ReactNode }) {
  return (
    <div data-testid="forbidden">
      <Result status="403" title={title} subTitle={subTitle} extra={extra} />
    </div>
  );
}

export function ErrorBox({ error }: { error: string | null }) {
  return error ? (
    <Alert type="error" showIcon message={error} style={{ marginBottom: 16 }} data-testid="error" />
  ) : null;
}

/** A dialog's subject (what it is open on; null while closed), and the close that reloads the screen when the dialog changed something. */
export interface Dialog<T> {
  subject: T | null;
  open: (subject: T) => void;
  close: (changed?: boolean) => void;
}

export function useDialog<T>(reload: () => void, initial: T | null = null): Dialog<T> {
  const [subject, setSubject] = useState<T | null>(initial);
  return {
    subject,
    open: setSubject,
    close: (changed) => {
      setSubject(null);
      if (changed) reload();
    },
  };
}

/** A dialog's busy flag around its work; a failure becomes a Chinese error toast. */
export function useBusy(): { busy: boolean; run: (work: () => Promise<void>) => Promise<void> } {
  const { message } = App.useApp();
  const [busy, setBusy] = useState(false);
  const run = async (work: () => Promise<void>) => {
    setBusy(true);
    try {
      await work();
    } catch (err) {
      message.error(errorText(err));
    } finally {
      setBusy(false);
    }
  };
  return { busy, run };
}

/**
 * A form dialog's save: `work` runs with `saving` up, then the success toast and onClose(true); a
 * failure stays in the dialog as `error` (for its ErrorBox).
 */
export function useSave(onClose: (saved: boolean) => void) {
  const { message } = App.useApp();
  const [saving, setSaving] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const save = async (work: () => Promise<unknown>, done: string) => {
    setSaving(true);
    setError(null);
    try {
      await work();
      message.success(done);
      onClose(true);
    } catch (err) {
      setError(errorText(err));
    } finally {
      setSaving(false);
    }
  };
  return { saving, error, save };
}

/** Debounced value, for checks while typing. */
export function useDebounced<T>(value: T, ms: number): T {
  const [v, setV] = useState(value);
  useEffect(() => {
    const timer = setTimeout(() => setV(value), ms);
    return () => clearTimeout(timer);
  }, [value, ms]);
  return v;
}
