//! `followup lsp`: a language server over stdio, on `lsp-server` and `lsp-types` (the
//! synchronous stack of rust-analyzer). One thread runs the main loop over the
//! connection; the workspace scan runs on another (and rayon's pool) and hands its result
//! back through a channel, so requests are answered while it runs.
//!
//! Every answer comes from the library: the note reader, the rules and the edit planner.
//! Positions are UTF-16, as the protocol says ([`position`]).

mod features;
mod index;
pub mod position;
pub mod transport;

#[cfg(test)]
mod tests;

use std::collections::{BTreeSet, HashMap, HashSet};
use std::io::Write;
use std::panic::{catch_unwind, AssertUnwindSafe};
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::{Duration, Instant};

use chrono::NaiveDate;
use crossbeam_channel::{select, tick, unbounded, Receiver, Sender};
use lsp_server::{Connection, ErrorCode, Message, Notification, Request, RequestId, Response};
use lsp_types as lsp;
use lsp_types::notification::{self as notif, Notification as _};
use lsp_types::request::{self as req, Request as _};
use lsp_types::{NumberOrString, Url};
use serde::de::DeserializeOwned;
use serde_json::Value;

use crate::app::cli::ConfigArgs;
use crate::app::settings::load_config;
use crate::config::Config;
use crate::fs::source::read_note;
use crate::fs::walk::NoteFile;
use crate::notes::reader::{self, Read};
use crate::rules::check_customers;

use features::{ActionCx, Analysis};
use index::{Index, Indexed};

/// Write a line to stderr, which editors keep as the server's log.
pub(crate) fn log(message: &str) {
    let _ = writeln!(std::io::stderr(), "followup lsp: {message}");
}

/// Run the server on stdin and stdout until the client says `exit` or goes away: `Ok`
/// after `shutdown` then `exit`, as the protocol asks, `Err` otherwise.
pub fn run_stdio(out: &mut dyn Write) -> Result<(), String> {
    transport::run(out, serve)
}

/// An open document.
struct Doc {
    file: NoteFile,
    version: i32,
    text: String,
    config: Arc<Config>,
    analysis: Analysis,
}

/// What the background scan sends back.
enum ScanDone {
    /// Notes found, by path, and the generation of the scan.
    Notes(u64, Vec<(String, Indexed)>),
}

/// The server's state.
struct Server {
    sender: Sender<Message>,
    initialized: bool,
    shutdown: bool,
    roots: Vec<PathBuf>,
    today_override: Option<NaiveDate>,
    today: NaiveDate,
    clock: Clock,
    work_done_progress: bool,
    watch_files: bool,
    docs: HashMap<Url, Doc>,
    /// Configurations by folder.
    configs: HashMap<PathBuf, Arc<Config>>,
    index: Index,
    /// Customer findings by path, with the text they were placed in.
    customer_diags: HashMap<String, (Vec<crate::rules::Diagnostic>, String)>,
    /// Documents whose diagnostics are to be published.
    dirty: BTreeSet<Url>,
    /// The customer findings are to be recomputed once the client pauses.
    customers_dirty: bool,
    scan_tx: Sender<ScanDone>,
    scan_generation: u64,
    next_id: i32,
    suppress_days: u64,
}

/// What day it is (the local date; tests give their own).
type Clock = Box<dyn Fn() -> NaiveDate + Send>;

/// Serve one connection (stdio, or an in-memory pair in tests).
pub fn serve(connection: Connection) -> Result<(), String> {
    let (mut s, scan_rx) = Server::new(
        connection.sender.clone(),
        Box::new(|| chrono::Local::now().date_naive()),
    );
    s.main_loop(&connection.receiver, &scan_rx)
}

impl Server {
    fn new(sender: Sender<Message>, clock: Clock) -> (Server, Receiver<ScanDone>) {
        let (scan_tx, scan_rx) = unbounded();
        let today = clock();
        let s = Server {
            sender,
            initialized: false,
            shutdown: false,
            roots: Vec::new(),
            today_override: None,
            today,
            clock,
            work_done_progress: false,
            watch_files: false,
            docs: HashMap::new(),
            configs: HashMap::new(),
            index: Index::default(),
            customer_diags: HashMap::new(),
            dirty: BTreeSet::new(),
            customers_dirty: false,
            scan_tx,
            scan_generation: 0,
            next_id: 0,
            suppress_days: 7,
        };
        (s, scan_rx)
    }

    fn main_loop(
        &mut self,
        receiver: &Receiver<Message>,
        scan_rx: &Receiver<ScanDone>,
    ) -> Result<(), String> {
        let minute = tick(Duration::from_secs(60));
        let mut last_message = Instant::now();
        loop {
            let idle = if self.customers_dirty {
                Duration::from_millis(300).saturating_sub(last_message.elapsed())
            } else {
                Duration::from_secs(3600)
            };
            let mut batch = Vec::new();
            select! {
                recv(receiver) -> m => match m {
                    Ok(m) => batch.push(m),
                    Err(_) => return Err("the client went away without `exit`".to_owned()),
                },
                recv(scan_rx) -> done => {
                    if let Ok(done) = done {
                        self.guard("scan result", |s| s.scan_done(done));
                    }
                }
                recv(minute) -> _ => self.guard("day change", Server::check_day),
                default(idle) => {
                    if self.customers_dirty {
                        self.guard("customer findings", Server::refresh_customers);
                    }
                }
            }
            if !batch.is_empty() {
                last_message = Instant::now();
            }
            // Take what else is waiting: cancellations apply to requests in the batch,
            // and a burst of changes is analysed once.
            while let Ok(m) = receiver.try_recv() {
                batch.push(m);
            }
            let cancelled: HashSet<RequestId> = batch
                .iter()
                .filter_map(|m| match m {
                    Message::Notification(n) if n.method == notif::Cancel::METHOD => {
                        serde_json::from_value::<lsp::CancelParams>(n.params.clone())
                            .ok()
                            .map(|p| match p.id {
                                NumberOrString::Number(n) => RequestId::from(n),
                                NumberOrString::String(s) => RequestId::from(s),
                            })
                    }
                    _ => None,
                })
                .collect();
            for m in batch {
                match m {
                    Message::Request(r) if cancelled.contains(&r.id) => {
                        self.respond(Response::new_err(
                            r.id,
                            ErrorCode::RequestCanceled as i32,
                            "cancelled".to_owned(),
                        ));
                    }
                    Message::Request(r) => self.on_request(r),
                    Message::Notification(n) if n.method == notif::Exit::METHOD => {
                        return if self.shutdown {
                            Ok(())
                        } else {
                            Err("`exit` without `shutdown`".to_owned())
                        };
                    }
                    Message::Notification(n) => {
                        let method = n.method.clone();
                        self.guard(&method, |s| s.on_notification(n));
                    }
                    Message::Response(_) => {}
                }
            }
            self.guard("publishing diagnostics", Server::publish_dirty);
        }
    }

    /// Run `f`; a panic in it is logged, and the server goes on.
    fn guard(&mut self, what: &str, f: impl FnOnce(&mut Server)) {
        if catch_unwind(AssertUnwindSafe(|| f(self))).is_err() {
            log(&format!("internal error in {what}; carrying on"));
        }
    }

    fn send(&self, m: impl Into<Message>) {
        let _ = self.sender.send(m.into());
    }

    fn respond(&self, r: Response) {
        self.send(r);
    }

    fn notify<N: lsp::notification::Notification>(&self, params: N::Params) {
        self.send(Notification::new(N::METHOD.to_owned(), params));
    }

    fn request<R: lsp::request::Request>(&mut self, params: R::Params) {
        self.next_id += 1;
        let id = RequestId::from(format!("followup-{}", self.next_id));
        self.send(Request::new(id, R::METHOD.to_owned(), params));
    }

    fn today(&self) -> NaiveDate {
        self.today_override.unwrap_or_else(|| (self.clock)())
    }

    // ---- requests ----

    fn on_request(&mut self, r: Request) {
        let id = r.id.clone();
        let method = r.method.clone();
        if !self.initialized && method != req::Initialize::METHOD {
            if method == req::Shutdown::METHOD {
                self.shutdown = true;
                return self.respond(Response::new_ok(id, ()));
            }
            return self.respond(Response::new_err(
                id,
                ErrorCode::ServerNotInitialized as i32,
                "the server is not initialized".to_owned(),
            ));
        }
        if self.shutdown {
            return self.respond(Response::new_err(
                id,
                ErrorCode::InvalidRequest as i32,
                "the server is shutting down".to_owned(),
            ));
        }
        let result = catch_unwind(AssertUnwindSafe(|| self.dispatch(r)));
        let response = match result {
            Ok(Ok(value)) => Response {
                id,
                result: Some(value),
                error: None,
            },
            Ok(Err((code, message))) => Response::new_err(id, code as i32, message),
            Err(_) => {
                log(&format!("internal error answering {method}"));
                Response::new_err(
                    id,
                    ErrorCode::InternalError as i32,
                    format!("internal error answering {method}"),
                )
            }
        };
        self.respond(response);
    }

    fn dispatch(&mut self, r: Request) -> Result<Value, (ErrorCode, String)> {
        fn params<P: DeserializeOwned>(r: &Request) -> Result<P, (ErrorCode, String)> {
            serde_json::from_value(r.params.clone()).map_err(|e| {
                (
                    ErrorCode::InvalidParams,
                    format!("invalid params for {}: {e}", r.method),
                )
            })
        }
        fn ok<T: serde::Serialize>(t: T) -> Result<Value, (ErrorCode, String)> {
            Ok(serde_json::to_value(t).unwrap_or(Value::Null))
        }
        match r.method.as_str() {
            req::Initialize::METHOD => {
                if self.initialized {
                    return Err((ErrorCode::InvalidRequest, "initialized already".to_owned()));
                }
                let p: lsp::InitializeParams = params(&r)?;
                ok(self.initialize(p))
            }
            req::Shutdown::METHOD => {
                self.shutdown = true;
                ok(())
            }
            req::HoverRequest::METHOD => {
                let p: lsp::HoverParams = params(&r)?;
                let pp = p.text_document_position_params;
                ok(self.hover(&pp.text_document.uri, pp.position))
            }
            req::Completion::METHOD => {
                let p: lsp::CompletionParams = params(&r)?;
                let pp = p.text_document_position;
                ok(self.completion(&pp.text_document.uri, pp.position))
            }
            req::CodeActionRequest::METHOD => {
                let p: lsp::CodeActionParams = params(&r)?;
                ok(self.code_actions(&p))
            }
            req::InlayHintRequest::METHOD => {
                let p: lsp::InlayHintParams = params(&r)?;
                ok(self
                    .docs
                    .get(&p.text_document.uri)
                    .map(|d| features::inlay_hints(&d.analysis, &d.text, p.range)))
            }
            req::DocumentSymbolRequest::METHOD => {
                let p: lsp::DocumentSymbolParams = params(&r)?;
                ok(self.docs.get(&p.text_document.uri).map(|d| {
                    lsp::DocumentSymbolResponse::Nested(features::document_symbols(
                        &d.analysis,
                        &d.text,
                    ))
                }))
            }
            req::WorkspaceSymbolRequest::METHOD => {
                let p: lsp::WorkspaceSymbolParams = params(&r)?;
                ok(self.workspace_symbols(&p.query))
            }
            _ => Err((
                ErrorCode::MethodNotFound,
                format!("followup does not handle {}", r.method),
            )),
        }
    }

    fn initialize(&mut self, p: lsp::InitializeParams) -> lsp::InitializeResult {
        self.initialized = true;
        #[allow(deprecated)]
        let root_uri = p.root_uri.clone();
        let folders = p
            .workspace_folders
            .clone()
            .unwrap_or_default()
            .into_iter()
            .map(|f| f.uri)
            .chain(root_uri);
        for uri in folders {
            if let Ok(path) = uri.to_file_path() {
                if !self.roots.contains(&path) {
                    self.roots.push(path);
                }
            }
        }
        if let Some(options) = &p.initialization_options {
            self.today_override = options
                .get("today")
                .and_then(Value::as_str)
                .and_then(crate::notes::dates::parse_iso);
            if let Some(days) = options.get("suppressDays").and_then(Value::as_u64) {
                self.suppress_days = days.clamp(1, 3650);
            }
        }
        self.today = self.today();
        self.work_done_progress = p
            .capabilities
            .window
            .as_ref()
            .and_then(|w| w.work_done_progress)
            .unwrap_or(false);
        self.watch_files = p
            .capabilities
            .workspace
            .as_ref()
            .and_then(|w| w.did_change_watched_files.as_ref())
            .and_then(|w| w.dynamic_registration)
            .unwrap_or(false);
        lsp::InitializeResult {
            capabilities: capabilities(),
            server_info: Some(lsp::ServerInfo {
                name: "followup".to_owned(),
                version: Some(env!("FOLLOWUP_VERSION").to_owned()),
            }),
        }
    }

    fn hover(&self, uri: &Url, pos: lsp::Position) -> Option<lsp::Hover> {
        let d = self.docs.get(uri)?;
        features::hover(&d.analysis, &d.text, pos, self.today, |slug| {
            self.index.rows.get(slug).cloned()
        })
    }

    fn completion(&self, uri: &Url, pos: lsp::Position) -> Option<lsp::CompletionResponse> {
        let d = self.docs.get(uri)?;
        let items = features::completion(&d.analysis, &d.text, pos, self.today, &self.index.names);
        Some(lsp::CompletionResponse::Array(items))
    }

    fn code_actions(&self, p: &lsp::CodeActionParams) -> Option<Vec<lsp::CodeActionOrCommand>> {
        let d = self.docs.get(&p.text_document.uri)?;
        let first = features::line_of(&d.analysis, &d.text, p.range.start);
        let last = features::line_of(&d.analysis, &d.text, p.range.end).max(first);
        let cx = ActionCx {
            uri: &p.text_document.uri,
            text: &d.text,
            file: &d.file,
            config: &d.config,
            today: self.today,
            suppress_days: self.suppress_days,
        };
        Some(features::code_actions(
            &d.analysis,
            &cx,
            first,
            last,
            p.context.only.as_deref(),
        ))
    }

    #[allow(deprecated)]
    fn workspace_symbols(&self, query: &str) -> Option<lsp::WorkspaceSymbolResponse> {
        let query = query.to_lowercase();
        let mut out = Vec::new();
        for (path, ix) in &self.index.notes {
            let Ok(uri) = Url::from_file_path(path) else {
                continue;
            };
            let container = ix.named.as_ref().map(|n| n.label.clone());
            for item in &ix.open {
                if !query.is_empty() && !item.text.to_lowercase().contains(&query) {
                    continue;
                }
                let line = item.line.saturating_sub(1) as u32;
                out.push(lsp::SymbolInformation {
                    name: match item.due {
                        Some(d) => format!("{} (due {d})", item.text),
                        None => item.text.clone(),
                    },
                    kind: lsp::SymbolKind::EVENT,
                    tags: None,
                    deprecated: None,
                    location: lsp::Location::new(
                        uri.clone(),
                        lsp::Range::new(lsp::Position::new(line, 0), lsp::Position::new(line, 0)),
                    ),
                    container_name: container.clone(),
                });
                if out.len() >= 500 {
                    return Some(lsp::WorkspaceSymbolResponse::Flat(out));
                }
            }
        }
        Some(lsp::WorkspaceSymbolResponse::Flat(out))
    }

    // ---- notifications ----

    fn on_notification(&mut self, n: Notification) {
        fn params<P: DeserializeOwned>(n: &Notification) -> Option<P> {
            match serde_json::from_value(n.params.clone()) {
                Ok(p) => Some(p),
                Err(e) => {
                    log(&format!("ignored {}: invalid params: {e}", n.method));
                    None
                }
            }
        }
        if !self.initialized {
            return;
        }
        match n.method.as_str() {
            notif::Initialized::METHOD => self.initialized_notification(),
            notif::DidOpenTextDocument::METHOD => {
                if let Some(p) = params::<lsp::DidOpenTextDocumentParams>(&n) {
                    let d = p.text_document;
                    self.open(d.uri, d.version, d.text);
                }
            }
            notif::DidChangeTextDocument::METHOD => {
                if let Some(p) = params::<lsp::DidChangeTextDocumentParams>(&n) {
                    self.change(p);
                }
            }
            notif::DidSaveTextDocument::METHOD => {
                if let Some(p) = params::<lsp::DidSaveTextDocumentParams>(&n) {
                    if let Some(text) = p.text {
                        if let Some(d) = self.docs.get_mut(&p.text_document.uri) {
                            d.text = text;
                        }
                        self.reanalyse(&p.text_document.uri);
                    }
                    self.customers_dirty = true;
                }
            }
            notif::DidCloseTextDocument::METHOD => {
                if let Some(p) = params::<lsp::DidCloseTextDocumentParams>(&n) {
                    self.close(&p.text_document.uri);
                }
            }
            notif::DidChangeWatchedFiles::METHOD => {
                if let Some(p) = params::<lsp::DidChangeWatchedFilesParams>(&n) {
                    self.watched(p);
                }
            }
            _ => {}
        }
    }

    fn initialized_notification(&mut self) {
        if self.watch_files {
            let watchers = ["**/*.{md,markdown}", "**/{followup,.followup}.toml"]
                .into_iter()
                .map(|g| lsp::FileSystemWatcher {
                    glob_pattern: lsp::GlobPattern::String(g.to_owned()),
                    kind: None,
                })
                .collect();
            let options = lsp::DidChangeWatchedFilesRegistrationOptions { watchers };
            self.request::<req::RegisterCapability>(lsp::RegistrationParams {
                registrations: vec![lsp::Registration {
                    id: "followup-watch".to_owned(),
                    method: notif::DidChangeWatchedFiles::METHOD.to_owned(),
                    register_options: serde_json::to_value(options).ok(),
                }],
            });
        }
        self.start_scan();
    }

    /// The configuration for a note at `path` (cached by folder).
    fn config_for(&mut self, path: Option<&Path>) -> Arc<Config> {
        let dir = path
            .and_then(Path::parent)
            .map(Path::to_path_buf)
            .or_else(|| self.roots.first().cloned())
            .unwrap_or_else(|| PathBuf::from("."));
        if let Some(c) = self.configs.get(&dir) {
            return c.clone();
        }
        let args = ConfigArgs {
            config: None,
            isolated: false,
        };
        let config = match load_config(&args, std::slice::from_ref(&dir)) {
            Ok(c) => c,
            Err(e) => {
                log(&format!("{e}; using the defaults"));
                self.show_message(lsp::MessageType::WARNING, format!("followup: {e}"));
                Config {
                    root: dir.clone(),
                    ..Config::default()
                }
            }
        };
        let config = Arc::new(config);
        self.configs.insert(dir, config.clone());
        config
    }

    fn show_message(&self, typ: lsp::MessageType, message: String) {
        self.notify::<notif::ShowMessage>(lsp::ShowMessageParams { typ, message });
    }

    fn file_for(&self, uri: &Url) -> NoteFile {
        match uri.to_file_path() {
            Ok(path) => index::note_file(&path, &self.roots),
            Err(()) => NoteFile {
                fs_path: PathBuf::from(uri.path()),
                display: uri.to_string(),
                folder: None,
            },
        }
    }

    fn open(&mut self, uri: Url, version: i32, text: String) {
        let file = self.file_for(&uri);
        let config = self.config_for(uri.to_file_path().ok().as_deref());
        let analysis = Analysis::new(&file, &text, &config, self.today);
        self.docs.insert(
            uri.clone(),
            Doc {
                file,
                version,
                text,
                config,
                analysis,
            },
        );
        self.update_index(&uri);
        self.dirty.insert(uri);
        self.customers_dirty = true;
    }

    fn change(&mut self, p: lsp::DidChangeTextDocumentParams) {
        let uri = p.text_document.uri;
        let Some(d) = self.docs.get_mut(&uri) else {
            log(&format!("ignored a change to {uri}, which is not open"));
            return;
        };
        for c in p.content_changes {
            position::apply_change(&mut d.text, c.range, &c.text);
        }
        d.version = p.text_document.version;
        self.reanalyse(&uri);
    }

    fn reanalyse(&mut self, uri: &Url) {
        let today = self.today;
        if let Some(d) = self.docs.get_mut(uri) {
            d.analysis = Analysis::new(&d.file, &d.text, &d.config, today);
            self.dirty.insert(uri.clone());
            self.update_index(uri);
        }
    }

    /// The open buffer is what the workspace knows of its note.
    fn update_index(&mut self, uri: &Url) {
        let Some(d) = self.docs.get(uri) else {
            return;
        };
        if uri.scheme() != "file" {
            return;
        }
        match &d.analysis.note {
            Some(note) => {
                self.index
                    .notes
                    .insert(d.file.display.clone(), Indexed::of(note, self.today));
            }
            None => {
                self.index.notes.remove(&d.file.display);
            }
        }
    }

    fn close(&mut self, uri: &Url) {
        let Some(d) = self.docs.remove(uri) else {
            return;
        };
        // What is on disk counts again.
        self.reindex_file(&d.file.fs_path);
        self.customers_dirty = true;
        let keep = self.customer_diags.contains_key(&d.file.display);
        if !keep {
            self.notify::<notif::PublishDiagnostics>(lsp::PublishDiagnosticsParams {
                uri: uri.clone(),
                diagnostics: Vec::new(),
                version: None,
            });
        } else {
            self.dirty.insert(uri.clone());
        }
    }

    fn reindex_file(&mut self, path: &Path) {
        let file = index::note_file(path, &self.roots);
        let config = self.config_for(Some(path));
        let policy = crate::app::settings::read_policy(&config, None);
        match reader::read(&file, policy) {
            Ok(Read::Note(note, _)) => {
                self.index
                    .notes
                    .insert(file.display.clone(), Indexed::of(&note, self.today));
            }
            _ => {
                self.index.notes.remove(&file.display);
            }
        }
    }

    fn watched(&mut self, p: lsp::DidChangeWatchedFilesParams) {
        let mut config_changed = false;
        for change in p.changes {
            let Ok(path) = change.uri.to_file_path() else {
                continue;
            };
            let name = path.file_name().map(|n| n.to_string_lossy().into_owned());
            if matches!(name.as_deref(), Some("followup.toml" | ".followup.toml")) {
                config_changed = true;
                continue;
            }
            if self.docs.contains_key(&change.uri) {
                continue;
            }
            if change.typ == lsp::FileChangeType::DELETED {
                self.index
                    .notes
                    .remove(&index::note_file(&path, &self.roots).display);
            } else {
                self.reindex_file(&path);
            }
            self.customers_dirty = true;
        }
        if config_changed {
            self.configs.clear();
            let uris: Vec<Url> = self.docs.keys().cloned().collect();
            for uri in uris {
                let config = self.config_for(uri.to_file_path().ok().as_deref());
                if let Some(d) = self.docs.get_mut(&uri) {
                    d.config = config;
                }
                self.reanalyse(&uri);
            }
            self.start_scan();
        }
    }

    // ---- the workspace ----

    fn start_scan(&mut self) {
        if self.roots.is_empty() {
            return;
        }
        self.scan_generation += 1;
        let generation = self.scan_generation;
        let token = NumberOrString::String(format!("followup/scan/{generation}"));
        if self.work_done_progress {
            self.request::<req::WorkDoneProgressCreate>(lsp::WorkDoneProgressCreateParams {
                token: token.clone(),
            });
        }
        let roots: Vec<(PathBuf, Arc<Config>)> = self
            .roots
            .clone()
            .into_iter()
            .map(|r| {
                let c = self.config_for(Some(&r.join("x.md")));
                (r, c)
            })
            .collect();
        let progress = self.work_done_progress.then(|| self.sender.clone());
        let (today, tx) = (self.today, self.scan_tx.clone());
        let spawned = std::thread::Builder::new()
            .name("followup-lsp-scan".to_owned())
            .spawn(move || {
                let send = |value: lsp::WorkDoneProgress| {
                    if let Some(sender) = &progress {
                        let _ = sender.send(
                            Notification::new(
                                notif::Progress::METHOD.to_owned(),
                                lsp::ProgressParams {
                                    token: token.clone(),
                                    value: lsp::ProgressParamsValue::WorkDone(value),
                                },
                            )
                            .into(),
                        );
                    }
                };
                send(lsp::WorkDoneProgress::Begin(lsp::WorkDoneProgressBegin {
                    title: "followup: reading the notes".to_owned(),
                    cancellable: Some(false),
                    message: None,
                    percentage: Some(0),
                }));
                let mut all = Vec::new();
                let mut last = Instant::now();
                for (root, config) in &roots {
                    let found = index::scan_root(root, config, today, |done, total| {
                        if last.elapsed() > Duration::from_millis(100) || done == total {
                            last = Instant::now();
                            send(lsp::WorkDoneProgress::Report(lsp::WorkDoneProgressReport {
                                cancellable: Some(false),
                                message: Some(format!("{done}/{total} notes")),
                                percentage: Some((done * 100 / total.max(1)) as u32),
                            }));
                        }
                    });
                    all.extend(found);
                }
                let count = all.len();
                let _ = tx.send(ScanDone::Notes(generation, all));
                send(lsp::WorkDoneProgress::End(lsp::WorkDoneProgressEnd {
                    message: Some(format!("{count} notes")),
                }));
            });
        if let Err(e) = spawned {
            log(&format!("cannot start the workspace scan: {e}"));
        }
    }

    fn scan_done(&mut self, done: ScanDone) {
        let ScanDone::Notes(generation, notes) = done;
        if generation != self.scan_generation {
            return;
        }
        let open: HashSet<String> = self.docs.values().map(|d| d.file.display.clone()).collect();
        self.index.notes.retain(|path, _| open.contains(path));
        for (path, ix) in notes {
            if !open.contains(&path) {
                self.index.notes.insert(path, ix);
            }
        }
        self.refresh_customers();
    }

    /// Recompute the customer findings, and publish where they changed.
    fn refresh_customers(&mut self) {
        self.customers_dirty = false;
        let root_config = self.config_for(self.roots.first().map(|r| r.join("x.md")).as_deref());
        let rows = self.index.customers(self.today, &root_config);
        let texts: HashMap<String, String> = self
            .docs
            .values()
            .map(|d| (d.file.display.clone(), d.text.clone()))
            .collect();
        let mut configs = HashMap::new();
        for path in rows
            .iter()
            .filter_map(|r| r.profile.clone().or(r.first_note.clone()))
        {
            let c = self.config_for(Some(Path::new(&path)));
            configs.insert(path, c);
        }
        let settings = |path: &str| match configs.get(path) {
            Some(c) => c.rules_for(Path::new(path)),
            None => root_config.rules_for(Path::new(path)),
        };
        let read = |path: &str| {
            texts
                .get(path)
                .map(|t| t.trim_start_matches('\u{feff}').to_owned())
                .or_else(|| {
                    read_note(Path::new(path), crate::fs::source::DEFAULT_MAX_FILE_SIZE).ok()
                })
        };
        let found: HashMap<String, (Vec<crate::rules::Diagnostic>, String)> =
            check_customers(&rows, self.today, settings, read)
                .into_iter()
                .filter_map(|(ds, text)| Some((ds.first()?.path.clone(), (ds, text))))
                .collect();
        let old = std::mem::replace(&mut self.customer_diags, found);
        let mut changed: BTreeSet<String> = old.keys().cloned().collect();
        changed.extend(self.customer_diags.keys().cloned());
        changed.retain(|p| old.get(p).map(|o| &o.0) != self.customer_diags.get(p).map(|n| &n.0));
        for path in changed {
            if let Ok(uri) = Url::from_file_path(&path) {
                self.dirty.insert(uri);
            }
        }
        self.publish_dirty();
    }

    fn check_day(&mut self) {
        let today = self.today();
        if today == self.today {
            return;
        }
        self.today = today;
        let uris: Vec<Url> = self.docs.keys().cloned().collect();
        for uri in uris {
            self.reanalyse(&uri);
        }
        self.start_scan();
    }

    fn publish_dirty(&mut self) {
        for uri in std::mem::take(&mut self.dirty) {
            let (diagnostics, version) = match self.docs.get(&uri) {
                Some(d) => {
                    let mut out: Vec<lsp::Diagnostic> = d
                        .analysis
                        .diagnostics
                        .iter()
                        .map(|x| {
                            features::to_lsp(x, &d.text, d.analysis.bom, &d.analysis.lines, &uri)
                        })
                        .collect();
                    if let Some((ds, _)) = self.customer_diags.get(&d.file.display) {
                        out.extend(ds.iter().map(|x| {
                            features::to_lsp(x, &d.text, d.analysis.bom, &d.analysis.lines, &uri)
                        }));
                    }
                    (out, Some(d.version))
                }
                None => {
                    let Ok(path) = uri.to_file_path() else {
                        continue;
                    };
                    let display = path.to_string_lossy().replace('\\', "/");
                    match self.customer_diags.get(&display) {
                        Some((ds, text)) => {
                            let lines = position::Lines::new(text);
                            (
                                ds.iter()
                                    .map(|x| features::to_lsp(x, text, 0, &lines, &uri))
                                    .collect(),
                                None,
                            )
                        }
                        None => (Vec::new(), None),
                    }
                }
            };
            self.notify::<notif::PublishDiagnostics>(lsp::PublishDiagnosticsParams {
                uri,
                diagnostics,
                version,
            });
        }
    }
}

/// What the server can do.
fn capabilities() -> lsp::ServerCapabilities {
    lsp::ServerCapabilities {
        position_encoding: Some(lsp::PositionEncodingKind::UTF16),
        text_document_sync: Some(lsp::TextDocumentSyncCapability::Options(
            lsp::TextDocumentSyncOptions {
                open_close: Some(true),
                change: Some(lsp::TextDocumentSyncKind::INCREMENTAL),
                will_save: None,
                will_save_wait_until: None,
                save: Some(lsp::TextDocumentSyncSaveOptions::SaveOptions(
                    lsp::SaveOptions {
                        include_text: Some(false),
                    },
                )),
            },
        )),
        hover_provider: Some(lsp::HoverProviderCapability::Simple(true)),
        completion_provider: Some(lsp::CompletionOptions {
            trigger_characters: Some(
                ["@", "(", ":", " "]
                    .into_iter()
                    .map(str::to_owned)
                    .collect(),
            ),
            ..lsp::CompletionOptions::default()
        }),
        code_action_provider: Some(lsp::CodeActionProviderCapability::Options(
            lsp::CodeActionOptions {
                code_action_kinds: Some(vec![
                    lsp::CodeActionKind::QUICKFIX,
                    lsp::CodeActionKind::from(features::FIX_ALL),
                ]),
                ..lsp::CodeActionOptions::default()
            },
        )),
        inlay_hint_provider: Some(lsp::OneOf::Left(true)),
        document_symbol_provider: Some(lsp::OneOf::Left(true)),
        workspace_symbol_provider: Some(lsp::OneOf::Left(true)),
        ..lsp::ServerCapabilities::default()
    }
}
