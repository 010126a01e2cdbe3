// A page's title, and the line under it saying what the page is for.
import { Typography } from 'antd';
import type { ReactNode } from 'react';

export function PageTitle({ title, intro }: { title: ReactNode; intro?: ReactNode }) {
  return (
    <>
      <Typography.Title level={3} className="page-title">
        {title}
      </Typography.Title>
      {intro !== undefined && <Typography.Paragraph type="secondary">{intro}</Typography.Paragraph>}
    </>
  );
}
