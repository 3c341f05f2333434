'use client';
import type { HTMLAttributes } from 'react';
import { handleSignOutAction } from '../actions.js';
import { useAuth } from './authkit-provider.js';

/**
 * Props of {@link Impersonation}: where the banner sits, where to go after stopping, and any
 * attribute of its root `div`.
 */
export interface ImpersonationProps extends HTMLAttributes<HTMLDivElement> {
  side?: 'top' | 'bottom';
  returnTo?: string;
}

/**
 * A banner shown while an admin impersonates the user, with a button that ends the
 * impersonation (signs out). Renders nothing otherwise.
 *
 * @example
 * ```tsx
 * <AuthKitProvider>
 *   <Impersonation side="top" />
 *   {children}
 * </AuthKitProvider>
 * ```
 */
export function Impersonation({ side = 'bottom', returnTo, style, ...props }: ImpersonationProps) {
  const { user, impersonator } = useAuth();
  if (!user || !impersonator) return null;
  return (
    <div
      {...props}
      data-workos-impersonation-root=""
      role="status"
      style={{
        position: 'fixed',
        left: 0,
        right: 0,
        [side]: 0,
        zIndex: 9999,
        display: 'flex',
        justifyContent: 'center',
        gap: '0.75em',
        alignItems: 'baseline',
        padding: '0.4em 1em',
        background: 'var(--workos-impersonation-background-color, #fce654)',
        color: 'var(--workos-impersonation-color, #1a1600)',
        font: '14px system-ui, sans-serif',
        ...style,
      }}
    >
      <span>
        You are impersonating <b>{user.email}</b>
      </span>
      <form
        onSubmit={async (event) => {
          event.preventDefault();
          await handleSignOutAction({ returnTo });
        }}
      >
        <button type="submit">Stop</button>
      </form>
    </div>
  );
}
