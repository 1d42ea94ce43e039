/**
 * Starting and cancelling a target's backup (shown only when `viewer.canOperate`). Each action
 * asks to be confirmed in place (the button turns into a confirm/dismiss pair), is sent once
 * (disabled while in flight; a second click of a double click is ignored), and a start carries an
 * idempotency key: a retry after an answer that never came sends the same key, so the API returns
 * the first outcome instead of starting a second backup. The outcome, or the error with its code,
 * is said in a live region.
 */
import { useEffect, useRef, useState } from 'preact/hooks';
import { ask, ApiUnavailable, type ApiError } from '../api';
import type { BackupMode } from '../gql/graphql';
import type { LiveBackup } from '../live';
import { CancelBackupMutation, StartBackupMutation } from '../queries';

type Step = 'idle' | 'confirm-start' | 'confirm-cancel';
type Outcome = { ok: boolean; text: string } | null;

/** A fresh idempotency key (`crypto.randomUUID` needs a secure context; the fallback does not). */
function newKey(): string {
  if (typeof crypto.randomUUID === 'function') return crypto.randomUUID();
  const bytes = crypto.getRandomValues(new Uint8Array(16));
  bytes[6] = (bytes[6]! & 0x0f) | 0x40;
  bytes[8] = (bytes[8]! & 0x3f) | 0x80;
  const hex = [...bytes].map((b) => b.toString(16).padStart(2, '0')).join('');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

/** An error as the page says it: the message, then its code (and the upstream's own). */
function describe(error: unknown): { text: string; known: boolean } {
  if (error instanceof ApiUnavailable && error.errors.length) {
    const first: ApiError = error.errors[0]!;
    const ext = first.extensions ?? {};
    const codes = [ext.code, ext.upstreamCode].filter((c): c is string => typeof c === 'string' && c !== '');
    return { text: `${first.message}${codes.length ? ` (${codes.join(', ')})` : ''}`, known: true };
  }
  return { text: error instanceof Error ? error.message : String(error), known: false };
}

export function BackupActions({
  target,
  kind,
  running,
  onBackup,
  onChanged,
}: {
  target: string;
  kind: 'ObTenant' | 'DcsInstance' | 'RdsInstance';
  /** Whether one of its backups runs now (an OceanBase one can be cancelled). */
  running: boolean;
  /** A backup the API says it started or is cancelling. */
  onBackup: (backup: LiveBackup) => void;
  /** Something changed: the coverage is read again. */
  onChanged: () => void;
}) {
  const [mode, setMode] = useState<BackupMode>('FULL');
  const [step, setStep] = useState<Step>('idle');
  const [busy, setBusy] = useState<'start' | 'cancel' | null>(null);
  const [outcome, setOutcome] = useState<Outcome>(null);
  const inFlight = useRef(false);
  /** The key of a start whose outcome is unknown (no answer came): a retry sends it again. */
  const pendingKey = useRef<string | null>(null);
  const confirmButton = useRef<HTMLButtonElement>(null);
  const canCancel = kind === 'ObTenant' && running;

  // The confirm button takes the focus (a keyboard user goes on from where they were).
  useEffect(() => {
    if (step !== 'idle') confirmButton.current?.focus();
  }, [step]);
  // Nothing left to cancel: the cancel step goes.
  useEffect(() => {
    if (!canCancel && step === 'confirm-cancel') setStep('idle');
  }, [canCancel, step]);

  const start = async (event: MouseEvent) => {
    // The second click of a double click (the first one turned the button into this one) is no confirmation.
    if (event.detail > 1 || inFlight.current) return;
    inFlight.current = true;
    const idempotencyKey = (pendingKey.current ??= newKey());
    setBusy('start');
    setStep('idle');
    setOutcome(null);
    try {
      const input = kind === 'ObTenant' ? { target, mode, idempotencyKey } : { target, idempotencyKey };
      const { data } = await ask(StartBackupMutation, { input });
      pendingKey.current = null;
      const payload = data.startBackup;
      for (const backup of payload.backups.length ? payload.backups : payload.backup ? [payload.backup] : []) onBackup(backup);
      const shown = payload.backup;
      setOutcome({
        ok: true,
        text: payload.replayed
          ? `This backup was started already${shown ? ` (${shown.status})` : ''}.`
          : shown
            ? `Backup started (${shown.status}).`
            : 'Backup started; it shows here once the source lists it.',
      });
      onChanged();
    } catch (error) {
      const { text, known } = describe(error);
      // An answer (a refusal) settles it; without one, a retry keeps the key.
      if (known) pendingKey.current = null;
      setOutcome({ ok: false, text: known ? `The backup was not started: ${text}` : `No answer (${text}): it may have started. Start again to retry safely.` });
    } finally {
      inFlight.current = false;
      setBusy(null);
    }
  };

  const cancel = async (event: MouseEvent) => {
    if (event.detail > 1 || inFlight.current) return;
    inFlight.current = true;
    setBusy('cancel');
    setStep('idle');
    setOutcome(null);
    try {
      const { data } = await ask(CancelBackupMutation, { input: { target } });
      const backup = data.cancelBackup.backup;
      if (backup) onBackup(backup);
      setOutcome({ ok: true, text: `Cancel requested${backup ? ` (${backup.status})` : ''}.` });
      onChanged();
    } catch (error) {
      setOutcome({ ok: false, text: `The backup was not cancelled: ${describe(error).text}` });
    } finally {
      inFlight.current = false;
      setBusy(null);
    }
  };

  return (
    <section class="backup-actions" aria-labelledby="actions-title">
      <h3 id="actions-title">Actions</h3>
      <div class="action-row">
        {kind === 'ObTenant' ? (
          <label class="mode">
            <span>Backup mode</span>
            <select
              name="mode"
              value={mode}
              disabled={busy !== null || step === 'confirm-start'}
              onChange={(e) => {
                setMode(e.currentTarget.value as BackupMode);
                // Another input is another request: the same key would be refused.
                pendingKey.current = null;
              }}
            >
              <option value="FULL">Full</option>
              <option value="INCREMENTAL">Incremental</option>
            </select>
          </label>
        ) : null}
        <span class="action-pair">
          {step === 'confirm-start' ? (
            <>
              <button type="button" ref={confirmButton} onClick={(e) => void start(e)}>
                Confirm start?
              </button>
              <button type="button" class="secondary" onClick={() => setStep('idle')}>
                Cancel
              </button>
            </>
          ) : (
            <button type="button" disabled={busy !== null} onClick={() => setStep('confirm-start')}>
              {busy === 'start' ? 'Starting…' : 'Start backup'}
            </button>
          )}
        </span>
        {canCancel || busy === 'cancel' ? (
          <span class="action-pair">
            {step === 'confirm-cancel' ? (
              <>
                <button type="button" class="danger" ref={confirmButton} onClick={(e) => void cancel(e)}>
                  Confirm cancel?
                </button>
                <button type="button" class="secondary" onClick={() => setStep('idle')}>
                  Keep it running
                </button>
              </>
            ) : (
              <button type="button" class="secondary" disabled={busy !== null} onClick={() => setStep('confirm-cancel')}>
                {busy === 'cancel' ? 'Cancelling…' : 'Cancel backup'}
              </button>
            )}
          </span>
        ) : null}
      </div>
      <p class={outcome && !outcome.ok ? 'action-outcome error' : 'action-outcome'} role="status" aria-live="polite">
        {outcome?.text ?? ''}
      </p>
    </section>
  );
}
