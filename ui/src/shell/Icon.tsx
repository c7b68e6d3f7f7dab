/**
 * A handful of 16 px line icons drawn inline: no icon font or network, and they take the text
 * colour so they follow light/dark automatically.
 */
const PATHS = {
  users: (
    <>
      <circle cx="6" cy="5.5" r="2.3" />
      <path d="M1.8 13.5c0-2.4 1.9-3.9 4.2-3.9s4.2 1.5 4.2 3.9" />
      <path d="M10.5 3.4a2.2 2.2 0 0 1 0 4.3M11.6 9.8c1.6.4 2.6 1.7 2.6 3.7" />
    </>
  ),
  person: (
    <>
      <circle cx="8" cy="5.3" r="2.6" />
      <path d="M3 13.8c0-2.7 2.2-4.3 5-4.3s5 1.6 5 4.3" />
    </>
  ),
  company: (
    <>
      <rect x="3" y="2" width="10" height="12" rx="1" />
      <path d="M5.8 4.8h1M9.2 4.8h1M5.8 7.6h1M9.2 7.6h1M7 14v-3h2v3" />
    </>
  ),
  // A funnel: a saved filter (segment).
  filter: <path d="M2.5 3h11l-4.2 5.2v4.3l-2.6 1.3V8.2z" />,
  // Two overlapping cards: the same customer entered twice.
  duplicate: (
    <>
      <rect x="2.5" y="2.5" width="8" height="8" rx="1.2" />
      <path d="M5.5 13.5h6.8a1.2 1.2 0 0 0 1.2-1.2V5.5" />
    </>
  ),
  trash: <path d="M2.8 4.4h10.4M6.3 4.4V2.8h3.4v1.6M4.3 4.4l.7 9.2h6l.7-9.2" />,
  calendar: (
    <>
      <rect x="2.5" y="3.5" width="11" height="10" rx="1.5" />
      <path d="M2.5 6.7h11M5.5 2v3M10.5 2v3" />
    </>
  ),
  briefcase: (
    <>
      <rect x="2" y="5" width="12" height="8.5" rx="1.5" />
      <path d="M6 5V3.5h4V5M2 9h12" />
    </>
  ),
  target: (
    <>
      <circle cx="8" cy="8" r="5.5" />
      <circle cx="8" cy="8" r="2.4" />
    </>
  ),
  file: <path d="M4 2h5l3 3v9H4zM9 2v3h3M6 8h4M6 10.5h4" />,
  contract: <path d="M4 2h5l3 3v9H4zM9 2v3h3M6 10l1.4 1.4L10 8.8" />,
  lifebuoy: (
    <>
      <circle cx="8" cy="8" r="5.5" />
      <circle cx="8" cy="8" r="2.2" />
      <path d="M4.1 4.1l2.3 2.3M9.6 9.6l2.3 2.3M11.9 4.1 9.6 6.4M6.4 9.6l-2.3 2.3" />
    </>
  ),
  megaphone: <path d="M2.5 6.3v3.4h2.2l5.3 3V3.3l-5.3 3zM12.2 6a2.6 2.6 0 0 1 0 4" />,
  chart: <path d="M2.5 13.5h11M4.5 11V8M8 11V4M11.5 11V6.5" />,
  settings: (
    <>
      <path d="M2.5 4.5h11M2.5 8h11M2.5 11.5h11" />
      <circle cx="5.5" cy="4.5" r="1.4" fill="var(--color-bg-subtle)" />
      <circle cx="10.5" cy="8" r="1.4" fill="var(--color-bg-subtle)" />
      <circle cx="7" cy="11.5" r="1.4" fill="var(--color-bg-subtle)" />
    </>
  ),
  search: (
    <>
      <circle cx="7" cy="7" r="4.3" />
      <path d="M10.3 10.3 13.8 13.8" />
    </>
  ),
  plus: <path d="M8 3v10M3 8h10" />,
  command: <path d="M5.5 2.5a2 2 0 1 0 0 4h5a2 2 0 1 0-2-2v7a2 2 0 1 0 2-2h-5a2 2 0 1 0 2 2v-7a2 2 0 0 0-2-2z" />,
  sidebar: (
    <>
      <rect x="2" y="3" width="12" height="10" rx="1.5" />
      <path d="M6 3v10" />
    </>
  ),
  back: <path d="M9.5 3.5 5 8l4.5 4.5" />,
  // Activity kinds (meetings use "users").
  phone: <path d="M5.6 2.5H3.8a1 1 0 0 0-1 1.1c.5 5.3 4.7 9.5 10 10a1 1 0 0 0 1.1-1v-1.8l-2.6-1.1-1.3 1.3a7.5 7.5 0 0 1-3.4-3.4l1.3-1.3z" />,
  pin: (
    <>
      <path d="M8 14s4.5-4.1 4.5-7.5a4.5 4.5 0 0 0-9 0C3.5 9.9 8 14 8 14z" />
      <circle cx="8" cy="6.5" r="1.6" />
    </>
  ),
  mail: (
    <>
      <rect x="2" y="3.5" width="12" height="9" rx="1.5" />
      <path d="m2.5 4.5 5.5 4.3 5.5-4.3" />
    </>
  ),
  note: <path d="M10.8 2.7 13.3 5.2 6 12.5l-3.2.7.7-3.2zM9.3 4.2l2.5 2.5" />,
  // A private record: seen by its owner and the team's managers only.
  lock: (
    <>
      <rect x="3.5" y="7" width="9" height="6.5" rx="1.2" />
      <path d="M5.5 7V5a2.5 2.5 0 0 1 5 0v2" />
    </>
  ),
} as const;

export type IconName = keyof typeof PATHS;

export function Icon({ name, size = 16, className }: { name: IconName; size?: number; className?: string }) {
  return (
    <svg
      className={className}
      width={size}
      height={size}
      viewBox="0 0 16 16"
      fill="none"
      stroke="currentColor"
      strokeWidth={1.4}
      strokeLinecap="round"
      strokeLinejoin="round"
      aria-hidden="true"
      focusable="false"
    >
      {PATHS[name]}
    </svg>
  );
}
