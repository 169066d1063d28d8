import { isCurrent, type NavLink } from './face-view.js';

export function Navigation({ links, path }: { links: NavLink[]; path: string | null }) {
  if (links.length === 0) return null;
  return (
    <nav class="site-nav" aria-label="主导航">
      <ul>
        {links.map((link, i) => (
          <li key={i}>
            <a
              href={link.href}
              rel={link.external ? 'noopener' : undefined}
              aria-current={isCurrent(link, path) ? 'page' : undefined}
            >
              {link.label}
            </a>
          </li>
        ))}
      </ul>
    </nav>
  );
}
