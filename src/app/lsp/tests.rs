//! The server driven through an in-memory connection: it answers, and it survives what
//! a confused client sends.

use std::time::Duration;

use lsp_server::{Connection, Message, Notification, Request, RequestId, Response};
use serde_json::{json, Value};

use super::serve;

struct Client {
    conn: Connection,
    server: std::thread::JoinHandle<Result<(), String>>,
    next: i32,
}

impl Client {
    fn start() -> Client {
        let (server_side, client_side) = Connection::memory();
        let server = std::thread::spawn(move || serve(server_side));
        Client {
            conn: client_side,
            server,
            next: 0,
        }
    }

    fn send(&self, m: impl Into<Message>) {
        self.conn.sender.send(m.into()).unwrap();
    }

    fn notify(&self, method: &str, params: Value) {
        self.send(Notification::new(method.to_owned(), params));
    }

    /// Send a request and wait for its response, answering nothing else; notifications
    /// that come in between are collected.
    fn request(&mut self, method: &str, params: Value) -> (Response, Vec<Notification>) {
        self.next += 1;
        let id = RequestId::from(self.next);
        self.send(Request::new(id.clone(), method.to_owned(), params));
        let mut seen = Vec::new();
        loop {
            match self.recv() {
                Message::Response(r) if r.id == id => return (r, seen),
                Message::Notification(n) => seen.push(n),
                _ => {}
            }
        }
    }

    fn recv(&self) -> Message {
        self.conn
            .receiver
            .recv_timeout(Duration::from_secs(10))
            .expect("the server answers")
    }

    /// The next diagnostics published for `uri`.
    fn diagnostics(&self, uri: &str) -> Vec<Value> {
        loop {
            if let Message::Notification(n) = self.recv() {
                if n.method == "textDocument/publishDiagnostics" && n.params["uri"] == uri {
                    return n.params["diagnostics"].as_array().unwrap().clone();
                }
            }
        }
    }

    fn initialize(&mut self) {
        let (r, _) = self.request(
            "initialize",
            json!({"capabilities": {}, "initializationOptions": {"today": "2026-11-23"}}),
        );
        assert!(r.error.is_none(), "{r:?}");
        assert_eq!(
            r.result.unwrap()["capabilities"]["textDocumentSync"]["change"],
            2
        );
        self.notify("initialized", json!({}));
    }

    fn stop(mut self) {
        let (r, _) = self.request("shutdown", Value::Null);
        assert!(r.error.is_none());
        self.notify("exit", Value::Null);
        assert_eq!(self.server.join().unwrap(), Ok(()));
    }
}

const URI: &str = "untitled:call.md";
const NOTE: &str = "# Call 2026-11-16\n\n* 😀 東京 Send the sheet @due(fri)\n* Book a room\n";

#[test]
fn diagnostics_on_open_and_change_in_utf16() {
    let mut c = Client::start();
    c.initialize();
    c.notify(
        "textDocument/didOpen",
        json!({"textDocument": {"uri": URI, "languageId": "markdown", "version": 1, "text": NOTE}}),
    );
    let ds = c.diagnostics(URI);
    let codes: Vec<&str> = ds.iter().map(|d| d["code"].as_str().unwrap()).collect();
    assert_eq!(codes, ["overdue", "missing-due"]);
    // `* 😀 東京 Send the sheet ` is 2 + 2 + 1 + 2 + 16 = 23 UTF-16 units.
    assert_eq!(ds[0]["range"]["start"], json!({"line": 2, "character": 23}));
    assert_eq!(ds[0]["severity"], 1);
    assert!(ds[0]["codeDescription"]["href"]
        .as_str()
        .unwrap()
        .ends_with("rules.md#overdue"));
    // Replace `fri` (units 28..31) with a date next week: no longer overdue.
    c.notify(
        "textDocument/didChange",
        json!({"textDocument": {"uri": URI, "version": 2}, "contentChanges": [
            {"range": {"start": {"line": 2, "character": 28}, "end": {"line": 2, "character": 31}},
             "text": "2026-11-30"}]}),
    );
    let ds = c.diagnostics(URI);
    let codes: Vec<&str> = ds.iter().map(|d| d["code"].as_str().unwrap()).collect();
    assert_eq!(codes, ["missing-due"]);
    c.stop();
}

#[test]
fn survives_bad_messages() {
    let mut c = Client::start();
    // Before initialize: refused, not fatal.
    let (r, _) = c.request("textDocument/hover", json!({}));
    assert_eq!(r.error.unwrap().code, -32002);
    c.initialize();
    // An unknown method, and params of the wrong shape.
    let (r, _) = c.request("followup/nonsense", json!([1, 2]));
    assert_eq!(r.error.unwrap().code, -32601);
    let (r, _) = c.request("textDocument/hover", json!({"nope": true}));
    assert_eq!(r.error.unwrap().code, -32602);
    let (r, _) = c.request("textDocument/hover", Value::Null);
    assert_eq!(r.error.unwrap().code, -32602);
    // Notifications that make no sense: ignored.
    c.notify(
        "textDocument/didChange",
        json!({"textDocument": {"uri": "file:///nowhere.md", "version": 3},
        "contentChanges": [{"text": "* x"}]}),
    );
    c.notify("textDocument/didOpen", json!({"textDocument": 17}));
    c.notify(
        "textDocument/didClose",
        json!({"textDocument": {"uri": "file:///never-opened.md"}}),
    );
    c.notify("$/unknownNotification", json!({}));
    c.send(Response::new_ok(RequestId::from(999), json!(null)));
    // A change far outside the document, after it is open.
    c.notify(
        "textDocument/didOpen",
        json!({"textDocument": {"uri": URI, "languageId": "markdown", "version": 1, "text": NOTE}}),
    );
    let _ = c.diagnostics(URI);
    c.notify(
        "textDocument/didChange",
        json!({"textDocument": {"uri": URI, "version": 2}, "contentChanges": [
            {"range": {"start": {"line": 90, "character": 4}, "end": {"line": 1, "character": 999}},
             "text": "\u{feff}* y @due("}]}),
    );
    let _ = c.diagnostics(URI);
    // Requests on positions past the end, and on documents never opened.
    let (r, _) = c.request(
        "textDocument/hover",
        json!({"textDocument": {"uri": URI}, "position": {"line": 400, "character": 70}}),
    );
    assert!(r.error.is_none());
    let (r, _) = c.request(
        "textDocument/completion",
        json!({"textDocument": {"uri": URI}, "position": {"line": 4000, "character": 0}}),
    );
    assert!(r.error.is_none());
    let (r, _) = c.request(
        "textDocument/codeAction",
        json!({"textDocument": {"uri": "file:///not/open.md"},
               "range": {"start": {"line": 0, "character": 0}, "end": {"line": 9, "character": 0}},
               "context": {"diagnostics": []}}),
    );
    assert!(r.error.is_none());
    // A second initialize is an error, not a crash.
    let (r, _) = c.request("initialize", json!({"capabilities": {}}));
    assert!(r.error.is_some());
    // Still answering.
    let (r, _) = c.request("workspace/symbol", json!({"query": ""}));
    assert!(r.error.is_none());
    c.stop();
}

#[test]
fn exit_without_shutdown_is_an_error_exit() {
    let c = Client::start();
    c.notify("exit", Value::Null);
    assert!(c.server.join().unwrap().is_err());
}

#[test]
fn the_client_going_away_ends_the_server() {
    let Client { conn, server, .. } = Client::start();
    drop(conn);
    assert!(server.join().unwrap().is_err());
}

#[test]
fn a_request_cancelled_before_it_is_handled_is_answered_as_cancelled() {
    let (server_side, client_side) = Connection::memory();
    // Everything is queued before the server runs, so it sees the request and its
    // cancellation together.
    let send = |m: Message| client_side.sender.send(m).unwrap();
    send(
        Request::new(
            RequestId::from(1),
            "initialize".to_owned(),
            json!({"capabilities": {}}),
        )
        .into(),
    );
    send(Notification::new("initialized".to_owned(), json!({})).into());
    send(
        Request::new(
            RequestId::from(2),
            "workspace/symbol".to_owned(),
            json!({"query": ""}),
        )
        .into(),
    );
    send(Notification::new("$/cancelRequest".to_owned(), json!({"id": 2})).into());
    send(Request::new(RequestId::from(3), "shutdown".to_owned(), Value::Null).into());
    send(Notification::new("exit".to_owned(), Value::Null).into());
    let server = std::thread::spawn(move || serve(server_side));
    assert_eq!(server.join().unwrap(), Ok(()));
    let responses: Vec<Response> = client_side
        .receiver
        .try_iter()
        .filter_map(|m| match m {
            Message::Response(r) => Some(r),
            _ => None,
        })
        .collect();
    assert_eq!(responses.len(), 3);
    assert!(responses[0].error.is_none());
    assert_eq!(responses[1].id, RequestId::from(2));
    assert_eq!(responses[1].error.as_ref().unwrap().code, -32800);
    assert!(responses[2].error.is_none());
}

#[test]
fn the_day_changing_while_the_server_runs_judges_the_notes_again() {
    use chrono::NaiveDate;
    use std::sync::{Arc, Mutex};

    let day = Arc::new(Mutex::new(NaiveDate::from_ymd_opt(2026, 11, 19).unwrap()));
    let clock_day = day.clone();
    let (sender, receiver) = crossbeam_channel::unbounded();
    let (mut s, _scan) = super::Server::new(sender, Box::new(move || *clock_day.lock().unwrap()));
    s.initialized = true;
    let uri = lsp_types::Url::parse(URI).unwrap();
    s.open(uri.clone(), 1, NOTE.to_owned());
    s.publish_dirty();
    let codes = |receiver: &crossbeam_channel::Receiver<Message>| -> Vec<String> {
        let Ok(Message::Notification(n)) = receiver.try_recv() else {
            panic!("diagnostics published");
        };
        n.params["diagnostics"]
            .as_array()
            .unwrap()
            .iter()
            .map(|d| d["code"].as_str().unwrap().to_owned())
            .collect()
    };
    // Thursday 2026-11-19: `fri` (2026-11-20) is due tomorrow.
    assert_eq!(codes(&receiver), ["due-soon", "missing-due"]);
    s.check_day();
    s.publish_dirty();
    assert!(receiver.try_recv().is_err(), "same day: nothing new");
    *day.lock().unwrap() = NaiveDate::from_ymd_opt(2026, 11, 23).unwrap();
    s.check_day();
    s.publish_dirty();
    assert_eq!(codes(&receiver), ["overdue", "missing-due"]);
}
