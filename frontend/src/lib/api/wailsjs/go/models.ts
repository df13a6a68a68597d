export namespace app {
	
	export interface AboutPost {
	    postId: number;
	    text: string;
	    url: string;
	}
	export interface AccountInput {
	    clientId: number;
	    network: string;
	    handle: string;
	    displayName: string;
	}
	export interface ApprovalImport {
	    packageId: string;
	    clientId: number;
	    approved: number[];
	    changes: number[];
	    changed: number[];
	    clientName: string;
	}
	export interface ArchiveResult {
	    path: string;
	    clientId: number;
	    client: string;
	    posts: number;
	    images: number;
	    held: number;
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
	export interface CSVExportRequest {
	    clientId: number;
	    from: string;
	    to: string;
	}
	export interface CSVExportResult {
	    path: string;
	    posts: number;
	    images: number;
	}
	export interface CSVImportResult {
	    import: backend.ImportRecord;
	    imported: number;
	    rejected: number;
	    duplicates: number;
	    plan?: csvimport.Plan;
	}
	export interface CalendarApproval {
	    status: string;
	    changed: boolean;
	    required: boolean;
	    waiting: boolean;
	}
	export interface CalendarTarget {
	    accountId: number;
	    network: string;
	}
	export interface CalendarPost {
	    id: number;
	    clientId: number;
	    status: string;
	    snippet: string;
	    scheduledAt: string;
	    timeZone: string;
	    local: string;
	    labels?: string[];
	    variants: CalendarTarget[];
	    mediaId?: number;
	    serverScheduled?: boolean;
	    approval: CalendarApproval;
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
	    requireApproval?: boolean;
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
	export interface ReportQuery {
	    clientId: number;
	    month: string;
	    from: string;
	    to: string;
	}
	export interface ExportRequest {
	    query: ReportQuery;
	    separator: string;
	    openFolder: boolean;
	}
	export interface ExportResult {
	    path: string;
	    events: number;
	    files: number;
	}
	export interface FiguresAccount {
	    id: number;
	    network: string;
	    handle: string;
	}
	export interface FiguresImportRequest {
	    clientId: number;
	    accountId: number;
	    path: string;
	    expect: number;
	}
	export interface FiguresPreview {
	    fileName: string;
	    accountId: number;
	    accounts: FiguresAccount[];
	    plan?: figimport.Plan;
	}
	export interface VariantView {
	    accountId: number;
	    network: string;
	    text: string;
	    firstComment: string;
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
	    needsApproval: boolean;
	    approval: backend.Approval;
	}
	export interface FirstCalendar {
	    clientId: number;
	    from: string;
	    to: string;
	    posts: CalendarPost[];
	    ideas: PostView[];
	}
	export interface Workspace {
	    clients: backend.Client[];
	    accounts: backend.Account[];
	    accountChoices: Record<string, Array<number>>;
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
	export interface ImportPreview {
	    path: string;
	    fileName: string;
	    label: string;
	    plan?: csvimport.Plan;
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
	export interface ImportRequest {
	    clientId: number;
	    path: string;
	    order: string;
	    skipInvalid: boolean;
	    expect: number;
	}
	
	export interface InboxDetail {
	    item: backend.InboxItem;
	    replies: backend.InboxReply[];
	    like?: backend.InboxLike;
	    about?: AboutPost;
	    saved: backend.SavedReply[];
	    settings: backend.InboxClientSettings;
	    mention: string;
	}
	export interface InboxPage {
	    items: backend.InboxItem[];
	    summaries: backend.InboxSummary[];
	    unread: Record<number, number>;
	    syncs: backend.InboxSync[];
	}
	export interface InboxQuery {
	    clientId: number;
	    network: string;
	    kinds: string[];
	    states: string[];
	    tag: string;
	    pinned: boolean;
	    offset: number;
	    limit: number;
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
	export interface ManualInput {
	    likes: string;
	    comments: string;
	    shares: string;
	    reach: string;
	    saves: string;
	}
	export interface ManualVariant {
	    variantId: number;
	    network: string;
	    handle: string;
	    published: boolean;
	    fields: string[];
	    figures?: backend.Figures;
	}
	export interface MastodonInput {
	    clientId: number;
	    accountId: number;
	    instanceUrl: string;
	    token: string;
	}
	
	export interface Notice {
	    name: string;
	    version: string;
	    licence: string;
	    text: string;
	    source: string;
	}
	export interface ObjectivesInput {
	    clientId: number;
	    month: string;
	    postsPerNetwork: Record<string, string>;
	    interactions: string;
	    followersGained: string;
	    firstResponseMinutes: string;
	}
	export interface OutboxQuery {
	    states: string[];
	    clientId: number;
	    recentHours: number;
	}
	export interface PackageOptions {
	    clientId: number;
	    from: string;
	    to: string;
	}
	export interface PackageResult {
	    htmlPath: string;
	    pdfPath: string;
	    folder: string;
	    posts: number;
	    packageId: string;
	    opened: boolean;
	}
	export interface Period {
	    from: string;
	    to: string;
	}
	export interface VariantInput {
	    accountId: number;
	    text: string;
	    firstComment: string;
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
	
	
	export interface ReportView {
	    report?: report.Report;
	    lang: string;
	    author: string;
	}
	export interface RestoreInfo {
	    path: string;
	    clients: number;
	    posts: number;
	    images: number;
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
	
	export interface Approval {
	    status: string;
	    comment: string;
	    hash: string;
	    // Go type: time
	    decidedAt?: any;
	    packageId: string;
	    changed: boolean;
	    required: boolean;
	    waiting: boolean;
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
	    requireApproval: boolean;
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
	export interface Figures {
	    replies: number;
	    reposts: number;
	    likes: number;
	    quotes: number;
	    reach?: number;
	    saves?: number;
	    source: string;
	    deleted: boolean;
	    // Go type: time
	    fetchedAt: any;
	}
	export interface HashtagSet {
	    id: number;
	    clientId: number;
	    name: string;
	    tags: string;
	}
	export interface ImportRecord {
	    id: number;
	    clientId: number;
	    label: string;
	    fileName: string;
	    posts: number;
	    // Go type: time
	    createdAt: any;
	    // Go type: time
	    undoneAt?: any;
	}
	export interface InboxClientSettings {
	    clientId: number;
	    alertWords: string[];
	    tags: string[];
	    watch: string[];
	}
	export interface RemoteRef {
	    id: string;
	    uri: string;
	    cid: string;
	    url: string;
	}
	export interface RemotePost {
	    ref: RemoteRef;
	    author: RemoteAuthor;
	    text: string;
	    links: string[];
	    language: string;
	    // Go type: time
	    createdAt: any;
	    replyTo?: RemoteRef;
	    root?: RemoteRef;
	    deleted: boolean;
	    blocked: boolean;
	}
	export interface RemoteAuthor {
	    id: string;
	    handle: string;
	    name: string;
	    avatarUrl: string;
	    url: string;
	}
	export interface Notification {
	    remoteId: string;
	    kind: string;
	    // Go type: time
	    createdAt: any;
	    author: RemoteAuthor;
	    subject?: RemotePost;
	    about?: RemoteRef;
	    filtered: boolean;
	}
	export interface InboxItem {
	    id: number;
	    accountId: number;
	    clientId: number;
	    notification: Notification;
	    state: string;
	    // Go type: time
	    snoozedUntil?: any;
	    tags: string[];
	    pinned: boolean;
	    alert: string[];
	    note: string;
	    // Go type: time
	    arrivedAt: any;
	    // Go type: time
	    firstReplyAt?: any;
	    avatar: string;
	    liked: string;
	}
	export interface InboxLike {
	    variantId: number;
	    postId: number;
	    inboxItemId: number;
	    state: string;
	    // Go type: time
	    publishedAt?: any;
	    errorKey: string;
	    error: string;
	}
	export interface InboxReply {
	    variantId: number;
	    postId: number;
	    inboxItemId: number;
	    text: string;
	    state: string;
	    remoteUrl: string;
	    // Go type: time
	    publishedAt?: any;
	    errorKey: string;
	    error: string;
	}
	export interface InboxSummary {
	    accountId: number;
	    clientId: number;
	    kind: string;
	    aboutId: string;
	    day: string;
	    count: number;
	    new: number;
	    authors: RemoteAuthor[];
	    // Go type: time
	    newest: any;
	    ids: number[];
	}
	export interface InboxSync {
	    accountId: number;
	    mark: string;
	    older: string;
	    gap: boolean;
	    gapFrom: string;
	    gapUntil: string;
	    markRead: boolean;
	    readMark: string;
	    // Go type: time
	    syncedAt?: any;
	    // Go type: time
	    nextSyncAt?: any;
	    failures: number;
	    listenMarks: Record<string, string>;
	    errorCode: string;
	    errorKey: string;
	    error: string;
	    errorParams: Record<string, string>;
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
	export interface ManualFigures {
	    likes?: number;
	    comments?: number;
	    shares?: number;
	    reach?: number;
	    saves?: number;
	}
	
	export interface Objectives {
	    clientId: number;
	    month: string;
	    postsPerNetwork: Record<string, number>;
	    interactions?: number;
	    followersGained?: number;
	    firstResponseMinutes?: number;
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
	    awaitingApproval: boolean;
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
	export interface Variant {
	    id: number;
	    postId: number;
	    accountId: number;
	    text: string;
	    firstComment: string;
	}
	export interface Post {
	    id: number;
	    clientId: number;
	    status: string;
	    baseText: string;
	    firstComment: string;
	    // Go type: time
	    scheduledAt?: any;
	    timeZone: string;
	    labels: string[];
	    variants: Variant[];
	    sequence: number;
	    publishedUrl: string;
	    needsApproval: boolean;
	    approval: Approval;
	    contentHash: string;
	    // Go type: time
	    deletedAt?: any;
	    // Go type: time
	    createdAt: any;
	    // Go type: time
	    updatedAt: any;
	}
	export interface PostMedia {
	    postId: number;
	    mediaId: number;
	    position: number;
	    presets: Record<string, string>;
	}
	
	
	
	export interface ReportText {
	    clientId: number;
	    from: string;
	    to: string;
	    summary: string;
	    plan: string;
	}
	export interface SavedReply {
	    id: number;
	    clientId: number;
	    title: string;
	    text: string;
	    tags: string[];
	    crisis: boolean;
	    // Go type: time
	    createdAt: any;
	    // Go type: time
	    updatedAt: any;
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

export namespace csvimport {
	
	export interface AccountRef {
	    id: number;
	    network: string;
	    handle: string;
	}
	export interface Issue {
	    column: string;
	    key: string;
	    params: Record<string, string>;
	    message: string;
	}
	export interface MediaRef {
	    path: string;
	    alt: string;
	}
	export interface Row {
	    row: number;
	    outcome: string;
	    status: string;
	    local: string;
	    shifted: boolean;
	    accounts: AccountRef[];
	    text: string;
	    labels: string[];
	    media: MediaRef[];
	    errors: Issue[];
	    warnings: Issue[];
	    cells: string[];
	}
	export interface Plan {
	    header: string[];
	    encoding: string;
	    delimiter: string;
	    fileWarnings: Issue[];
	    rows: Row[];
	    create: number;
	    duplicates: number;
	    rejected: number;
	}

}

export namespace demo {
	
	export interface Report {
	    clients: string[];
	    skipped: string[];
	    accounts: number;
	    posts: number;
	    history: number;
	}

}

export namespace figimport {
	
	export interface Column {
	    header: string;
	    field: string;
	}
	export interface Issue {
	    column: string;
	    key: string;
	    params?: Record<string, string>;
	}
	export interface Row {
	    line: number;
	    link: string;
	    time: string;
	    status: string;
	    match: string;
	    variantId: number;
	    postId: number;
	    postText: string;
	    figures: backend.ManualFigures;
	    issues: Issue[];
	}
	export interface Plan {
	    columns: Column[];
	    encoding: string;
	    delimiter: string;
	    rows: Row[];
	    matched: number;
	    unmatched: number;
	    invalid: number;
	}

}

export namespace report {
	
	export interface Best {
	    weekday: number;
	    weekdayAvg: number;
	    hour: number;
	    hourAvg: number;
	    postsCounted: number;
	}
	export interface Count {
	    key: string;
	    count: number;
	}
	export interface CrisisRow {
	    network: string;
	    author: string;
	    text: string;
	    alert: string[];
	    // Go type: time
	    arrivedAt: any;
	    // Go type: time
	    repliedAt?: any;
	    note: string;
	}
	export interface DayPoint {
	    day: string;
	    posts: number;
	    interactions: number;
	}
	export interface FollowerPoint {
	    day: string;
	    followers: number;
	}
	export interface FollowerSeries {
	    accountId: number;
	    network: string;
	    handle: string;
	    points: FollowerPoint[];
	    gained?: number;
	}
	export interface Measure {
	    key: string;
	    value?: number;
	    prev?: number;
	    change?: number;
	    reason: string;
	}
	export interface NetworkRow {
	    network: string;
	    posts: number;
	    withFigures: number;
	    manual: boolean;
	    replies: number;
	    reposts: number;
	    likes: number;
	    quotes: number;
	    interactions: number;
	    perPost?: number;
	}
	export interface ObjectiveRow {
	    key: string;
	    network: string;
	    target: number;
	    result?: number;
	    met?: boolean;
	    reason: string;
	}
	export interface Period {
	    // Go type: time
	    from: any;
	    // Go type: time
	    to: any;
	    fromDay: string;
	    toDay: string;
	    month: string;
	}
	export interface PostRow {
	    postId: number;
	    variantId: number;
	    accountId: number;
	    network: string;
	    handle: string;
	    text: string;
	    url: string;
	    // Go type: time
	    publishedAt: any;
	    mediaId: number;
	    figures?: backend.Figures;
	    interactions: number;
	    reason: string;
	    localTime: string;
	}
	export interface Quote {
	    network: string;
	    author: string;
	    text: string;
	    // Go type: time
	    at: any;
	}
	export interface Said {
	    available: boolean;
	    reason: string;
	    conversations: Count[];
	    tags: Count[];
	    quotes: Quote[];
	    medianMinutes?: number;
	    p90Minutes?: number;
	    answered: number;
	    unanswered: number;
	    responseReason: string;
	    crisis: CrisisRow[];
	}
	export interface Report {
	    client: backend.Client;
	    period: Period;
	    previous: Period;
	    totals: Measure[];
	    daily: DayPoint[];
	    followers: FollowerSeries[];
	    top: PostRow[];
	    networks: NetworkRow[];
	    best?: Best;
	    bestReason: string;
	    objectives: ObjectiveRow[];
	    objMonth: string;
	    said: Said;
	    posts: PostRow[];
	    text: backend.ReportText;
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

