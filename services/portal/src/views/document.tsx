import type { ComponentChildren } from 'preact';
import { renderToString } from 'preact-render-to-string';
import type { VNode } from 'preact';
import { BEACON_SCRIPT_PATH } from '../routes/beacon-script.js';

export interface DocumentProps {
  title: string;
  css: string;
  description?: string;
  themeColor?: string;
  /** the page's icon; none on pages that belong to no face */
  icon?: { href: string; type?: string } | null;
  /** canonical link, feeds, Open Graph, JSON-LD … */
  head?: ComponentChildren;
  /** the first-party reading script (page views, completion, shares); on unless a page opts out */
  analytics?: boolean;
  children: ComponentChildren;
}

/**
 * The HTML shell shared by every page: Chinese, mobile first, styles inline. Scripts are the face's
 * own, same origin and deferred: the reading beacon (`/_b.js`, no cookie) and, on face pages, the
 * header's name script (`/_me.js`, routes/whoami.ts). No inline script.
 */
export function Document(props: DocumentProps) {
  return (
    <html lang="zh-CN">
      <head>
        <meta charset="utf-8" />
        <meta name="viewport" content="width=device-width, initial-scale=1" />
        <title>{props.title}</title>
        {props.description ? <meta name="description" content={props.description} /> : null}
        {props.themeColor ? <meta name="theme-color" content={props.themeColor} /> : null}
        {props.icon ? <link rel="icon" href={props.icon.href} type={props.icon.type} /> : null}
        {props.head}
        <style>{props.css}</style>
        {props.analytics === false ? null : <script src={BEACON_SCRIPT_PATH} defer />}
      </head>
      <body>{props.children}</body>
    </html>
  );
}

/** Renders a whole page; the markup is escaped by preact-render-to-string. */
export function renderDocument(page: VNode): string {
  return `<!DOCTYPE html>${renderToString(page)}`;
}
