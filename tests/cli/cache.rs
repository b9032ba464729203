//! The cache of parsed notes (issue 21): a run that uses it says exactly what a run
//! without it says, whatever changed in between; a damaged cache file is rebuilt
//! without a word; `--no-cache`, `[cache] enabled = false` and `followup cache`.

use std::path::{Path, PathBuf};
use std::time::{Duration, SystemTime};

use crate::{followup, root, write};

/// Every output format of the scanning commands, as arguments after the command.
const RUNS: &[&[&str]] = &[
    &["check", "--format", "concise"],
    &["check", "--format", "human"],
    &["check", "--format", "json"],
    &["check", "--format", "github"],
    &["check", "--format", "sarif"],
    &["check", "--statistics"],
    &["list"],
    &[
        "list", "--format", "json", "--status", "all", "--sort", "customer",
    ],
    &["agenda"],
    &["agenda", "--format", "json"],
    &["agenda", "--format", "ics"],
    &["customers"],
    &["customers", "--format", "json"],
    &["report", "--format", "json"],
    &["brief", "acme", "--format", "json"],
];

/// `followup ARGS` in `cwd` on `notes`, with the cache in `cache`: exit code, stdout and
/// stderr, as one text to compare.
fn run(cwd: &Path, notes: &str, cache: &Path, args: &[&str], extra: &[&str]) -> String {
    let out = followup()
        .current_dir(cwd)
        .env("FOLLOWUP_CACHE_DIR", cache)
        .args(&args[..1])
        .arg(notes)
        .args(&args[1..])
        .args(["--today", "2026-11-23"])
        .args(extra)
        .output()
        .expect("runs");
    format!(
        "exit {:?}\n--- stdout\n{}--- stderr\n{}",
        out.status.code(),
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    )
}

/// Every run of [`RUNS`] with the cache and with `--no-cache`: they must agree.
fn assert_same_with_and_without(cwd: &Path, notes: &str, cache: &Path, when: &str) {
    for args in RUNS {
        let cached = run(cwd, notes, cache, args, &[]);
        let fresh = run(cwd, notes, cache, args, &["--no-cache"]);
        assert_eq!(cached, fresh, "{when}: followup {}", args.join(" "));
    }
}

/// The cache files in `dir`, with their bytes and modification times.
fn cache_files(dir: &Path) -> Vec<(PathBuf, Vec<u8>, SystemTime)> {
    let mut files: Vec<_> = std::fs::read_dir(dir)
        .map(|d| d.map(|e| e.unwrap().path()).collect())
        .unwrap_or_else(|_| Vec::new());
    files.retain(|p: &PathBuf| p.extension().is_some_and(|e| e == "cache"));
    files.sort();
    files
        .into_iter()
        .map(|p| {
            let bytes = std::fs::read(&p).unwrap();
            let modified = std::fs::metadata(&p).unwrap().modified().unwrap();
            (p, bytes, modified)
        })
        .collect()
}

/// Copy the folder `from` to `to`.
fn copy_dir(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).unwrap();
    for entry in std::fs::read_dir(from).unwrap() {
        let path = entry.unwrap().path();
        let dest = to.join(path.file_name().unwrap());
        if path.is_dir() {
            copy_dir(&path, &dest);
        } else {
            std::fs::copy(&path, &dest).unwrap();
        }
    }
}

/// Set the modification time of `path`, `ago` before now: files changed in the last
/// seconds are never kept (an edit right after could leave their stamp as it is).
fn age(path: &Path, ago: Duration) {
    let file = std::fs::File::options().write(true).open(path).unwrap();
    file.set_modified(SystemTime::now() - ago).unwrap();
}

/// Age every file under `dir`.
fn age_all(dir: &Path, ago: Duration) {
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            age_all(&path, ago);
        } else {
            age(&path, ago);
        }
    }
}

const HOUR: Duration = Duration::from_secs(3600);

/// The demo notes, and notes with what the cache must keep right: wide characters
/// before findings, suppression comments, a date without a year, an empty note, a call
/// note with nothing in it, and an agenda.
fn notes_to_change() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    let notes = dir.path().join("notes");
    copy_dir(&root().join("fixtures/notes"), &notes);
    let files: &[(&str, &str)] = &[
        (
            "acme-corp/2026-11-10-東京.md",
            "# Café ☕ call 東京\n\n* Envoyer le devis 📅 2026-11-12\n\
             - [ ] Résumé für Müller @due(2026-02-30)\n\
             * Ambiguous @due(12/4) and 🔁 every blue moon\n",
        ),
        (
            "globex/2026-11-11-suppressed.md",
            "# Review\n\n<!-- followup-disable-next-line overdue -->\n\
             * Send the MSA @due(2026-11-01)\n\
             <!-- followup-disable missing-due -->\n* Call back\n",
        ),
        ("initech/11-14 standup.md", "# Standup\n\n* Ping Dana @due(+2d)\n"),
        ("initech/empty.md", "  \n"),
        (
            "hooli/2026-11-02-blank.md",
            "---\ncustomer: Hooli\ndate: 2026-11-02\n---\n\n",
        ),
        (
            "AGENDA.md",
            "<!-- Generated by followup agenda. Edit the notes, not this file: it is rewritten. -->\n\
             - [ ] Send it · [acme-corp/x.md:3](acme-corp/x.md)\n",
        ),
    ];
    for (rel, text) in files {
        write(&notes, rel, text.as_bytes());
    }
    age_all(&notes, HOUR);
    dir
}

#[test]
fn the_cache_never_changes_what_a_command_says_whatever_changed_between_runs() {
    let dir = notes_to_change();
    let cwd = dir.path();
    let notes = cwd.join("notes");
    let cache = tempfile::tempdir().unwrap();
    assert_same_with_and_without(cwd, "notes", cache.path(), "first run");
    let written = cache_files(cache.path());
    assert_eq!(written.len(), 1, "one cache file for the folder");
    assert_same_with_and_without(cwd, "notes", cache.path(), "second run");
    // Every note came from the cache: a note read again would have been written back.
    assert_eq!(cache_files(cache.path()), written, "nothing read again");

    let pricing = notes.join("acme-corp/2026-11-16-pricing-call.md");
    let text = std::fs::read_to_string(&pricing).unwrap();
    let edited = text.replacen("2026-11-", "2026-12-", 1);
    assert_eq!(edited.len(), text.len(), "an edit that keeps the size");
    std::fs::write(&pricing, &edited).unwrap();
    age(&pricing, HOUR / 2);
    assert_same_with_and_without(cwd, "notes", cache.path(), "after an edit");

    age(&notes.join("globex/2026-11-12-legal-review.md"), HOUR / 3);
    assert_same_with_and_without(cwd, "notes", cache.path(), "after a touch");

    std::fs::rename(
        notes.join("initech/2026-08-11-pilot-kickoff.md"),
        notes.join("globex/2026-08-11-pilot-kickoff.md"),
    )
    .unwrap();
    std::fs::rename(
        notes.join("acme-corp/2026-11-10-東京.md"),
        notes.join("acme-corp/2026-11-10-tokyo.md"),
    )
    .unwrap();
    assert_same_with_and_without(cwd, "notes", cache.path(), "after renames");

    std::fs::remove_file(notes.join("umbrella-health/ideas.md")).unwrap();
    std::fs::remove_file(notes.join("acme-corp/_customer.md")).unwrap();
    assert_same_with_and_without(cwd, "notes", cache.path(), "after deletes");

    // Another file under an old name, with the same size and modification time.
    let follow_up = notes.join("acme-corp/2026-11-21-follow-up.md");
    let meta = std::fs::metadata(&follow_up).unwrap();
    let text = std::fs::read_to_string(&follow_up).unwrap();
    std::fs::remove_file(&follow_up).unwrap();
    write(
        &notes,
        "acme-corp/2026-11-21-follow-up.md",
        text.replace("* ", "- ").as_bytes(),
    );
    std::fs::File::options()
        .write(true)
        .open(&follow_up)
        .unwrap()
        .set_modified(meta.modified().unwrap())
        .unwrap();
    write(
        &notes,
        "soylent/2026-11-20-new.md",
        b"# New\n\n* Send the deck\n",
    );
    age(&notes.join("soylent/2026-11-20-new.md"), HOUR);
    assert_same_with_and_without(cwd, "notes", cache.path(), "after a replace and a new note");

    // Files changed just now are read, and not kept.
    std::fs::write(&pricing, text.replace("@due", "@dne")).unwrap();
    assert_same_with_and_without(cwd, "notes", cache.path(), "after an edit just now");
}

#[test]
fn check_on_the_fixtures_says_the_same_with_and_without_the_cache() {
    let cache = tempfile::tempdir().unwrap();
    // The occasions' profiles: `occasion-soon` finds its lines in the text.
    let occasions = ["--select", "occasion-soon"];
    for (notes, extra) in [
        ("fixtures/notes", &[][..]),
        ("fixtures/vault", &[]),
        ("fixtures/occasions", &occasions),
    ] {
        for format in ["human", "concise", "json", "github", "sarif"] {
            let args = ["check", "--format", format];
            let cold = run(&root(), notes, cache.path(), &args, extra);
            let warm = run(&root(), notes, cache.path(), &args, extra);
            let no_cache = [extra, &["--no-cache"]].concat();
            let fresh = run(&root(), notes, cache.path(), &args, &no_cache);
            assert_eq!(cold, fresh, "{notes} {format}");
            assert_eq!(warm, fresh, "{notes} {format}, cached");
        }
    }
}

#[test]
fn a_damaged_cache_file_is_rebuilt_without_a_word() {
    let dir = notes_to_change();
    let cwd = dir.path();
    let cache = tempfile::tempdir().unwrap();
    let args = ["check", "--format", "concise"];
    let fresh = run(cwd, "notes", cache.path(), &args, &["--no-cache"]);
    assert_eq!(run(cwd, "notes", cache.path(), &args, &[]), fresh);
    let [(path, good, _)] = &cache_files(cache.path())[..] else {
        panic!("one cache file")
    };
    let mut flipped = good.clone();
    flipped[good.len() / 2] ^= 0x20;
    let damages: [(&str, Vec<u8>); 5] = [
        ("empty", Vec::new()),
        ("torn", good[..good.len() / 2].to_vec()),
        ("a flipped bit", flipped),
        ("garbage", b"FUCACHE1 not a cache at all".repeat(100)),
        ("another version", {
            let mut other = good.clone();
            other[7] = b'0';
            other
        }),
    ];
    for (what, bytes) in damages {
        std::fs::write(path, bytes).unwrap();
        assert_eq!(run(cwd, "notes", cache.path(), &args, &[]), fresh, "{what}");
        let rebuilt = std::fs::read(path).unwrap();
        assert_eq!(&rebuilt, good, "{what}: rebuilt as it was");
    }
}

#[test]
fn no_cache_and_the_setting_write_no_cache_and_cache_dir_and_clean_find_it() {
    let dir = notes_to_change();
    let cwd = dir.path();
    let cache = tempfile::tempdir().unwrap();
    let cache_dir = cache.path().join("followup");
    let args = ["list"];
    run(cwd, "notes", &cache_dir, &args, &["--no-cache"]);
    assert!(!cache_dir.exists(), "--no-cache writes nothing");
    write(cwd, "off/followup.toml", b"[cache]\nenabled = false\n");
    run(
        cwd,
        "notes",
        &cache_dir,
        &args,
        &["--config", "off/followup.toml"],
    );
    assert!(
        !cache_dir.exists(),
        "[cache] enabled = false writes nothing"
    );
    let shown = followup()
        .current_dir(cwd)
        .env("FOLLOWUP_CACHE_DIR", &cache_dir)
        .args(["config", "--config", "off/followup.toml"])
        .output()
        .unwrap();
    assert!(String::from_utf8_lossy(&shown.stdout).contains("[cache]\nenabled = false\n"));

    run(cwd, "notes", &cache_dir, &args, &[]);
    assert_eq!(cache_files(&cache_dir).len(), 1);
    assert!(cache_dir.join("CACHEDIR.TAG").is_file());
    let out = followup()
        .env("FOLLOWUP_CACHE_DIR", &cache_dir)
        .args(["cache", "dir"])
        .output()
        .unwrap();
    assert_eq!(
        String::from_utf8(out.stdout).unwrap(),
        format!("{}\n", cache_dir.display())
    );
    let out = followup()
        .env("FOLLOWUP_CACHE_DIR", &cache_dir)
        .args(["cache", "clean"])
        .output()
        .unwrap();
    assert!(out.status.success());
    let said = String::from_utf8(out.stdout).unwrap();
    assert!(said.starts_with("removed 1 cache file ("), "{said}");
    assert!(cache_files(&cache_dir).is_empty());
    assert!(
        cache_dir.join("CACHEDIR.TAG").is_file(),
        "only its own files"
    );
}

#[test]
fn tests_never_use_the_users_cache_folder() {
    let out = followup().args(["cache", "dir"]).output().unwrap();
    let dir = PathBuf::from(String::from_utf8(out.stdout).unwrap().trim_end());
    assert_eq!(dir, crate::test_cache());
    // Runs started another way (scripts, hooks, a terminal) inherit the test's own, which
    // .cargo/config.toml sets under the target folder.
    let inherited = std::env::var_os("FOLLOWUP_CACHE_DIR").expect("set by .cargo/config.toml");
    assert!(Path::new(&inherited).starts_with(root().join("target")));
}

#[test]
fn runs_at_once_leave_one_whole_cache_file() {
    let dir = notes_to_change();
    let cwd = dir.path();
    let cache = tempfile::tempdir().unwrap();
    let args = ["list", "--format", "json"];
    let fresh = run(cwd, "notes", cache.path(), &args, &["--no-cache"]);
    for round in 0..3 {
        // Each round starts from no cache, so that every run writes one.
        for f in cache_files(cache.path()) {
            std::fs::remove_file(f.0).unwrap();
        }
        let runs: Vec<String> = std::thread::scope(|s| {
            let handles: Vec<_> = (0..4)
                .map(|_| s.spawn(|| run(cwd, "notes", cache.path(), &args, &[])))
                .collect();
            handles.into_iter().map(|h| h.join().unwrap()).collect()
        });
        for out in runs {
            assert_eq!(out, fresh, "round {round}");
        }
        let written = cache_files(cache.path());
        assert_eq!(
            written.len(),
            1,
            "round {round}: one file, no temporary left"
        );
        // Whole: the next run takes every note from it and so leaves it as it is.
        assert_eq!(run(cwd, "notes", cache.path(), &args, &[]), fresh);
        assert_eq!(cache_files(cache.path()), written, "round {round}");
    }
    let leftovers: Vec<_> = std::fs::read_dir(cache.path())
        .unwrap()
        .map(|e| e.unwrap().file_name())
        .filter(|n| n.to_string_lossy().ends_with(".tmp"))
        .collect();
    assert!(leftovers.is_empty(), "{leftovers:?}");
}
