import type { ComponentChildren } from 'preact';
import { renderToString } from 'preact-render-to-string';
import type { VNode } from 'preact';

export interface DocumentProps {
  title: string;
  css: string;
  description?: string;
  themeColor?: string;
  iconUrl?: string | null;
  /** canonical link, feeds, Open Graph, JSON-LD … */
  head?: ComponentChildren;
  children: ComponentChildren;
}

/** The HTML shell shared by every page: Chinese, mobile first, styles inline, no scripts. */
export function Document(props: DocumentProps) {
  return (
    <html lang="zh-CN">
      <head>
        <meta charset="utf-8" />
        <meta name="viewport" content="width=device-width, initial-scale=1" />
        <title>{props.title}</title>
        {props.description ? <meta name="description" content={props.description} /> : null}
        {props.themeColor ? <meta name="theme-color" content={props.themeColor} /> : null}
        {props.iconUrl ? <link rel="icon" href={props.iconUrl} /> : null}
        {props.head}
        <style>{props.css}</style>
      </head>
      <body>{props.children}</body>
    </html>
  );
}

/** Renders a whole page; the markup is escaped by preact-render-to-string. */
export function renderDocument(page: VNode): string {
  return `<!DOCTYPE html>${renderToString(page)}`;
}
