import { Icon } from '../components/Icon';

/** An inline pt-BR validation message under a field. */
export function FieldError({ id, text }: { id: string; text: string }) {
  return (
    <small id={id} className="qq-error" role="alert">
      <Icon name="alert" size={14} />
      <span>{text}</span>
    </small>
  );
}
