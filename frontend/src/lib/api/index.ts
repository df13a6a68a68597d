// The only module that imports the generated Wails bindings. Every call
// resolves with typed data or throws an ApiError; events hand back their
// unsubscribe function (never EventsOff, which drops every listener).
import * as ClientService from './wailsjs/go/app/ClientService';
import * as PostService from './wailsjs/go/app/PostService';
import * as PlanningService from './wailsjs/go/app/PlanningService'; // composer (issue 4)
import * as SettingsService from './wailsjs/go/app/SettingsService';
import * as PlanningServiceCal from './wailsjs/go/app/PlanningService'; // calendar (issue 4)
import * as ConnectService from './wailsjs/go/app/ConnectService'; // accounts (issue 7)
import * as PlanningServiceAcc from './wailsjs/go/app/PlanningService'; // slots, hashtag sets, templates
import * as ExportService from './wailsjs/go/app/ExportService'; // iCal export (issue 6)
import { EventsOn, OnFileDrop, OnFileDropOff, ClipboardSetText, BrowserOpenURL } from './wailsjs/runtime/runtime';
import type { app, backend, csvimport, demo } from './wailsjs/go/models';
import { toApiError } from './errors';
import { installErrorBridge } from './callback';

export { ApiError, toApiError, errorMessage } from './errors';
export { takeFirstScreen, type FirstScreen, type FirstCalendar } from './firstscreen';

export type Client = backend.Client;
export type Account = backend.Account;
export type Workspace = app.Workspace;
export type ClientInput = app.ClientInput;
export type AccountInput = app.AccountInput;
export type PostView = app.PostView;
/** A calendar chip's post; Go leaves approval out when none is asked or needed (omitzero, which the generated type does not know). */
export type CalendarPost = Omit<app.CalendarPost, 'approval'> & { approval?: app.CalendarApproval };
export type PostInput = app.PostInput;
export type PostQuery = app.PostQuery;
export type SaveResult = app.SaveResult;
export type Settings = app.Settings;
export type Notice = app.Notice;
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
  accountChoice: (clientId: number) => call(() => ClientService.AccountChoice(clientId)),
  setAccountChoice: (clientId: number, ids: number[]) => call(() => ClientService.SetAccountChoice(clientId, ids)),
};

export const posts = {
  list: (q: PostQuery) => call(() => PostService.List(q)),
  /** A calendar range in the chips' lean shape (the composer loads the whole post with get). */
  calendar: (q: PostQuery) => call(async () => (await PostService.Calendar(q)) ?? []),
  get: (id: number) => call(() => PostService.Get(id)),
  save: (input: PostInput) => call(() => PostService.Save(input)),
  remove: (id: number) => call(() => PostService.Delete(id)),
};

// Calendar (issue 4): drag and drop, ideas, undo delete, label filter.
export const calendarApi = {
  move: (id: number, date: string, time: string) => call(() => PostService.Move(id, date, time)),
  ideas: (clientId: number) => call(() => PostService.Ideas(clientId)),
  restore: (id: number) => call(() => PostService.Restore(id)),
  labels: (clientId: number) => call(() => PlanningServiceCal.Labels(clientId)),
};

// Accounts, slots, hashtag sets, templates and iCal export (client dialog,
// issues 4, 6 and 7). Tokens and app passwords are sent once and never kept.
export type MastodonInput = app.MastodonInput;
export type BlueskyInput = app.BlueskyInput;
export type SlotView = app.SlotView;
export type HashtagSet = backend.HashtagSet;
export type Template = backend.Template;
export type ExportOptions = app.ExportOptions;
export type ExportResult = app.ExportResult;
export interface ExportProgress {
  done: number;
  total: number;
  client: string;
  file: string;
}

export const connect = {
  mastodon: (input: MastodonInput) => call(() => ConnectService.ConnectMastodon(input)),
  bluesky: (input: BlueskyInput) => call(() => ConnectService.ConnectBluesky(input)),
  check: (accountId: number) => call(() => ConnectService.Check(accountId)),
};

export const planning = {
  slots: (clientId: number) => call(async () => (await PlanningServiceAcc.Slots(clientId)) ?? []),
  setSlots: (accountId: number, slots: SlotView[]) => call(() => PlanningServiceAcc.SetSlots(accountId, slots)),
  hashtagSets: (clientId: number) => call(async () => (await PlanningServiceAcc.HashtagSets(clientId)) ?? []),
  saveHashtagSet: (h: HashtagSet) => call(() => PlanningServiceAcc.SaveHashtagSet(h)),
  deleteHashtagSet: (id: number) => call(() => PlanningServiceAcc.DeleteHashtagSet(id)),
  templates: (clientId: number) => call(async () => (await PlanningServiceAcc.Templates(clientId)) ?? []),
  saveTemplate: (t: Template) => call(() => PlanningServiceAcc.SaveTemplate(t)),
  deleteTemplate: (id: number) => call(() => PlanningServiceAcc.DeleteTemplate(id)),
};

export const exporter = {
  /** clientId 0 = every active client in one file. Path "" = the user cancelled. */
  client: (clientId: number, opts: ExportOptions) => call(() => ExportService.ExportClient(clientId, opts)),
  allToFolder: (opts: ExportOptions) => call(() => ExportService.ExportAllToFolder(opts)),
};

/** Progress of ExportAllToFolder; returns the unsubscribe function. */
export function onExportProgress(handler: (p: ExportProgress) => void): () => void {
  if (typeof window === 'undefined' || !(window as unknown as { runtime?: unknown }).runtime) return () => {};
  return EventsOn('export:progress', (p: ExportProgress) => handler(p));
}

// --- composer (issue 4): duplicate, queue, and the planning data it uses ---
// (HashtagSet and Template are exported above, with the client dialog's block.)
export type DuplicateInput = app.DuplicateInput;

export const composerApi = {
  duplicate: (input: DuplicateInput) => call(() => PostService.Duplicate(input)),
  queue: (input: PostInput) => call(() => PostService.Queue(input)),
  labels: (clientId: number) => call(async () => (await PlanningService.Labels(clientId)) ?? []),
  hashtagSets: (clientId: number) => call(async () => (await PlanningService.HashtagSets(clientId)) ?? []),
  templates: (clientId: number) => call(async () => (await PlanningService.Templates(clientId)) ?? []),
  saveAsTemplate: (postId: number, name: string) => call(() => PlanningService.SaveAsTemplate(postId, name)),
};
// --- end composer ---

export const settings = {
  get: () => call(() => SettingsService.Get()),
  /** What the page carries in its data block (see ./firstscreen), asked when it does not. */
  firstScreen: () => call(() => SettingsService.FirstScreen()),
  /** Count of clients/posts change events sent so far (FirstScreen.changes). */
  changes: () => call(() => SettingsService.Changes()),
  /** Keeps the first screen as drawn from the page's data, for the next start (lib/firstframe.ts). */
  saveFirstFrame: (key: string, markup: string, flags: Record<string, string>) => call(() => SettingsService.SaveFirstFrame(key, markup, flags)),
  forgetFirstFrame: () => call(() => SettingsService.ForgetFirstFrame()),
  /** The closing window's page has kept its first frame (or could not): the window goes on closing. */
  firstFrameDone: () => call(() => SettingsService.FirstFrameDone()),
  setLanguage: (lang: string) => call(() => SettingsService.SetLanguage(lang)),
  createDemo: () => call(() => SettingsService.CreateDemo()),
  /** Licence notices of the Go modules and bundled npm packages (Settings → About). */
  licences: () => call(() => SettingsService.Licences()),
  startEmpty: () => call(() => SettingsService.StartEmpty()),
};

export type AppEvent = 'clients:changed' | 'posts:changed';

/** Subscribes to a backend event; returns the unsubscribe function. */
export function on(event: AppEvent, handler: () => void): () => void {
  // Outside Wails (vite alone, unit tests) there is no runtime to listen to.
  if (typeof window === 'undefined' || !(window as unknown as { runtime?: unknown }).runtime) return () => {};
  return EventsOn(event, () => handler());
}

// Media library (issue 5): import, alt text, focal point, previews. Types and
// raw calls live in ./media; images reach the UI only as /media/… URLs.
import { mediaService, type MediaProgress as MediaProgressT, type PostMedia as PostMediaT } from './media';
export type { MediaItem, ImportReport, ImportResult, CleanReport, PresetView, Preview, PreviewSet, MediaProgress, CropRect, PostMedia, AttachedImage } from './media';

export const mediaApi = {
  list: (clientId: number, search = '') => call(async () => (await mediaService().List(clientId, search)) ?? []),
  get: (id: number) => call(() => mediaService().Get(id)),
  /** Absolute paths (dropped files); one result per path, in order. */
  importFiles: (clientId: number, paths: string[]) => call(() => mediaService().Import(clientId, paths)),
  /** Native multi-file dialog; an empty report means cancelled. */
  importDialog: (clientId: number) => call(() => mediaService().ImportDialog(clientId)),
  update: (id: number, alt: string, focalX: number, focalY: number) => call(() => mediaService().Update(id, alt, focalX, focalY)),
  remove: (id: number) => call(() => mediaService().Delete(id)),
  cleanUnused: (clientId: number) => call(() => mediaService().CleanUnused(clientId)),
  previews: (id: number) => call(() => mediaService().Previews(id)),
  presets: () => call(async () => (await mediaService().Presets()) ?? []),
  setPostMedia: (postId: number, items: PostMediaT[]) => call(() => mediaService().SetPostMedia(postId, items)),
  postMedia: (postId: number) => call(async () => (await mediaService().PostMedia(postId)) ?? []),
  /** A post's images in order, with their library details (composer). */
  postImages: (postId: number) => call(async () => (await mediaService().PostImages(postId)) ?? []),
  /** Images per post by network (0 = no known limit); a Mastodon account's limits.maxMedia wins. */
  maxImages: () => call(async () => (await mediaService().MaxImages()) ?? {}),
  /** The networks that take no post without an image or a video (Instagram, TikTok, Pinterest, YouTube). */
  mediaRequired: () => call(async () => (await mediaService().MediaRequired()) ?? []),
  /** Alt text length per network (0 = no known limit; Bluesky counts graphemes); a Mastodon account's limits.descriptionLimit wins. */
  maxAltText: () => call(async () => (await mediaService().MaxAltText()) ?? {}),
  /** Renders a variant's images for its network into <data>/ready/<post>-<network>/ and returns the folder. */
  readyFolder: (variantId: number) => call(() => mediaService().ReadyFolder(variantId)),
  /** ReadyFolder, then opens it in the OS file manager ("Due now" panel). */
  openReadyFolder: (variantId: number) => call(() => mediaService().OpenReadyFolder(variantId)),
};

// Brand kit and quick edits (issue 20): ./edit holds the types and raw calls.
import { editService, type Recipe as RecipeT, type TextStyle as TextStyleT } from './edit';
export type { KitView, KitFont, KitLogo, KitAsset, KitFileResult, EditTemplate, EditPreview, Recipe, TextLayer, LogoLayer, TextStyle } from './edit';

export const editApi = {
  kit: (clientId: number) => call(() => editService().Kit(clientId)),
  saveKit: (clientId: number, colors: string[], heading: TextStyleT, caption: TextStyleT) => call(() => editService().SaveKit(clientId, colors, heading, caption)),
  /** Native file dialog for logos (PNG, JPEG) or fonts (TTF, OTF); one result per file. */
  addKitFilesDialog: (clientId: number, kind: 'logo' | 'font') => call(async () => (await editService().AddKitFilesDialog(clientId, kind)) ?? []),
  addKitFiles: (clientId: number, kind: 'logo' | 'font', paths: string[]) => call(async () => (await editService().AddKitFiles(clientId, kind, paths)) ?? []),
  removeKitFile: (id: number) => call(() => editService().RemoveKitFile(id)),
  /** Rendered by Go at screen size; mediaId 0 with a canvas recipe. */
  preview: (clientId: number, mediaId: number, recipe: RecipeT) => call(() => editService().Preview(clientId, mediaId, JSON.stringify(recipe))),
  /** Full size into the library: a new image (targetId 0) or the edited image targetId updated. */
  save: (clientId: number, mediaId: number, targetId: number, recipe: RecipeT) => call(() => editService().Save(clientId, mediaId, targetId, JSON.stringify(recipe))),
  saveTemplate: (clientId: number, name: string, recipe: RecipeT) => call(() => editService().SaveTemplate(clientId, name, JSON.stringify(recipe))),
  deleteTemplate: (clientId: number, id: number) => call(() => editService().DeleteTemplate(clientId, id)),
  fromTemplate: (clientId: number, templateId: number, texts: string[]) => call(() => editService().FromTemplate(clientId, templateId, texts)),
  /** A graphic drawn from nothing (recipe with a canvas) into the library. */
  saveGraphic: (clientId: number, name: string, recipe: RecipeT) => call(() => editService().SaveGraphic(clientId, name, JSON.stringify(recipe))),
};

const hasRuntime = () => typeof window !== 'undefined' && !!(window as unknown as { runtime?: unknown }).runtime;

/** media:progress during an import; returns the unsubscribe function. */
export function onMediaProgress(handler: (p: MediaProgressT) => void): () => void {
  if (!hasRuntime()) return () => {};
  return EventsOn('media:progress', (p: MediaProgressT) => handler(p));
}

/** media:changed (payload: the client id); returns the unsubscribe function. */
export function onMediaChanged(handler: (clientId: number) => void): () => void {
  if (!hasRuntime()) return () => {};
  return EventsOn('media:changed', (id: number) => handler(id));
}

/**
 * Files dropped from the desktop onto an element styled with
 * `--wails-drop-target: drop` (needs DragAndDrop.EnableFileDrop in Go). Wails
 * keeps one drop handler per window: the last caller wins, and the returned
 * function removes it.
 */
export function onFilesDropped(handler: (paths: string[]) => void): () => void {
  if (!hasRuntime()) return () => {};
  try {
    OnFileDrop((_x, _y, paths) => handler(paths ?? []), true);
  } catch {
    return () => {};
  }
  return () => {
    try {
      OnFileDropOff();
    } catch {
      /* the runtime is gone */
    }
  };
}


// --- outbox (issue 8): the outbox view, "Due now" panel, online indicator ---
import * as OutboxService from './wailsjs/go/app/OutboxService';
export type OutboxItem = backend.OutboxItem;
export type OnlineStatus = backend.OnlineStatus;
export type OutboxState = 'pending' | 'sending' | 'published' | 'failed' | 'needs_review' | 'missed' | 'skipped' | 'due_manual';

export const outboxApi = {
  /** No states = everything needing attention or waiting. */
  items: (states: OutboxState[] = [], clientId = 0, recentHours = 0) =>
    call(async () => (await OutboxService.Items({ states, clientId, recentHours })) ?? []),
  publishNow: (variantId: number) => call(() => OutboxService.PublishNow(variantId)),
  /** date YYYY-MM-DD and time HH:MM in the client's zone. */
  reschedule: (variantId: number, date: string, time: string) => call(() => OutboxService.Reschedule(variantId, date, time)),
  /** Resolves with the chosen time in the client's zone ("YYYY-MM-DDTHH:MM"). */
  rescheduleNextSlot: (variantId: number) => call(() => OutboxService.RescheduleNextSlot(variantId)),
  skip: (variantId: number) => call(() => OutboxService.Skip(variantId)),
  markPublished: (variantId: number, url: string) => call(() => OutboxService.MarkPublished(variantId, url)),
  online: () => call(() => OutboxService.Online()),
  checkNow: () => call(() => OutboxService.CheckNow()),
  openComposer: (variantId: number) => call(() => OutboxService.OpenComposer(variantId)),
  /** The grace period setting, 1–1440 minutes (SettingsService.SetGrace). */
  setGrace: (minutes: number) => call(() => SettingsService.SetGrace(minutes)),
  /**
   * Renders the post's images sized for the variant's network into a folder
   * and opens it (MediaService, issue 5). Resolves false when this build has
   * no such method.
   */
  openReadyFolder: (variantId: number) =>
    call(async () => {
      const fn = (window as unknown as { go?: { app?: { MediaService?: { OpenReadyFolder?: (id: number) => Promise<void> } } } }).go?.app
        ?.MediaService?.OpenReadyFolder;
      if (typeof fn !== 'function') return false;
      await fn(variantId);
      return true;
    }),
};

/** outbox:changed (no data), online:changed (bool), outbox:due_manual (variant ids). */
export function onOutboxChanged(handler: () => void): () => void {
  if (!hasRuntime()) return () => {};
  return EventsOn('outbox:changed', () => handler());
}
export function onOnlineChanged(handler: (online: boolean) => void): () => void {
  if (!hasRuntime()) return () => {};
  return EventsOn('online:changed', (v: boolean) => handler(!!v));
}
export function onDueManual(handler: (ids: number[]) => void): () => void {
  if (!hasRuntime()) return () => {};
  return EventsOn('outbox:due_manual', (ids: number[]) => handler(ids ?? []));
}

/** Copies text to the clipboard (the web view's, else the Wails runtime's). */
export async function copyText(text: string): Promise<boolean> {
  try {
    if (typeof navigator !== 'undefined' && navigator.clipboard?.writeText) {
      await navigator.clipboard.writeText(text);
      return true;
    }
  } catch {
    /* fall back to the runtime */
  }
  try {
    return hasRuntime() ? await ClipboardSetText(text) : false;
  } catch {
    return false;
  }
}
/** Opens a web page (a published post) in the user's browser; anything but an http(s) link is ignored. */
export function openExternal(url: string): void {
  if (!isWebURL(url)) {
    console.warn('not opened, not a web link:', url);
    return;
  }
  if (hasRuntime()) BrowserOpenURL(url);
  else window.open(url, '_blank', 'noopener');
}
import { isWebURL } from './url';
// --- end outbox ---

// --- first comment (issue 7): a published post's first comment has its own state in the outbox ---
// OutboxItem.firstComment (text to copy on manual networks), commentState ('' = nothing to send,
// 'pending' | 'sending' | 'published' | 'failed' | 'needs_review' | 'skipped'), commentErrorKey /
// commentError, commentUrl, commentAttempts, commentNextAttemptAt. The default outbox view also lists
// published posts whose comment is pending, sending, failed or needs_review.
import * as OutboxServiceComment from './wailsjs/go/app/OutboxService';
export type CommentState = '' | 'pending' | 'sending' | 'published' | 'failed' | 'needs_review' | 'skipped';
export const firstCommentApi = {
  /** Sends a failed (or reviewed) first comment again; the post itself is never re-sent. */
  retry: (variantId: number) => call(() => OutboxServiceComment.RetryComment(variantId)),
  /** Gives up on a first comment (posted by hand, or not wanted). */
  skip: (variantId: number) => call(() => OutboxServiceComment.SkipComment(variantId)),
};
// --- end first comment ---

// --- inbox (issue 14): mentions, replies, quotes; replies go through the outbox ---
import * as InboxService from './wailsjs/go/app/InboxService';
export type InboxItem = backend.InboxItem;
export type InboxSummary = backend.InboxSummary;
export type InboxSync = backend.InboxSync;
export type InboxReply = backend.InboxReply;
export type InboxPage = app.InboxPage;
export type InboxQuery = app.InboxQuery;
export type InboxDetail = app.InboxDetail;
export type RemotePost = backend.RemotePost;
export type RemoteAuthor = backend.RemoteAuthor;
export type SavedReply = backend.SavedReply;
export type InboxClientSettings = backend.InboxClientSettings;

export const inboxApi = {
  list: (q: InboxQuery) => call(() => InboxService.List(q)),
  unread: () => call(async () => (await InboxService.Unread()) ?? {}),
  detail: (id: number) => call(() => InboxService.Detail(id)),
  /** Who is behind a summary row: the authors of its items (ids newest first). */
  authors: (ids: number[]) => call(async () => (await InboxService.Authors(ids)) ?? []),
  thread: (id: number) => call(async () => (await InboxService.Thread(id)) ?? []),
  /** state: 'new' | 'done' | 'snoozed' (until: RFC 3339, snoozed only). */
  setState: (ids: number[], state: string, until = '') => call(() => InboxService.SetState(ids, state, until)),
  markAllDone: (q: InboxQuery) => call(() => InboxService.MarkAllDone(q)),
  setTags: (id: number, tags: string[]) => call(() => InboxService.SetTags(id, tags)),
  setPinned: (id: number, pinned: boolean) => call(() => InboxService.SetPinned(id, pinned)),
  setNote: (id: number, note: string) => call(() => InboxService.SetNote(id, note)),
  reply: (id: number, text: string) => call(() => InboxService.Reply(id, text)),
  like: (id: number) => call(() => InboxService.Like(id)),
  savedReplies: (clientId: number) => call(async () => (await InboxService.SavedReplies(clientId)) ?? []),
  saveSavedReply: (r: SavedReply) => call(() => InboxService.SaveSavedReply(r)),
  deleteSavedReply: (id: number) => call(() => InboxService.DeleteSavedReply(id)),
  clientSettings: (clientId: number) => call(() => InboxService.ClientSettings(clientId)),
  saveClientSettings: (s: InboxClientSettings) => call(() => InboxService.SaveClientSettings(s)),
  refresh: () => call(() => InboxService.Refresh()),
  loadOlder: (accountId: number) => call(() => InboxService.LoadOlder(accountId)),
  setMarkRead: (accountId: number, on: boolean) => call(() => InboxService.SetMarkRead(accountId, on)),
};

/** inbox:changed (no data) and inbox:alert (new alert item ids); returns the unsubscribe function. */
export function onInbox(handler: (alertIds: number[]) => void): () => void {
  if (!hasRuntime()) return () => {};
  const offs = [EventsOn('inbox:changed', () => handler([])), EventsOn('inbox:alert', (ids: number[]) => handler(ids ?? []))];
  return () => offs.forEach((off) => off());
}
// --- end inbox ---
// --- CSV import (issue 17): dry run, import in one transaction, undo ---
import * as ImportService from './wailsjs/go/app/ImportService';
export type CsvImportRequest = app.ImportRequest;
export type CsvPreview = app.ImportPreview;
export type CsvImportResult = app.CSVImportResult;
export type CsvPlan = csvimport.Plan;
export type CsvRow = csvimport.Row;
export type CsvIssue = csvimport.Issue;
export type ImportRecord = backend.ImportRecord;

export const csvImportApi = {
  /** The native file dialog; "" when cancelled. */
  pickFile: () => call(() => ImportService.PickFile()),
  /** Reads and checks the file; writes nothing. */
  preview: (r: CsvImportRequest) => call(() => ImportService.Preview(r)),
  /** Checks again and writes every good row in one transaction. */
  apply: (r: CsvImportRequest) => call(() => ImportService.Apply(r)),
  /** Removes exactly the posts (and new images) of one import; resolves with the number of posts. */
  undo: (importId: number) => call(() => ImportService.Undo(importId)),
  /** A client's imports, newest first (undoneAt set once undone). */
  list: (clientId: number) => call(async () => (await ImportService.List(clientId)) ?? []),
  /** Save dialog, then the rejected rows as CSV; "" when cancelled. */
  saveRejected: (r: CsvImportRequest) => call(() => ImportService.SaveRejected(r)),
  /** Save dialog, then the posts of a client and period as CSV (images beside it); path "" = cancelled. */
  exportCSV: (r: app.CSVExportRequest) => call(() => ImportService.ExportCSV(r)),
};

// --- client archives (issue 17): hand a client over, back it up, restore it ---
import * as ArchiveService from './wailsjs/go/app/ArchiveService';
export type ArchiveResult = app.ArchiveResult;
export const archiveApi = {
  /** Save dialog, then the client's .zip; path "" = cancelled. */
  exportClient: (clientId: number) =>
    call(async () => {
      const path = await ArchiveService.PickExportFile(clientId);
      return path ? ArchiveService.ExportTo(clientId, path) : { path: '', clientId, client: '', posts: 0, images: 0, held: 0 };
    }),
  /** Open dialog, then the archive restored as a new client; path "" = cancelled. */
  importClient: () =>
    call(async () => {
      const path = await ArchiveService.PickImportFile();
      return path ? ArchiveService.ImportFrom(path) : { path: '', clientId: 0, client: '', posts: 0, images: 0, held: 0 };
    }),
  /** Open dialog for a backup (pauta backup); "" = cancelled. */
  pickBackup: () => call(() => ArchiveService.PickBackupFile()),
  /** Checks the backup and keeps it for the next start, which restores it. */
  stageRestore: (path: string) => call(() => ArchiveService.StageRestore(path)),
};
