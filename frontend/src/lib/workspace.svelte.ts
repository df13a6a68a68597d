// Clients and accounts, shared by the sidebar, the calendar and the composer.
// Refetched whole on "clients:changed": a freelancer has a handful of clients.
import { clients as clientApi, type Account, type Client, type Workspace } from './api';

/** Display order of networks when the backend cannot be asked. */
export const DEFAULT_NETWORKS = [
  'instagram', 'facebook', 'x', 'linkedin', 'mastodon', 'bluesky', 'threads', 'tiktok', 'pinterest', 'youtube', 'google_business',
];

class WorkspaceStore {
  clients = $state.raw<Client[]>([]); // archived ones too
  accounts = $state.raw<Account[]>([]);
  accountChoices = $state.raw<Record<string, number[]>>({}); // client id → accounts a new post starts with
  networks = $state.raw<string[]>(DEFAULT_NETWORKS);
  loaded = $state(false);

  active = $derived(this.clients.filter((c) => !c.archived));
  archived = $derived(this.clients.filter((c) => c.archived));

  async load(): Promise<void> {
    this.set(await clientApi.workspace(true));
  }

  /** Sets what the backend answered (Workspace, or the page's first screen). */
  set(ws: Workspace, networks?: string[]): void {
    this.clients = ws.clients ?? [];
    this.accounts = ws.accounts ?? [];
    this.accountChoices = ws.accountChoices ?? {};
    if (networks?.length) this.networks = networks;
    this.loaded = true;
  }

  async loadNetworks(): Promise<void> {
    try {
      const n = await clientApi.networks();
      if (n.length) this.networks = n;
    } catch {
      /* keep the built-in order */
    }
  }

  client(id: number): Client | undefined {
    return this.clients.find((c) => c.id === id);
  }

  /** The accounts a new post of the client starts with: the last choice, else all. */
  accountChoice(clientId: number): number[] {
    const ids = this.accounts.filter((a) => a.clientId === clientId).map((a) => a.id);
    const c = this.accountChoices[String(clientId)];
    return c ? ids.filter((id) => c.includes(id)) : ids;
  }

  /** Remembers a choice locally (the backend was told). */
  rememberChoice(clientId: number, ids: number[]): void {
    this.accountChoices = { ...this.accountChoices, [String(clientId)]: [...ids] };
  }

  accountsOf(clientId: number): Account[] {
    const order = (n: string) => {
      const i = this.networks.indexOf(n);
      return i === -1 ? 999 : i;
    };
    return this.accounts
      .filter((a) => a.clientId === clientId)
      .sort((a, b) => order(a.network) - order(b.network) || a.handle.localeCompare(b.handle));
  }
}

export const workspace = new WorkspaceStore();
