//! A small tree of notes with arbitrary file names and text, through every command and
//! format that reads notes, in process: nothing panics, exit codes are 0, 1 or 2, no
//! output holds a control character or bidi override that acts (line ends aside) or a
//! workflow command followup did not write, JSON and SARIF parse, SARIF URIs and the
//! markdown agenda's links lead to the notes' own bytes. Shared with the fuzz target
//! `fuzz/fuzz_targets/tree.rs` (which includes this file) and run by proptest below.

use std::ffi::OsString;
use std::os::unix::ffi::OsStringExt;
use std::path::Path;

use clap::Parser as _;
use followup::app::cli::Cli;
use followup::app::{run_to_end, Io};

/// Run followup with `args` in process: exit code, stdout, stderr.
fn run(args: &[OsString]) -> (u8, String, String) {
    let cli = match Cli::try_parse_from(
        std::iter::once(OsString::from("followup")).chain(args.iter().cloned()),
    ) {
        Ok(cli) => cli,
        Err(e) => panic!("{args:?}: {e}"),
    };
    let (mut out, mut err) = (Vec::new(), Vec::new());
    let mut io = Io {
        out: &mut out,
        err: &mut err,
        out_is_terminal: false,
    };
    let exit = run_to_end(cli, &mut io) as u8;
    let text = |b: Vec<u8>| String::from_utf8(b).expect("output is UTF-8");
    (exit, text(out), text(err))
}

/// No control character but line ends (and CRLF in iCalendar), no bidi override, and no
/// line starting with `::` but the github format's own commands.
fn assert_inert(what: &str, s: &str) {
    let acts = |c: char| {
        (c.is_control() && c != '\n' && c != '\t')
            || ('\u{202A}'..='\u{202E}').contains(&c)
            || ('\u{2066}'..='\u{2069}').contains(&c)
    };
    let s = s.replace("\r\n", "\n");
    for c in s.chars() {
        assert!(!acts(c), "{what}: {c:?} in {s}");
    }
    for line in s.lines() {
        let ours = ["::error file=", "::warning file=", "::notice file="]
            .iter()
            .any(|p| line.starts_with(p));
        assert!(
            ours || !line.trim_start().starts_with("::"),
            "{what}: {line}"
        );
    }
}

/// Percent-decoded bytes.
fn percent_decode(s: &str) -> Vec<u8> {
    let b = s.as_bytes();
    let mut out = Vec::new();
    let mut i = 0;
    while i < b.len() {
        if b[i] == b'%' && i + 3 <= b.len() {
            out.push(u8::from_str_radix(&s[i + 1..i + 3], 16).expect("hex"));
            i += 3;
        } else {
            out.push(b[i]);
            i += 1;
        }
    }
    out
}

/// A file name from arbitrary bytes: no `/` or NUL, not `.` or `..`, at most 200 bytes,
/// ending in `.md`.
fn name_of(raw: &[u8]) -> Vec<u8> {
    let mut name: Vec<u8> = raw
        .iter()
        .copied()
        .filter(|&b| b != b'/' && b != 0)
        .take(200)
        .collect();
    name.extend_from_slice(b".md");
    name
}

/// Write `entries` (name bytes, note bytes) below a fresh folder (every other one in a
/// customer folder) and run every format over it.
pub fn check_tree(entries: &[(Vec<u8>, Vec<u8>)]) {
    let dir = tempfile::tempdir().expect("temp dir");
    let notes = dir.path().join("notes");
    std::fs::create_dir_all(notes.join("acme")).expect("mkdir");
    for (i, (name, text)) in entries.iter().enumerate() {
        let folder = if i % 2 == 0 {
            notes.join("acme")
        } else {
            notes.clone()
        };
        let _ = std::fs::write(folder.join(OsString::from_vec(name_of(name))), text);
    }
    let root = notes.clone().into_os_string();
    let today = ["--today", "2026-11-23"];
    let with = |extra: &[&str]| -> Vec<OsString> {
        let mut v: Vec<OsString> = extra.iter().map(OsString::from).collect();
        v.push(root.clone());
        v.extend(today.iter().map(OsString::from));
        v
    };
    for format in ["human", "concise", "github", "json", "sarif"] {
        let (code, out, err) = run(&with(&["check", "--format", format]));
        assert!(code <= 2, "check {format}: exit {code}");
        assert_inert(format, &out);
        assert_inert(format, &err);
        if format == "json" {
            serde_json::from_str::<serde_json::Value>(&out).expect("json parses");
        }
        if format == "sarif" {
            let log: serde_json::Value = serde_json::from_str(&out).expect("sarif parses");
            for r in log["runs"][0]["results"].as_array().expect("results") {
                let uri = r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"]
                    .as_str()
                    .expect("uri");
                let path = uri
                    .strip_prefix("file://")
                    .expect("absolute paths are file URIs");
                let path = OsString::from_vec(percent_decode(path));
                assert!(Path::new(&path).is_file(), "{uri} names no note");
            }
        }
    }
    for args in [&["list"][..], &["list", "--format", "json"], &["customers"]] {
        let (code, out, err) = run(&with(args));
        assert!(code <= 2, "{args:?}: exit {code}");
        assert_inert(&args.join(" "), &out);
        assert_inert(&args.join(" "), &err);
    }
    let cwd = std::env::current_dir().expect("cwd");
    for format in ["markdown", "json", "ics"] {
        let (code, out, err) = run(&with(&["agenda", "--format", format]));
        assert!(code <= 2, "agenda {format}: exit {code}");
        assert_inert(format, &out);
        assert_inert(format, &err);
        if format == "json" {
            serde_json::from_str::<serde_json::Value>(&out).expect("agenda json parses");
        }
        if format != "markdown" {
            continue;
        }
        use pulldown_cmark::{Event, Parser, Tag};
        for event in Parser::new(&out) {
            match event {
                Event::Start(Tag::Link { dest_url, .. }) => {
                    let target = cwd.join(OsString::from_vec(percent_decode(&dest_url)));
                    assert!(target.is_file(), "{dest_url} links to no note");
                }
                Event::Html(h) if h.starts_with("<!-- Generated by followup agenda.") => {}
                Event::Start(Tag::Image { .. }) | Event::Html(_) | Event::InlineHtml(_) => {
                    panic!("{event:?} in {out}")
                }
                _ => {}
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::check_tree;
    use proptest::prelude::*;

    /// Name bytes weighted towards the ones that break output.
    fn name() -> impl Strategy<Value = Vec<u8>> {
        let byte = prop_oneof![
            3 => any::<u8>(),
            1 => prop::sample::select(vec![b'\n', b'\r', 0x1b, 0x07, b':', b'\\', b'[', b']', b'(', b')', b'%', b'#', b' ', 0xE9, b'x', b'<', b'*']),
        ];
        let piece = prop_oneof![
            4 => prop::collection::vec(byte, 0..12),
            1 => prop::sample::select(vec![
                b"::error::".to_vec(),
                b"](x)".to_vec(),
                b"\xE2\x80\xAE".to_vec(),
                b"caf\\xE9".to_vec(),
                b"caf\xE9".to_vec(),
                b"%0A".to_vec(),
            ]),
        ];
        prop::collection::vec(piece, 1..4).prop_map(|p| p.concat())
    }

    /// Note text: promises with dates and hostile text around.
    fn text() -> impl Strategy<Value = Vec<u8>> {
        let line = prop::sample::select(vec![
            "* Send it @due(2026-11-20)\n",
            "- [ ] Book it due:tomorrow\n",
            "* [x](javascript:alert(1)) ![](https://t.example/p.png) @due(fri)\n",
            "* Owed @waiting(<b>Bob</b>) @due(2026-11-25)\n",
            "* Escape \x1b[2J\x07 and \u{202E} @due(+2d)\n",
            "* Bad @due(tomorow) @due(+100000m)\n",
            "---\ncustomer: Acme\n---\n",
            "# Call 2026-11-16\n",
            "%0A::error::x\n",
        ]);
        prop::collection::vec(line, 0..6).prop_map(|l| l.concat().into_bytes())
    }

    proptest! {
        #![proptest_config(ProptestConfig {
            cases: std::env::var("TREE_CASES").ok().and_then(|n| n.parse().ok()).unwrap_or(24),
            ..ProptestConfig::default()
        })]
        /// Arbitrary names and notes through every format (`TREE_CASES=2000` for a longer
        /// run; cargo-fuzz runs the same check from `fuzz/fuzz_targets/tree.rs`).
        #[test]
        fn any_tree_goes_through_every_format(
            entries in prop::collection::vec((name(), text()), 1..6)
        ) {
            check_tree(&entries);
        }
    }
}
