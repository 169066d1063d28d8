import { Document } from './document.js';
import { platformCss } from './styles.js';

export interface PlatformPageProps {
  heading: string;
  message: string;
  /** the request id, so a visitor can quote it to support; never error detail */
  reference?: string;
}

/** Pages that belong to no face: unknown site and errors. Plain platform look. */
export function PlatformPage({ heading, message, reference }: PlatformPageProps) {
  return (
    <Document title={heading} css={platformCss()}>
      <main id="main" class="platform">
        <h1>{heading}</h1>
        <p>{message}</p>
        {reference ? <p class="reference">参考编号：{reference}</p> : null}
      </main>
    </Document>
  );
}

export function SiteNotFoundPage() {
  return <PlatformPage heading="未找到该站点" message="您访问的网址没有对应的融媒体门户，请检查网址是否正确。" />;
}
