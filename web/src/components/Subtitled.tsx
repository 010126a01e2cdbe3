// A cell's main line with a small grey line under it (a name and its code, a person and their unit).
import { Typography } from 'antd';
import type { ReactNode } from 'react';

export function Subtitled(props: {
  children: ReactNode;
  note: ReactNode;
  noteProps?: Record<`data-${string}`, string | null>;
}) {
  return (
    <div>
      <div>{props.children}</div>
      {props.note !== undefined && props.note !== null && props.note !== '' && (
        <Typography.Text type="secondary" style={{ fontSize: 12 }} {...props.noteProps}>
          {props.note}
        </Typography.Text>
      )}
    </div>
  );
}
