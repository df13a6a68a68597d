export namespace app {
	
	export interface AccountInput {
	    clientId: number;
	    network: string;
	    handle: string;
	    displayName: string;
	}
	export interface MediaItem {
	    id: number;
	    clientId: number;
	    name: string;
	    format: string;
	    bytes: number;
	    width: number;
	    height: number;
	    alt: string;
	    altMissing: boolean;
	    focalX: number;
	    focalY: number;
	    uses: number;
	    // Go type: time
	    createdAt: any;
	    thumbUrl: string;
	    viewUrl: string;
	    originalUrl: string;
	    sourceId?: number;
	    recipe?: string;
	}
	export interface AttachedImage {
	    postId: number;
	    mediaId: number;
	    position: number;
	    presets: Record<string, string>;
	    media: MediaItem;
	    notes: string[];
	}
	export interface BlueskyInput {
	    clientId: number;
	    accountId: number;
	    service: string;
	    identifier: string;
	    appPassword: string;
	}
	export interface CleanReport {
	    deleted: number;
	    bytes: number;
	}
	export interface ClientInput {
	    id: number;
	    name: string;
	    color: string;
	    timeZone: string;
	    language: string;
	    guidelines: string;
	    bannedWords: string[];
	    requiredTags: string[];
	}
	export interface DuplicateInput {
	    id: number;
	    clientId: number;
	    date: string;
	    time: string;
	}
	export interface EditPreview {
	    url: string;
	    width: number;
	    height: number;
	}
	export interface ExportOptions {
	    from: string;
	    to: string;
	    includeDrafts: boolean;
	    durationMinutes: number;
	}
	export interface ExportResult {
	    path: string;
	    events: number;
	    files: number;
	}
	export interface VariantView {
	    accountId: number;
	    network: string;
	    text: string;
	}
	export interface PostView {
	    id: number;
	    clientId: number;
	    status: string;
	    text: string;
	    firstComment: string;
	    scheduledAt: string;
	    timeZone: string;
	    local: string;
	    zoneLabel: string;
	    labels: string[];
	    variants: VariantView[];
	    updatedAt: string;
	    serverScheduled: boolean;
	    serverScheduledAt: string;
	}
	export interface FirstCalendar {
	    clientId: number;
	    from: string;
	    to: string;
	    posts: PostView[];
	    ideas: PostView[];
	}
	export interface Workspace {
	    clients: backend.Client[];
	    accounts: backend.Account[];
	}
	export interface Settings {
	    language: string;
	    systemLanguage: string;
	    firstRun: boolean;
	    dataDir: string;
	    version: string;
	    graceMinutes: number;
	}
	export interface FirstScreen {
	    settings: Settings;
	    workspace: Workspace;
	    networks: string[];
	    calendar?: FirstCalendar;
	    changes: number;
	}
	export interface ImportResult {
	    path: string;
	    name: string;
	    status: string;
	    media?: MediaItem;
	    error?: backend.Error;
	}
	export interface ImportReport {
	    results: ImportResult[];
	    imported: number;
	    duplicates: number;
	    failed: number;
	}
	
	export interface KitFileResult {
	    path: string;
	    name: string;
	    asset?: backend.KitAsset;
	    error?: backend.Error;
	}
	export interface KitFontView {
	    id: string;
	    name: string;
	    builtin: boolean;
	    assetId?: number;
	}
	export interface KitLogoView {
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
	    styles: Record<string, backend.TextStyle>;
	    assets: backend.KitAsset[];
	    fonts: KitFontView[];
	    logos: KitLogoView[];
	    templates: backend.EditTemplate[];
	}
	export interface MastodonInput {
	    clientId: number;
	    accountId: number;
	    instanceUrl: string;
	    token: string;
	}
	
	export interface OutboxQuery {
	    states: string[];
	    clientId: number;
	    recentHours: number;
	}
	export interface VariantInput {
	    accountId: number;
	    text: string;
	}
	export interface PostInput {
	    id: number;
	    clientId: number;
	    status: string;
	    text: string;
	    firstComment: string;
	    date: string;
	    time: string;
	    labels: string[];
	    variants: VariantInput[];
	}
	export interface PostQuery {
	    clientId: number;
	    from: string;
	    to: string;
	    ideas: boolean;
	}
	
	export interface PresetView {
	    id: string;
	    network: string;
	    width: number;
	    height: number;
	    fill: boolean;
	    maxBytes: number;
	    default: boolean;
	}
	export interface Rect {
	    x: number;
	    y: number;
	    width: number;
	    height: number;
	}
	export interface Preview {
	    id: string;
	    network: string;
	    width: number;
	    height: number;
	    fill: boolean;
	    maxBytes: number;
	    default: boolean;
	    outWidth: number;
	    outHeight: number;
	    format: string;
	    outBytes: number;
	    url: string;
	    crop: Rect;
	    notes: string[];
	    error?: backend.Error;
	}
	export interface PreviewSet {
	    media: MediaItem;
	    focalX: number;
	    focalY: number;
	    previews: Preview[];
	}
	
	export interface SaveResult {
	    post: PostView;
	    shifted: boolean;
	    local: string;
	    warnings: backend.Warning[];
	}
	
	export interface SlotView {
	    accountId: number;
	    weekday: number;
	    time: string;
	}
	
	

}

export namespace backend {
	
	export interface AccountLimits {
	    maxCharacters: number;
	    urlCharacters: number;
	    maxMedia: number;
	    imageSizeLimit: number;
	    imageMatrixLimit: number;
	    descriptionLimit: number;
	}
	export interface Account {
	    id: number;
	    clientId: number;
	    network: string;
	    handle: string;
	    displayName: string;
	    connection: string;
	    serviceUrl: string;
	    remoteId: string;
	    limits: AccountLimits;
	    // Go type: time
	    createdAt: any;
	    serverSchedules: string;
	    // Go type: time
	    schedulesProbedAt?: any;
	}
	
	export interface Client {
	    id: number;
	    name: string;
	    color: string;
	    timeZone: string;
	    language: string;
	    guidelines: string;
	    bannedWords: string[];
	    requiredTags: string[];
	    archived: boolean;
	    // Go type: time
	    createdAt: any;
	    // Go type: time
	    updatedAt: any;
	}
	export interface EditTemplate {
	    id: number;
	    clientId: number;
	    name: string;
	    recipe: string;
	    // Go type: time
	    createdAt: any;
	}
	export interface Error {
	    code: string;
	    key: string;
	    message: string;
	    field?: string;
	    params?: Record<string, string>;
	}
	export interface HashtagSet {
	    id: number;
	    clientId: number;
	    name: string;
	    tags: string;
	}
	export interface KitAsset {
	    id: number;
	    clientId: number;
	    kind: string;
	    name: string;
	    hash: string;
	    format: string;
	    bytes: number;
	    width: number;
	    height: number;
	    // Go type: time
	    createdAt: any;
	}
	export interface OnlineStatus {
	    known: boolean;
	    online: boolean;
	    // Go type: time
	    checkedAt: any;
	    hosts: Record<string, boolean>;
	}
	export interface OutboxItem {
	    variantId: number;
	    postId: number;
	    accountId: number;
	    clientId: number;
	    clientName: string;
	    network: string;
	    handle: string;
	    text: string;
	    state: string;
	    // Go type: time
	    due: any;
	    attempts: number;
	    // Go type: time
	    nextAttemptAt?: any;
	    errorCode: string;
	    errorKey: string;
	    error: string;
	    remoteUrl: string;
	    // Go type: time
	    publishedAt?: any;
	    paused: boolean;
	    waiting: string;
	    firstComment: string;
	    commentState: string;
	    commentErrorCode: string;
	    commentErrorKey: string;
	    commentError: string;
	    commentUrl: string;
	    commentAttempts: number;
	    // Go type: time
	    commentNextAttemptAt?: any;
	    remoteScheduled: boolean;
	    // Go type: time
	    remoteScheduledAt?: any;
	    remoteErrorCode: string;
	    remoteErrorKey: string;
	    remoteError: string;
	}
	export interface PostMedia {
	    postId: number;
	    mediaId: number;
	    position: number;
	    presets: Record<string, string>;
	}
	export interface Template {
	    id: number;
	    clientId: number;
	    name: string;
	    text: string;
	    firstComment: string;
	    labels: string[];
	    // Go type: time
	    createdAt: any;
	}
	export interface TextStyle {
	    font: string;
	    color: string;
	    size: number;
	}
	export interface Warning {
	    key: string;
	    params: Record<string, string>;
	}

}

export namespace demo {
	
	export interface Report {
	    clients: string[];
	    skipped: string[];
	    accounts: number;
	    posts: number;
	}

}

export namespace textlimit {
	
	export interface Rule {
	    network: string;
	    limit: number;
	    unit: string;
	    byteLimit?: number;
	    hashtagLimit?: number;
	    urlWeight?: number;
	}

}

