//! `followup occasions sent NAME`: a dated `card-sent:` entry written into the profile,
//! byte for byte around it; `--dry-run`; no match and several matches; what the agenda
//! and `occasion-soon` make of it.

use std::path::Path;

use crate::{followup, notes_dir, root};

/// The occasions fixture's Northwind profile.
const PROFILE: &str = "northwind/_customer.md";

/// A copy of `fixtures/occasions` to write into.
fn fixture_copy() -> tempfile::TempDir {
    let dir = tempfile::tempdir().expect("temp dir");
    let from = root().join("fixtures/occasions");
    for rel in [
        "followup.toml",
        PROFILE,
        "northwind/2026-11-10-call.md",
        "fabrikam/_customer.md",
        "fabrikam/2026-10-09-intro-call.md",
        "contoso/_customer.md",
        "contoso/2025-06-02-last-order.md",
    ] {
        crate::write(
            dir.path(),
            rel,
            &std::fs::read(from.join(rel)).expect("fixture"),
        );
    }
    dir
}

/// `followup ARGS` in `dir`: exit code, stdout, stderr.
fn run_in(dir: &Path, args: &[&str]) -> (Option<i32>, String, String) {
    let out = followup()
        .current_dir(dir)
        .args(args)
        .output()
        .expect("runs");
    (
        out.status.code(),
        String::from_utf8(out.stdout).expect("UTF-8"),
        String::from_utf8(out.stderr).expect("UTF-8"),
    )
}

fn profile(dir: &Path) -> String {
    std::fs::read_to_string(dir.join(PROFILE)).expect("profile")
}

#[test]
fn sent_adds_one_dated_entry_and_nothing_else() {
    let dir = fixture_copy();
    let before = profile(dir.path());
    let (code, out, err) = run_in(
        dir.path(),
        &[
            "occasions",
            "sent",
            "dana ruiz's BIRTHDAY",
            "--date",
            "2026-11-20",
            "--today",
            "2026-11-23",
        ],
    );
    assert_eq!((code, err.as_str()), (Some(0), ""));
    assert_eq!(
        out,
        "recorded card sent 2026-11-20: northwind/_customer.md:26 Dana Ruiz's birthday\n"
    );
    let closing = before.find("---\n# Northwind").expect("closing line");
    let want = format!(
        "{}card-sent:\n  - 2026-11-20 Dana Ruiz's birthday\n{}",
        &before[..closing],
        &before[closing..]
    );
    assert_eq!(profile(dir.path()), want);
    // The second goes after the first; the date defaults to today.
    let (code, out, _) = run_in(
        dir.path(),
        &[
            "occasions",
            "sent",
            "Leo (Dana's son)",
            "--today",
            "2026-11-23",
        ],
    );
    assert_eq!(code, Some(0));
    assert_eq!(
        out,
        "recorded card sent 2026-11-23: northwind/_customer.md:27 Leo's birthday\n"
    );
    let want = want.replace(
        "birthday\n---",
        "birthday\n  - 2026-11-23 Leo's birthday\n---",
    );
    assert_eq!(profile(dir.path()), want);
    // Run again: recorded already, nothing written.
    let (code, out, _) = run_in(
        dir.path(),
        &[
            "occasions",
            "sent",
            "leo's birthday",
            "--today",
            "2026-11-23",
        ],
    );
    assert_eq!(
        (code, out.as_str()),
        (
            Some(0),
            "already recorded: card sent 2026-11-23 for Leo's birthday\n"
        )
    );
    assert_eq!(profile(dir.path()), want);
}

#[test]
fn a_crlf_profile_with_a_bom_keeps_both() {
    let text = b"\xEF\xBB\xBF---\r\ntype: customer\r\ncontacts:\r\n  - name: Kim\r\n    birthday: --05-01\r\ncard-sent:\r\n- 2025-04-28 Kim's birthday   # on time\r\n\r\n---\r\nBody\r\n";
    let dir = notes_dir(&[("notes/acme/_customer.md", text)]);
    let (code, _, err) = run_in(
        dir.path(),
        &["occasions", "sent", "kim", "notes", "--today", "2026-04-27"],
    );
    assert_eq!((code, err.as_str()), (Some(0), ""));
    let after = std::fs::read(dir.path().join("notes/acme/_customer.md")).unwrap();
    let want = b"\xEF\xBB\xBF---\r\ntype: customer\r\ncontacts:\r\n  - name: Kim\r\n    birthday: --05-01\r\ncard-sent:\r\n- 2025-04-28 Kim's birthday   # on time\r\n- 2026-04-27 Kim's birthday\r\n\r\n---\r\nBody\r\n";
    assert_eq!(
        String::from_utf8_lossy(&after),
        String::from_utf8_lossy(want)
    );
}

#[test]
fn dry_run_shows_the_diff_and_writes_nothing() {
    let dir = fixture_copy();
    let before = profile(dir.path());
    let (code, out, err) = run_in(
        dir.path(),
        &[
            "occasions",
            "sent",
            "Maya's graduation",
            "--date",
            "2027-06-04",
            "--dry-run",
        ],
    );
    assert_eq!(
        (code, err.as_str()),
        (Some(0), "dry run: nothing written\n")
    );
    assert_eq!(
        out,
        "--- northwind/_customer.md\n+++ northwind/_customer.md\n@@ -22,6 +22,8 @@\n     lead: 10d\n   - what: Northwind's founding day\n     date: 2016-02-29\n+card-sent:\n+  - 2027-06-04 Maya's graduation\n ---\n # Northwind Traders\n \nwould record card sent 2027-06-04: northwind/_customer.md:26 Maya's graduation\n"
    );
    assert_eq!(profile(dir.path()), before);
}

#[test]
fn no_match_or_several_is_exit_2_with_the_list() {
    let dir = fixture_copy();
    let before = profile(dir.path());
    let (code, out, err) = run_in(dir.path(), &["occasions", "sent", "wedding"]);
    assert_eq!((code, out.as_str()), (Some(2), ""));
    assert_eq!(
        err,
        "error: no occasion is named `wedding`; the profiles' occasions are:\n\
         \x20 Dana Ruiz's birthday (Northwind Traders, northwind/_customer.md)\n\
         \x20 Maya's graduation (Northwind Traders, northwind/_customer.md)\n\
         \x20 Leo's birthday (Northwind Traders, northwind/_customer.md)\n\
         \x20 Northwind's founding day (Northwind Traders, northwind/_customer.md)\n\
         nothing written\n"
    );
    // Part of two: both listed.
    let (code, _, err) = run_in(dir.path(), &["occasions", "sent", "BIRTHDAY"]);
    assert_eq!(code, Some(2));
    assert_eq!(
        err,
        "error: `BIRTHDAY` names 2 occasions; give the whole of one (or the profile's folder after it):\n\
         \x20 Dana Ruiz's birthday (Northwind Traders, northwind/_customer.md)\n\
         \x20 Leo's birthday (Northwind Traders, northwind/_customer.md)\n\
         nothing written\n"
    );
    // A whole name wins over parts of others.
    let dir2 = notes_dir(&[(
        "notes/acme/_customer.md",
        b"---\ntype: customer\ncontacts:\n  - name: Kim\n    birthday: --05-01\n    anniversary: 2020-05-02\n---\n",
    )]);
    let (code, _, err) = run_in(dir2.path(), &["occasions", "sent", "kim", "notes"]);
    assert_eq!(code, Some(2), "Kim is whose both days are: {err}");
    assert!(err.contains("`kim` names 2 occasions"), "{err}");
    let (code, _, err) = run_in(
        dir2.path(),
        &["occasions", "sent", "Kim's anniversary", "notes"],
    );
    assert_eq!((code, err.as_str()), (Some(0), ""));
    assert_eq!(profile(dir.path()), before, "nothing written");
}

#[test]
fn a_sent_card_leaves_the_agenda_and_next_year_says_when() {
    let dir = fixture_copy();
    let cards = |today: &str| -> Vec<String> {
        let (_, md, _) = run_in(dir.path(), &["agenda", ".", "--today", today]);
        md.lines()
            .filter(|l| l.starts_with("- write a card for Dana"))
            .map(|l| l.split(" · Northwind").next().unwrap().to_owned())
            .collect()
    };
    assert_eq!(
        cards("2026-11-20"),
        ["- write a card for Dana Ruiz's birthday (Fri 2026-11-27): post by Fri 2026-11-20 (today)"]
    );
    let (code, _, _) = run_in(
        dir.path(),
        &["occasions", "sent", "Dana Ruiz", "--today", "2026-11-20"],
    );
    assert_eq!(code, Some(0));
    assert_eq!(cards("2026-11-20"), Vec::<String>::new());
    assert_eq!(
        cards("2027-11-18"),
        ["- write a card for Dana Ruiz's birthday (Sat 2027-11-27): post by Sat 2027-11-20 · last card sent 2026-11-20"]
    );
    let (_, json, _) = run_in(
        dir.path(),
        &["agenda", ".", "--today", "2027-11-18", "--format", "json"],
    );
    let v: serde_json::Value = serde_json::from_str(&json).unwrap();
    let dana = v["cards"]
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["what"] == "Dana Ruiz's birthday")
        .unwrap();
    assert_eq!(dana["last_sent"], "2026-11-20");
    // `occasion-soon`, turned on, no longer reports this year's birthday either.
    let (_, check, _) = run_in(
        dir.path(),
        &[
            "check",
            ".",
            "--today",
            "2026-11-23",
            "--format",
            "concise",
            "--select",
            "occasion-soon",
        ],
    );
    assert!(!check.contains("Dana Ruiz's birthday"), "{check}");
    assert!(
        check.contains("info[occasion-soon]: write a card for Leo's birthday"),
        "{check}"
    );
}
