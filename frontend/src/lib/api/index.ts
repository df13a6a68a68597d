// The only module that imports the generated Wails bindings. Every call
// resolves with typed data or throws an ApiError; events hand back their
// unsubscribe function (never EventsOff, which drops every listener).
import * as ClientService from './wailsjs/go/app/ClientService';
import * as PostService from './wailsjs/go/app/PostService';
import * as SettingsService from './wailsjs/go/app/SettingsService';
import { EventsOn } from './wailsjs/runtime/runtime';
import type { app, backend, demo } from './wailsjs/go/models';
import { toApiError } from './errors';
import { installErrorBridge } from './callback';

export { ApiError, toApiError, errorMessage } from './errors';

export type Client = backend.Client;
export type Account = backend.Account;
export type Workspace = app.Workspace;
export type ClientInput = app.ClientInput;
export type AccountInput = app.AccountInput;
export type PostView = app.PostView;
export type PostInput = app.PostInput;
export type PostQuery = app.PostQuery;
export type SaveResult = app.SaveResult;
export type Settings = app.Settings;
export type DemoReport = demo.Report;
export type PostStatus = 'idea' | 'draft' | 'scheduled' | 'published' | 'failed' | 'needs_review';

installErrorBridge();

async function call<T>(fn: () => Promise<T>): Promise<T> {
  installErrorBridge(); // idempotent; covers a runtime injected after this module loaded
  try {
    return await fn();
  } catch (e) {
    throw toApiError(e);
  }
}

export const clients = {
  workspace: (includeArchived: boolean) => call(() => ClientService.Workspace(includeArchived)),
  save: (input: ClientInput) => call(() => ClientService.Save(input)),
  setArchived: (id: number, archived: boolean) => call(() => ClientService.SetArchived(id, archived)),
  addAccount: (input: AccountInput) => call(() => ClientService.AddAccount(input)),
  removeAccount: (id: number) => call(() => ClientService.RemoveAccount(id)),
  networks: () => call(() => ClientService.Networks()),
};

export const posts = {
  list: (q: PostQuery) => call(() => PostService.List(q)),
  get: (id: number) => call(() => PostService.Get(id)),
  save: (input: PostInput) => call(() => PostService.Save(input)),
  remove: (id: number) => call(() => PostService.Delete(id)),
};

export const settings = {
  get: () => call(() => SettingsService.Get()),
  setLanguage: (lang: string) => call(() => SettingsService.SetLanguage(lang)),
  createDemo: () => call(() => SettingsService.CreateDemo()),
  startEmpty: () => call(() => SettingsService.StartEmpty()),
};

export type AppEvent = 'clients:changed' | 'posts:changed';

/** Subscribes to a backend event; returns the unsubscribe function. */
export function on(event: AppEvent, handler: () => void): () => void {
  // Outside Wails (vite alone, unit tests) there is no runtime to listen to.
  if (typeof window === 'undefined' || !(window as unknown as { runtime?: unknown }).runtime) return () => {};
  return EventsOn(event, () => handler());
}
