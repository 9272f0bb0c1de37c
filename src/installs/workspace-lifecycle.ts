/**
 * A workspace leaving or coming back. Leaving (the app uninstalled, or its bot token revoked): its
 * tokens are deleted and its digest subscriptions made dormant, so the scheduler stops posting there
 * while the subscriptions and what they were shown stay. Installing again reactivates exactly the
 * subscriptions that leaving paused; one paused for another reason (the bot removed from a channel)
 * stays paused.
 *
 * Keys are opaque here: the surface says which installation keys and which conversation-key prefix
 * make up the workspace.
 */
import type { Store } from '../store/store.ts';
import type { SealedInstalls } from './sealed-installs.ts';

export const REMOVAL_REASONS = ['app_uninstalled', 'tokens_revoked'] as const;
export type RemovalReason = (typeof REMOVAL_REASONS)[number];

export interface WorkspaceRemoval {
  readonly installationKeys: readonly string[];
  /** Every conversation key of the workspace starts with it. */
  readonly conversationPrefix: string;
  readonly reason: RemovalReason;
}

export async function workspaceRemoved(
  store: Store,
  installs: SealedInstalls | undefined,
  removal: WorkspaceRemoval,
): Promise<{ tokensDeleted: number; subscriptionsPaused: number }> {
  let tokensDeleted = 0;
  for (const key of removal.installationKeys) if (await installs?.remove(key)) tokensDeleted += 1;
  let subscriptionsPaused = 0;
  for (const subscription of await store.subscriptions.listUnder(removal.conversationPrefix)) {
    if (subscription.status !== 'active') continue;
    if (await store.subscriptions.markDormant(subscription.channelKey, removal.reason)) subscriptionsPaused += 1;
  }
  return { tokensDeleted, subscriptionsPaused };
}

/** Reactivates the workspace's subscriptions that a removal paused; returns how many. */
export async function workspaceInstalled(store: Store, conversationPrefix: string): Promise<number> {
  let reactivated = 0;
  for (const subscription of await store.subscriptions.listUnder(conversationPrefix)) {
    const reason = subscription.dormant?.reason;
    if (!reason || !(REMOVAL_REASONS as readonly string[]).includes(reason)) continue;
    if (await store.subscriptions.reactivate(subscription.channelKey)) reactivated += 1;
  }
  return reactivated;
}

/** The two operations bound to one store, as the surfaces receive them. */
export interface Workspaces {
  removed(removal: WorkspaceRemoval): Promise<{ tokensDeleted: number; subscriptionsPaused: number }>;
  installed(conversationPrefix: string): Promise<number>;
}

export function workspaces(store: Store, installs: SealedInstalls | undefined): Workspaces {
  return {
    removed: (removal) => workspaceRemoved(store, installs, removal),
    installed: (prefix) => workspaceInstalled(store, prefix),
  };
}
