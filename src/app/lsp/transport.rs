//! Stdio transport. `lsp_server::Connection::stdio` ends the connection on the first
//! malformed message; an editor (or a person typing into a pipe) can send one, and the
//! server should log it and go on. This reader keeps the framing (`Content-Length`)
//! and skips what does not parse as JSON-RPC.

use std::io::{self, BufRead, Write};
use std::thread;

use crossbeam_channel::{bounded, select, unbounded, Sender};
use lsp_server::{Connection, Message};

/// What the reader made of the next frame.
#[derive(Debug)]
pub enum Frame {
    /// A message.
    Message(Message),
    /// A frame that is not a JSON-RPC message: why, for the log.
    Malformed(String),
    /// The end of the input.
    Eof,
}

/// Read one frame: headers up to an empty line, then `Content-Length` bytes of body.
/// Header lines that are not headers are skipped (with a note), so that garbage before
/// a frame does not lose the frame.
pub fn read_frame(r: &mut impl BufRead) -> io::Result<Frame> {
    let mut length: Option<usize> = None;
    loop {
        let mut line = String::new();
        let mut raw = Vec::new();
        if r.read_until(b'\n', &mut raw)? == 0 {
            return Ok(Frame::Eof);
        }
        line.push_str(&String::from_utf8_lossy(&raw));
        let line = line.trim_end_matches(['\r', '\n']);
        if line.is_empty() {
            if let Some(n) = length {
                let mut body = vec![0; n];
                r.read_exact(&mut body)?;
                return Ok(match serde_json::from_slice::<Message>(&body) {
                    Ok(m) => Frame::Message(m),
                    Err(e) => Frame::Malformed(format!("not a JSON-RPC message: {e}")),
                });
            }
            continue;
        }
        let header = match line.split_once(':') {
            Some((name, value)) if name.trim().eq_ignore_ascii_case("content-length") => {
                match value.trim().parse::<usize>() {
                    Ok(n) if n <= 256 << 20 => {
                        length = Some(n);
                        true
                    }
                    _ => false,
                }
            }
            Some((name, _)) => name.trim().eq_ignore_ascii_case("content-type"),
            None => false,
        };
        if !header && length.is_none() {
            return Ok(Frame::Malformed(format!(
                "not an LSP header: {:?}",
                line.chars().take(80).collect::<String>()
            )));
        }
    }
}

/// Run `serve` on a connection over this process's stdin and `out` (stdout, which
/// `main` holds locked: the messages are written on this thread). Returns when `serve`
/// does, once what it sent is written; the reader thread may still be blocked on stdin
/// and ends with the process.
pub fn run(
    mut out: &mut dyn Write,
    serve: impl FnOnce(Connection) -> Result<(), String> + Send + 'static,
) -> Result<(), String> {
    let (to_server, receiver) = unbounded::<Message>();
    let (sender, to_client) = unbounded::<Message>();
    let (done_tx, done_rx) = bounded::<()>(1);
    thread::Builder::new()
        .name("followup-lsp-reader".to_owned())
        .spawn(move || reader_loop(to_server))
        .map_err(|e| format!("cannot start the reader thread: {e}"))?;
    let server = thread::Builder::new()
        .name("followup-lsp-main".to_owned())
        .spawn(move || {
            let result = serve(Connection { sender, receiver });
            let _ = done_tx.send(());
            result
        })
        .map_err(|e| format!("cannot start the server thread: {e}"))?;
    let mut write = |m: Message| m.write(&mut out).and_then(|()| out.flush()).is_ok();
    loop {
        select! {
            recv(to_client) -> m => match m {
                Ok(m) => {
                    if !write(m) {
                        break;
                    }
                }
                Err(_) => break,
            },
            recv(done_rx) -> _ => {
                while let Ok(m) = to_client.try_recv() {
                    if !write(m) {
                        break;
                    }
                }
                break;
            }
        }
    }
    server
        .join()
        .unwrap_or_else(|_| Err("the server thread panicked".to_owned()))
}

fn reader_loop(to_server: Sender<Message>) {
    let stdin = io::stdin();
    let mut stdin = stdin.lock();
    loop {
        match read_frame(&mut stdin) {
            Ok(Frame::Message(m)) => {
                let exit = matches!(&m, Message::Notification(n) if n.method == "exit");
                if to_server.send(m).is_err() || exit {
                    return;
                }
            }
            Ok(Frame::Malformed(why)) => super::log(&format!("skipped input: {why}")),
            Ok(Frame::Eof) => return,
            Err(e) => {
                super::log(&format!("cannot read stdin: {e}"));
                return;
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn frame(body: &str) -> String {
        format!("Content-Length: {}\r\n\r\n{body}", body.len())
    }

    #[test]
    fn malformed_frames_are_skipped_and_the_next_one_is_read() {
        let input = format!(
            "{}{}garbage line\r\n{}",
            frame("{not json"),
            frame(r#"{"jsonrpc":"2.0","result":1}"#),
            frame(r#"{"jsonrpc":"2.0","method":"exit"}"#)
        );
        let mut r = io::Cursor::new(input.into_bytes());
        assert!(matches!(read_frame(&mut r).unwrap(), Frame::Malformed(_)));
        // A response without an id is not a message either.
        assert!(matches!(read_frame(&mut r).unwrap(), Frame::Malformed(_)));
        assert!(matches!(read_frame(&mut r).unwrap(), Frame::Malformed(_)));
        match read_frame(&mut r).unwrap() {
            Frame::Message(Message::Notification(n)) => assert_eq!(n.method, "exit"),
            other => panic!("the exit notification, not {other:?}"),
        }
        assert!(matches!(read_frame(&mut r).unwrap(), Frame::Eof));
    }
}
