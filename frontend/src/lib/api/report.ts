// Monthly report (issue #15): the report of a client's period, objectives,
// the CM's texts, figures typed by hand and the PDF/CSV exports.
import * as ReportService from './wailsjs/go/app/ReportService';
import * as ImportService from './wailsjs/go/app/ImportService';
import { EventsOn } from './wailsjs/runtime/runtime';
import type { app, backend, figimport, report } from './wailsjs/go/models';
import { toApiError } from './errors';
import { installErrorBridge } from './callback';

export type ReportQuery = app.ReportQuery;
export type ReportView = app.ReportView;
export type Report = report.Report;
export type Measure = report.Measure;
export type DayPoint = report.DayPoint;
export type FollowerSeries = report.FollowerSeries;
export type PostRow = report.PostRow;
export type NetworkRow = report.NetworkRow;
export type ObjectiveRow = report.ObjectiveRow;
export type Said = report.Said;
export type Objectives = backend.Objectives;
export type ObjectivesInput = app.ObjectivesInput;
export type ReportText = backend.ReportText;
export type ManualVariant = app.ManualVariant;
export type ManualInput = app.ManualInput;
export type Figures = backend.Figures;
export type FiguresImportRequest = app.FiguresImportRequest;
export type FiguresPreview = app.FiguresPreview;
export type FiguresPlan = figimport.Plan;
export type FiguresRow = figimport.Row;

async function call<T>(fn: () => Promise<T>): Promise<T> {
  installErrorBridge();
  try {
    return await fn();
  } catch (e) {
    throw toApiError(e);
  }
}

export const reportApi = {
  get: (q: ReportQuery) => call(() => ReportService.Get(q)),
  saveText: (t: ReportText) => call(() => ReportService.SaveText(t)),
  objectives: (clientId: number, month: string) => call(() => ReportService.Objectives(clientId, month)),
  saveObjectives: (o: ObjectivesInput) => call(() => ReportService.SaveObjectives(o)),
  manualFigures: (postId: number) => call(async () => (await ReportService.ManualFigures(postId)) ?? []),
  saveManualFigures: (variantId: number, f: ManualInput) => call(() => ReportService.SaveManualFigures(variantId, f)),
  author: () => call(() => ReportService.Author()),
  setAuthor: (name: string) => call(() => ReportService.SetAuthor(name)),
  exportPDF: (query: ReportQuery, openFolder: boolean) => call(() => ReportService.ExportPDF({ query, separator: '', openFolder })),
  exportCSV: (query: ReportQuery, separator: string, openFolder: boolean) => call(() => ReportService.ExportCSV({ query, separator, openFolder })),
  folder: () => call(() => ReportService.Folder()),
  /** The native CSV file dialog (the posts import's); "" when cancelled. */
  pickFiguresFile: () => call(() => ImportService.PickFile()),
  /** Reads an insights export and matches its rows; writes nothing. */
  previewFigures: (r: FiguresImportRequest) => call(() => ReportService.PreviewFigures(r)),
  /** Stores every matched row's figures in one transaction; resolves with how many posts. */
  importFigures: (r: FiguresImportRequest) => call(() => ReportService.ImportFigures(r)),
};

/** metrics:changed — figures or follower counts were saved. */
export function onMetricsChanged(handler: () => void): () => void {
  return EventsOn('metrics:changed', () => handler());
}
