// The client's approval (issue 19): calls of app.ApprovalService through the
// generated bindings. The package (HTML with its images inside, and a PDF)
// is written by Go to a file the user picks: nothing of it crosses IPC.
import * as ApprovalBindings from './wailsjs/go/app/ApprovalService';
import type { app, backend } from './wailsjs/go/models';
import { toApiError } from './errors';

export type Approval = backend.Approval;
export type PackageOptions = app.PackageOptions;
export type PackageResult = app.PackageResult;
export type ApprovalImport = app.ApprovalImport;
export type Period = app.Period;

async function call<T>(fn: () => Promise<T>): Promise<T> {
  try {
    return await fn();
  } catch (e) {
    throw toApiError(e);
  }
}

export const approvalApi = {
  defaultPeriod: (clientId: number) => call(() => ApprovalBindings.DefaultPeriod(clientId)),
  /** Asks where to save, writes the HTML and the PDF beside it, opens the folder. */
  exportPackage: (o: PackageOptions) => call(() => ApprovalBindings.Export(o)),
  /** Asks for an answer file and imports it (clientId 0: any client's). */
  importFile: (clientId: number) => call(() => ApprovalBindings.ImportFile(clientId)),
  /** Imports an answer pasted from an e-mail. */
  importText: (text: string, clientId: number) => call(() => ApprovalBindings.ImportText(text, clientId)),
  setNeedsApproval: (postId: number, needs: boolean) => call(() => ApprovalBindings.SetNeedsApproval(postId, needs)),
};
