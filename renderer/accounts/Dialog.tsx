import { useEffect, useId, useRef, type ReactNode, type RefObject } from 'react';
import { createPortal } from 'react-dom';
import { Icon } from '../components/Icon';
import { messages } from '../messages';

const FOCUSABLE =
  'a[href], button:not([disabled]), input:not([disabled]):not([type="hidden"]):not([tabindex="-1"]), select:not([disabled]), textarea:not([disabled]), summary, [tabindex]:not([tabindex="-1"])';

/**
 * Open dialogs, innermost last. Keys are handled on the document for the innermost one only, so Esc and Tab still
 * work when the focus fell out of the dialog (a button disabled while busy drops the focus to <body>), and a
 * confirmation over the wizard closes alone.
 */
const openDialogs: symbol[] = [];

/**
 * A modal dialog: focus moves in when it opens, Tab stays inside, Esc closes (when `onClose` is given and
 * `closable` is true) and focus returns to where it was when it closes.
 */
export function Dialog(props: {
  title: ReactNode;
  subtitle?: ReactNode;
  children: ReactNode;
  onClose?: () => void;
  closable?: boolean;
  size?: 'sm' | 'lg';
  footer?: ReactNode;
  role?: 'dialog' | 'alertdialog';
  testId?: string;
  /** Element to focus first (defaults to the first focusable element in the body). */
  initialFocus?: RefObject<HTMLElement | null>;
}) {
  const titleId = useId();
  const ref = useRef<HTMLDivElement>(null);
  const closable = props.closable !== false && !!props.onClose;
  const onCloseRef = useRef(props.onClose);
  const closableRef = useRef(closable);
  useEffect(() => {
    onCloseRef.current = props.onClose;
    closableRef.current = closable;
  });

  useEffect(() => {
    const previous = document.activeElement as HTMLElement | null;
    const box = ref.current;
    const first = props.initialFocus?.current ?? box?.querySelector('.dlg-body')?.querySelector<HTMLElement>(FOCUSABLE) ?? box;
    first?.focus();
    const me = Symbol('dialog');
    openDialogs.push(me);
    const onKey = (e: KeyboardEvent) => {
      if (openDialogs[openDialogs.length - 1] === me) onKeyDown(e);
    };
    document.addEventListener('keydown', onKey);
    return () => {
      document.removeEventListener('keydown', onKey);
      openDialogs.splice(openDialogs.indexOf(me), 1);
      if (previous && document.contains(previous)) previous.focus();
    };
    // Only on open: later renders must not steal the focus back.
  }, []);

  function onKeyDown(e: KeyboardEvent) {
    if (e.defaultPrevented) return;
    if (e.key === 'Escape') {
      e.preventDefault();
      if (closableRef.current) onCloseRef.current?.();
      else ref.current?.focus();
      return;
    }
    if (e.key !== 'Tab' || !ref.current) return;
    const items = [...ref.current.querySelectorAll<HTMLElement>(FOCUSABLE)].filter((el) => el.offsetParent !== null || el === document.activeElement);
    if (items.length === 0) {
      e.preventDefault();
      return;
    }
    const firstEl = items[0]!;
    const lastEl = items[items.length - 1]!;
    if (e.shiftKey && (document.activeElement === firstEl || !ref.current.contains(document.activeElement))) {
      e.preventDefault();
      lastEl.focus();
    } else if (!e.shiftKey && (document.activeElement === lastEl || !ref.current.contains(document.activeElement))) {
      e.preventDefault();
      firstEl.focus();
    }
  }

  // On <body>, so a dialog opened from inside another (a confirmation over the wizard) is never clipped by it;
  // the `accounts` class keeps the form styles the dialogs share with the Contas screen.
  return createPortal(
    <div className="accounts dlg-layer">
      <div className="dlg-backdrop">
        <div
          ref={ref}
          className={`dlg dlg-${props.size ?? 'sm'}`}
          role={props.role ?? 'dialog'}
          aria-modal="true"
          aria-labelledby={titleId}
          tabIndex={-1}
          data-testid={props.testId}
        >
          <header className="dlg-head">
            <div>
              <h2 id={titleId}>{props.title}</h2>
              {props.subtitle ? <div className="dlg-subtitle">{props.subtitle}</div> : null}
            </div>
            {props.onClose ? (
              <button type="button" className="icon-btn" aria-label={messages.onboarding.close} onClick={props.onClose} disabled={!closable}>
                <Icon name="close" size={18} />
              </button>
            ) : null}
          </header>
          <div className="dlg-body">{props.children}</div>
          {props.footer ? <footer className="dlg-foot">{props.footer}</footer> : null}
        </div>
      </div>
    </div>,
    document.body,
  );
}

/** "Are you sure?" for destructive or irreversible actions. */
export function ConfirmDialog(props: {
  title: string;
  body: ReactNode;
  confirmLabel: string;
  /** Label of the button that backs out (default "Cancelar"). */
  cancelLabel?: string;
  danger?: boolean;
  busy?: boolean;
  onConfirm: () => void;
  onCancel: () => void;
}) {
  const cancelRef = useRef<HTMLButtonElement>(null);
  return (
    <Dialog
      title={props.title}
      onClose={props.onCancel}
      closable={!props.busy}
      role="alertdialog"
      initialFocus={cancelRef}
      footer={
        <>
          <button type="button" ref={cancelRef} onClick={props.onCancel} disabled={props.busy}>
            {props.cancelLabel ?? messages.common.cancel}
          </button>
          <button type="button" className={props.danger ? 'danger' : 'primary'} onClick={props.onConfirm} disabled={props.busy}>
            {props.confirmLabel}
          </button>
        </>
      }
    >
      <div className="dlg-confirm">
        {props.danger ? (
          <span className="dlg-confirm-icon">
            <Icon name="alert" size={22} />
          </span>
        ) : null}
        <div>{props.body}</div>
      </div>
    </Dialog>
  );
}
