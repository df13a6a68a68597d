// Brand kit and quick edits (issue #20): types of app.EditService and its
// calls. Previews come back as /media/edit/… URLs rendered by Go; logos as
// /media/kit/… URLs; nothing travels as data.
import * as EditBindings from './wailsjs/go/app/EditService';
import type { MediaItem, BackendError } from './media';

export interface TextStyle {
  font: string;
  color: string;
  size: number;
}

export interface KitAsset {
  id: number;
  clientId: number;
  kind: 'logo' | 'font';
  name: string;
  format: string;
  bytes: number;
  width: number;
  height: number;
}

export interface EditTemplate {
  id: number;
  clientId: number;
  name: string;
  recipe: string;
}

export interface KitFont {
  id: string;
  name: string;
  builtin: boolean;
  assetId?: number;
}

export interface KitLogo {
  id: string;
  name: string;
  url: string;
  width: number;
  height: number;
  assetId: number;
}

export interface KitView {
  clientId: number;
  colors: string[];
  styles: Record<string, TextStyle>;
  assets: KitAsset[];
  fonts: KitFont[];
  logos: KitLogo[];
  templates: EditTemplate[];
}

export interface KitFileResult {
  path: string;
  name: string;
  asset?: KitAsset;
  error?: BackendError;
}

export interface EditPreview {
  url: string;
  width: number;
  height: number;
}

/** The recipe (backend/media/edit.Recipe, version 1). */
export interface TextLayer {
  text: string;
  font: string;
  size: number;
  color: string;
  align: 'left' | 'center' | 'right';
  x: number;
  y: number;
  maxWidth: number;
  box?: string;
  boxAlpha?: number;
  shadow?: boolean;
}

export interface LogoLayer {
  id: string;
  corner: 'tl' | 'tr' | 'bl' | 'br';
  margin: number;
  size: number;
  opacity: number;
}

export interface Recipe {
  v: 1;
  canvas?: { width: number; height: number; color: string };
  rotate?: 0 | 90 | 180 | 270;
  flipH?: boolean;
  flipV?: boolean;
  straighten?: number;
  crop?: { x: number; y: number; w: number; h: number };
  brightness?: number;
  contrast?: number;
  saturation?: number;
  warmth?: number;
  texts?: TextLayer[];
  logo?: LogoLayer;
}

interface EditServiceBinding {
  Kit(clientId: number): Promise<KitView>;
  SaveKit(clientId: number, colors: string[], heading: TextStyle, caption: TextStyle): Promise<KitView>;
  AddKitFilesDialog(clientId: number, kind: string): Promise<KitFileResult[] | null>;
  AddKitFiles(clientId: number, kind: string, paths: string[]): Promise<KitFileResult[] | null>;
  RemoveKitFile(id: number): Promise<void>;
  Preview(clientId: number, mediaId: number, recipe: string): Promise<EditPreview>;
  Save(clientId: number, mediaId: number, targetId: number, recipe: string): Promise<MediaItem>;
  SaveTemplate(clientId: number, name: string, recipe: string): Promise<EditTemplate>;
  DeleteTemplate(clientId: number, id: number): Promise<void>;
  FromTemplate(clientId: number, templateId: number, texts: string[]): Promise<MediaItem>;
  SaveGraphic(clientId: number, name: string, recipe: string): Promise<MediaItem>;
}

export function editService(): EditServiceBinding {
  return EditBindings as unknown as EditServiceBinding;
}
