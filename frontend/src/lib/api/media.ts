// Media library (issue 5): types of app.MediaService and its calls through
// the generated bindings. Images never travel as data: only as /media/…
// URLs served by Go.
import * as MediaBindings from './wailsjs/go/app/MediaService';

export type MediaFormat = 'jpeg' | 'png' | 'gif' | 'webp' | 'heic' | 'avif';

export interface MediaItem {
  id: number;
  clientId: number;
  name: string;
  format: MediaFormat;
  bytes: number;
  width: number; // upright
  height: number;
  alt: string;
  altMissing: boolean;
  focalX: number; // 0..1 of the width
  focalY: number;
  uses: number; // posts (not in the bin) carrying it
  createdAt: string;
  thumbUrl: string;
  viewUrl: string;
  originalUrl: string;
  /** An edited image (issue #20): the library image it was rendered from, and the recipe. */
  sourceId?: number;
  recipe?: string;
}

export interface BackendError {
  code: string;
  key: string;
  message: string;
  field?: string;
  params?: Record<string, string>;
}

export type ImportStatus = 'ok' | 'duplicate' | 'error';

export interface ImportResult {
  path: string;
  name: string;
  status: ImportStatus;
  media?: MediaItem;
  error?: BackendError;
}

export interface ImportReport {
  results: ImportResult[];
  imported: number;
  duplicates: number;
  failed: number;
}

export interface CleanReport {
  deleted: number;
  bytes: number;
}

export interface PresetView {
  id: string;
  network: string;
  width: number; // 0 when the preset keeps the ratio
  height: number;
  fill: boolean;
  maxBytes: number;
  default: boolean;
}

export interface CropRect {
  x: number;
  y: number;
  width: number;
  height: number;
}

export interface Preview extends PresetView {
  outWidth: number;
  outHeight: number;
  format: string;
  outBytes: number;
  url: string;
  crop: CropRect;
  notes: string[];
  error?: BackendError;
}

export interface PreviewSet {
  media: MediaItem;
  focalX: number;
  focalY: number;
  previews: Preview[];
}

export interface MediaProgress {
  clientId: number;
  done: number;
  total: number;
  file: string;
}

export interface PostMedia {
  postId: number;
  mediaId: number;
  position: number;
  presets: Record<string, string>;
}

/** One of a post's images with its library details (app.AttachedImage). */
export interface AttachedImage extends PostMedia {
  media: MediaItem;
  /** i18n keys about how it goes out, e.g. media.gif_first_frame (absent until Go has loaded it). */
  notes?: string[];
}

interface MediaServiceBinding {
  List(clientId: number, search: string): Promise<MediaItem[] | null>;
  Get(id: number): Promise<MediaItem>;
  Import(clientId: number, paths: string[]): Promise<ImportReport>;
  ImportDialog(clientId: number): Promise<ImportReport>;
  Update(id: number, alt: string, focalX: number, focalY: number): Promise<MediaItem>;
  Delete(id: number): Promise<void>;
  CleanUnused(clientId: number): Promise<CleanReport>;
  Previews(id: number): Promise<PreviewSet>;
  Presets(): Promise<PresetView[] | null>;
  SetPostMedia(postId: number, items: PostMedia[]): Promise<void>;
  PostMedia(postId: number): Promise<PostMedia[] | null>;
  PostImages(postId: number): Promise<AttachedImage[] | null>;
  MaxImages(): Promise<Record<string, number> | null>;
  MaxAltText(): Promise<Record<string, number> | null>;
  MediaRequired(): Promise<string[] | null>;
  ReadyFolder(variantId: number): Promise<string>;
  OpenReadyFolder(variantId: number): Promise<void>;
}

/** The bound service, typed with this module's view of its results. */
export function mediaService(): MediaServiceBinding {
  return MediaBindings as unknown as MediaServiceBinding;
}
