import { useEffect, useId, useRef, type KeyboardEvent, type ReactNode, type RefObject } from 'react';
import { Icon } from '../components/Icon';
import { messages } from '../messages';

const FOCUSABLE =
  'a[href], button:not([disabled]), input:not([disabled]):not([type="hidden"]):not([tabindex="-1"]), select:not([disabled]), textarea:not([disabled]), summary, [tabindex]:not([tabindex="-1"])';

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
    return () => {
      if (previous && document.contains(previous)) previous.focus();
    };
    // Only on open: later renders must not steal the focus back.
  }, []);

  function onKeyDown(e: KeyboardEvent) {
    if (e.key === 'Escape') {
      e.stopPropagation();
      if (closableRef.current) onCloseRef.current?.();
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

  return (
    <div className="dlg-backdrop">
      <div
        ref={ref}
        className={`dlg dlg-${props.size ?? 'sm'}`}
        role={props.role ?? 'dialog'}
        aria-modal="true"
        aria-labelledby={titleId}
        tabIndex={-1}
        onKeyDown={onKeyDown}
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
  );
}

/** "Are you sure?" for destructive or irreversible actions. */
export function ConfirmDialog(props: {
  title: string;
  body: ReactNode;
  confirmLabel: string;
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
            {messages.common.cancel}
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
