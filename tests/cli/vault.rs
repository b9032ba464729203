//! A vault as people really keep one (`fixtures/vault`): daily notes in year folders, an
//! Inbox, Templates, `Clients/NAME/` folders with and without profiles, running logs
//! with dated sections, sloppy file names and headings, `-` bullets with tags, wikilink
//! customers and capitalised front matter keys. Each snapshot was checked line by line
//! against the notes.

use crate::{followup, stdout_of};

fn run(args: &[&str]) -> String {
    stdout_of(
        followup()
            .args(args)
            .args(["fixtures/vault", "--today", "2026-11-23"]),
    )
}

#[test]
fn vault_list() {
    insta::assert_snapshot!(run(&["list"]));
}

#[test]
fn vault_check_concise() {
    insta::assert_snapshot!(run(&["check", "--format", "concise", "-q"]));
}

#[test]
fn vault_customers() {
    insta::assert_snapshot!(run(&["customers"]));
}

#[test]
fn vault_agenda() {
    insta::assert_snapshot!(run(&["agenda"]));
}

#[test]
fn vault_note_date_sources() {
    let json: serde_json::Value =
        serde_json::from_str(&run(&["list", "--format", "json"])).expect("JSON");
    let source_of = |path_end: &str, line: u64| {
        let row = json
            .as_array()
            .unwrap()
            .iter()
            .find(|r| r["path"].as_str().unwrap().ends_with(path_end) && r["line"] == line)
            .unwrap_or_else(|| panic!("{path_end}:{line}"));
        (
            row["note_date"].as_str().map(str::to_owned),
            row["note_date_source"].as_str().map(str::to_owned),
        )
    };
    let is = |d: &str, s: &str| (Some(d.to_owned()), Some(s.to_owned()));
    assert_eq!(source_of("2026-11-16.md", 4), is("2026-11-16", "file-name"));
    assert_eq!(
        source_of("Renewal call 11-20.md", 3),
        is("2026-11-20", "file-name")
    );
    assert_eq!(
        source_of("Acme QBR prep.md", 3),
        is("2026-11-18", "file-name")
    );
    assert_eq!(
        source_of("Website relaunch.md", 6),
        is("2026-11-18", "heading")
    );
    assert_eq!(
        source_of("Call notes.md", 6),
        is("2026-11-09", "front-matter")
    );
    assert_eq!(
        source_of("procurement.md", 6),
        is("2026-11-19", "front-matter")
    );
    // A running log: each commitment is promised on its section's date.
    assert_eq!(
        source_of("Acme running log.md", 10),
        is("2026-11-04", "section")
    );
    assert_eq!(
        source_of("Acme running log.md", 21),
        is("2026-11-18", "section")
    );
    assert_eq!(source_of("Globex log.md", 5), is("2026-10-27", "section"));
    assert_eq!(source_of("Quick capture.md", 3), (None, None));
}

/// Scanned from above the notes folder, the bundled notes keep their customers: the
/// folders holding profiles, not the first folder, name them.
#[test]
fn customers_from_above_the_notes_folder() {
    let table = |path: &str| {
        stdout_of(followup().args([
            "customers",
            path,
            "--exclude",
            "fixtures/vault",
            "--exclude",
            "fixtures/occasions",
            "--today",
            "2026-11-23",
        ]))
    };
    assert_eq!(table("fixtures"), table("fixtures/notes"));
}

/// `[customers] folders` names where customer folders are; `[dates] order` reads `12/4`.
#[test]
fn configured_customer_folders_and_date_order() {
    let dir = crate::notes_dir(&[
        (
            "followup.toml",
            b"[customers]\nfolders = [\"Accounts/*\"]\n[dates]\norder = \"dmy\"\n[markers]\ndash-bullets = true\n",
        ),
        (
            "Accounts/Hooli/Call 2026-11-16.md",
            b"- Send Gavin the pricing @due(12/4)\n",
        ),
        ("Inbox/2026-11-16 idea.md", b"* Try the new CRM @due(fri)\n"),
        ("Research/2026-11-16.md", b"* Read the analyst report @due(eow)\n"),
    ]);
    let out =
        stdout_of(
            followup()
                .current_dir(dir.path())
                .args(["list", ".", "--today", "2026-11-23"]),
        );
    insta::assert_snapshot!(out);
}
