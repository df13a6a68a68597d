export namespace app {
	
	export interface AccountInput {
	    clientId: number;
	    network: string;
	    handle: string;
	    displayName: string;
	}
	export interface ClientInput {
	    id: number;
	    name: string;
	    color: string;
	    timeZone: string;
	    language: string;
	    guidelines: string;
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
	    scheduledAt: string;
	    timeZone: string;
	    local: string;
	    zoneLabel: string;
	    labels: string[];
	    variants: VariantView[];
	    updatedAt: string;
	}
	export interface SaveResult {
	    post: PostView;
	    shifted: boolean;
	    local: string;
	}
	export interface Settings {
	    language: string;
	    systemLanguage: string;
	    firstRun: boolean;
	    dataDir: string;
	    version: string;
	}
	
	
	export interface Workspace {
	    clients: backend.Client[];
	    accounts: backend.Account[];
	}

}

export namespace backend {
	
	export interface Account {
	    id: number;
	    clientId: number;
	    network: string;
	    handle: string;
	    displayName: string;
	    // Go type: time
	    createdAt: any;
	}
	export interface Client {
	    id: number;
	    name: string;
	    color: string;
	    timeZone: string;
	    language: string;
	    guidelines: string;
	    archived: boolean;
	    // Go type: time
	    createdAt: any;
	    // Go type: time
	    updatedAt: any;
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

