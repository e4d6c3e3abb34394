import type { ReactNode } from 'react';
import { Icon, type IconName } from './Icon';

/** What a section shows before it has data: what it is for and the next step to take. */
export function EmptyState(props: { title: string; body: string; action?: ReactNode; icon?: IconName }) {
  return (
    <div className="empty" role="status">
      <div className="empty-icon">
        <Icon name={props.icon ?? 'logo'} size={44} />
      </div>
      <h2>{props.title}</h2>
      <p>{props.body}</p>
      {props.action ? <div className="empty-action">{props.action}</div> : null}
    </div>
  );
}
