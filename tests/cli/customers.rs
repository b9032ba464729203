//! `followup customers`, customer profiles, the customer rules and the agenda's customer
//! sections.

use crate::{followup, notes_dir, stdout_of};

fn customers(args: &[&str]) -> String {
    stdout_of(
        followup()
            .args(["customers", "fixtures/notes", "--today", "2026-11-23"])
            .args(args),
    )
}

#[test]
fn table_on_the_demo_most_neglected_first() {
    insta::assert_snapshot!(customers(&[]));
}

#[test]
fn json_on_the_demo() {
    let out = customers(&["--format", "json"]);
    let rows: serde_json::Value = serde_json::from_str(&out).unwrap();
    let rows = rows.as_array().unwrap();
    assert_eq!(rows.len(), 6);
    for key in [
        "customer",
        "name",
        "notes",
        "last_contact",
        "days_since_contact",
        "cadence_days",
        "lapsed",
        "open",
        "overdue",
        "next_due",
    ] {
        assert!(rows.iter().all(|r| r.get(key).is_some()), "{key}");
    }
    // Never contacted, then lapsed longest ago.
    assert_eq!(rows[0]["customer"], "soylent");
    assert_eq!(rows[0]["last_contact"], serde_json::Value::Null);
    assert_eq!(rows[1]["customer"], "hooli");
    assert_eq!(rows[1]["days_since_contact"], 144);
    assert_eq!(rows[1]["cadence_days"], 91);
    assert_eq!(rows[1]["lapsed"], true);
    // The Globex profile sits at the top of the folder and names its customer in front
    // matter; the Acme one is found by its folder. Both join their notes.
    let globex = rows.iter().find(|r| r["customer"] == "globex").unwrap();
    assert_eq!(globex["notes"], 4);
    assert_eq!(globex["profile"], "fixtures/notes/globex-customer.md");
    let acme = rows.iter().find(|r| r["customer"] == "acme-corp").unwrap();
    assert_eq!(acme["profile"], "fixtures/notes/acme-corp/_customer.md");
    assert_eq!(acme["owner"], "Sam Patel");
    insta::assert_snapshot!(out);
}

#[test]
fn feb_29_birthdays_fall_on_feb_28_in_other_years() {
    let agenda =
        |today: &str| stdout_of(followup().args(["agenda", "fixtures/notes", "--today", today]));
    let md = agenda("2027-02-24");
    assert!(
        md.contains("- Sun 2027-02-28: **Hank Scorpio** (CEO, Globex): birthday, 59 years"),
        "{md}"
    );
    let md = agenda("2028-02-24");
    assert!(
        md.contains("- Tue 2028-02-29: **Hank Scorpio** (CEO, Globex): birthday, 60 years"),
        "{md}"
    );
}

#[test]
fn agenda_sections_for_customers() {
    let md = stdout_of(followup().args(["agenda", "fixtures/notes", "--today", "2026-11-23"]));
    let section = |name: &str| {
        let start = md.find(&format!("## {name}\n")).unwrap();
        let rest = &md[start..];
        rest[..rest[3..].find("\n## ").map_or(rest.len(), |i| i + 3)].to_owned()
    };
    insta::assert_snapshot!(section("Customers to contact") + &section("Occasions"));
}

#[test]
fn default_cadence_future_notes_and_profile_names() {
    let dir = notes_dir(&[
        ("followup.toml", b"[customers]\ncadence = \"30d\"\n"),
        // Folder slug `acme-corp`, displayed with the profile's name.
        (
            "notes/acme-corp/profile.md",
            b"---\ntype: customer\nname: Acme Corporation\n---\n",
        ),
        (
            "notes/acme-corp/2026-09-01-call.md",
            b"# Call\n\n- [ ] Send the deck\n",
        ),
        // A note dated after today is a plan, not a contact.
        ("notes/acme-corp/2026-12-01-planned.md", b"# Planned call\n"),
        ("notes/initech/2026-11-20-call.md", b"# Call\n"),
        ("notes/globex/call-without-a-date.md", b"# Call with Hank\n"),
    ]);
    let run = |args: &[&str]| {
        let out = followup()
            .current_dir(dir.path())
            .args(args)
            .args(["notes", "--today", "2026-11-23"])
            .output()
            .unwrap();
        String::from_utf8(out.stdout).unwrap()
    };
    assert_eq!(
        run(&["check", "--format", "concise", "-q"]),
        "notes/acme-corp/2026-09-01-call.md:3:1: warning[missing-due]: no due date: Send the deck\n\
         notes/acme-corp/2026-09-01-call.md:1:1: warning[stale-contact]: no contact with Acme Corporation for 83 days (last 2026-09-01); the cadence is every 30 days\n\
         notes/globex/call-without-a-date.md:1:1: info[no-contact]: no contact with globex on record: no dated call note; the cadence is every 30 days\n"
    );
    let table = run(&["customers"]);
    assert_eq!(
        table,
        "CUSTOMER          NOTES  LAST CONTACT              CADENCE      OPEN  OVERDUE  NEXT DUE\n\
         globex            1      never                     30d, lapsed  0     0        -\n\
         Acme Corporation  2      2026-09-01 (83 days ago)  30d, lapsed  1     0        -\n\
         initech           1      2026-11-20 (3 days ago)   30d          0     0        -\n"
    );
}

#[test]
fn bad_profile_fields_are_reported_and_the_rest_is_read() {
    let dir = notes_dir(&[(
        "n/acme/_customer.md",
        b"---\ntype: customer\ncadence: 2w\ncontacts:\n  - name: Dana\n    birthday: --11-27\n  - role: CFO\n---\n",
    )]);
    let out = stdout_of(followup().current_dir(dir.path()).args([
        "check",
        "n",
        "--format",
        "concise",
        "-q",
        "--today",
        "2026-11-23",
    ]));
    assert_eq!(
        out,
        "n/acme/_customer.md:4:1: warning[bad-profile]: contact 2: no `name:`\n\
         n/acme/_customer.md:3:1: info[no-contact]: no contact with acme on record: no dated call note; the cadence is every 14 days\n"
    );
    let md = stdout_of(followup().current_dir(dir.path()).args([
        "agenda",
        "n",
        "--today",
        "2026-11-23",
    ]));
    assert!(
        md.contains("- Fri 2026-11-27: **Dana** (acme): birthday"),
        "{md}"
    );
}

/// Output that cannot be written is an error, not a quiet success.
#[cfg(target_os = "linux")]
#[test]
fn output_to_a_full_disk_is_an_error() {
    let full = std::fs::File::options()
        .write(true)
        .open("/dev/full")
        .expect("/dev/full");
    let out = std::process::Command::new(assert_cmd::cargo::cargo_bin("followup"))
        .current_dir(crate::root())
        .args(["customers", "fixtures/notes", "--today", "2026-11-23"])
        .stdout(full)
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8(out.stderr).unwrap();
    assert!(err.starts_with("error: "), "{err}");
    assert!(err.contains("No space left on device"), "{err}");
}

/// A reader that stops early (`| head -1`) ends the run quietly: no message, no panic.
#[cfg(unix)]
#[test]
fn a_closed_pipe_ends_the_run_quietly() {
    use std::io::Read;
    use std::process::Stdio;
    let bin = assert_cmd::cargo::cargo_bin("followup");
    let mut child = std::process::Command::new(bin)
        .current_dir(crate::root())
        .args(["list", "fixtures/notes", "--today", "2026-11-23"])
        .env("NO_COLOR", "1")
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    // Close the pipe before followup has written (it scans first), as `head -1` does
    // once it has its line: every write then fails with a broken pipe.
    drop(child.stdout.take());
    let mut err = String::new();
    child
        .stderr
        .take()
        .unwrap()
        .read_to_string(&mut err)
        .unwrap();
    let status = child.wait().unwrap();
    assert!(!err.contains("error") && !err.contains("panicked"), "{err}");
    assert_ne!(status.code(), Some(101), "no panic");
}

#[test]
fn json_help_says_one_object_per_customer() {
    let help = stdout_of(followup().args(["customers", "--help"]));
    assert!(help.contains("one object per customer"), "{help}");
    assert!(!help.contains("per commitment"), "{help}");
    let list = stdout_of(followup().args(["list", "--help"]));
    assert!(list.contains("one object per commitment"), "{list}");
}

#[test]
fn a_folder_with_no_note_is_an_error() {
    let dir = notes_dir(&[("notes/readme.txt", b"not a note")]);
    let out = followup()
        .current_dir(dir.path())
        .args(["customers", "notes"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert_eq!(
        String::from_utf8(out.stderr).unwrap(),
        "error: no notes found under notes (followup reads *.md and *.markdown files)\n"
    );
}

/// The cards of the agenda window starting `today` on the occasions fixture.
fn cards_of(today: &str) -> Vec<String> {
    let md = stdout_of(followup().args([
        "agenda",
        "fixtures/occasions",
        "--config",
        "fixtures/occasions/followup.toml",
        "--today",
        today,
    ]));
    md.lines()
        .filter(|l| l.starts_with("- write a card for "))
        .map(|l| l.split(" · ").next().unwrap().to_owned())
        .collect()
}

#[test]
fn cards_are_listed_in_the_week_to_post_them() {
    let cases: [(&str, &[&str]); 7] = [
        (
            "2026-11-16",
            &[
                "- write a card for Thanksgiving (Thu 2026-11-26): post by Thu 2026-11-19",
                "- write a card for Dana Ruiz's birthday (Fri 2026-11-27): post by Fri 2026-11-20",
            ],
        ),
        // Across the month end: a 10-day lead puts Leo's card in November.
        (
            "2026-11-23",
            &["- write a card for Leo's birthday (Thu 2026-12-03): post by Mon 2026-11-23 (today)"],
        ),
        (
            "2026-11-30",
            &[],
        ),
        // Across the year end: New Year's cards go out ten days before.
        (
            "2026-12-20",
            &["- write a card for New Year (Fri 2027-01-01): post by Tue 2026-12-22"],
        ),
        // Founded on Feb 29: Feb 28 in other years.
        (
            "2027-02-15",
            &["- write a card for Northwind's founding day (Sun 2027-02-28): post by Sun 2027-02-21"],
        ),
        // A one-off: only the year it happens.
        (
            "2027-06-01",
            &["- write a card for Maya's graduation (Sat 2027-06-12): post by Sat 2027-06-05"],
        ),
        ("2028-06-01", &[]),
    ];
    for (today, want) in cases {
        assert_eq!(cards_of(today), want, "week from {today}");
    }
}

#[test]
fn cards_head_the_occasions_section() {
    let md = stdout_of(followup().args([
        "agenda",
        "fixtures/occasions",
        "--config",
        "fixtures/occasions/followup.toml",
        "--today",
        "2026-11-16",
    ]));
    let start = md.find("## Occasions\n").unwrap();
    let rest = &md[start..];
    insta::assert_snapshot!(&rest[..rest[3..].find("\n## ").map_or(rest.len(), |i| i + 3)]);
}

#[test]
fn profile_occasions_and_holidays_are_dated_lines_with_the_birthdays() {
    let md = stdout_of(followup().args([
        "agenda",
        "fixtures/occasions",
        "--config",
        "fixtures/occasions/followup.toml",
        "--today",
        "2026-11-23",
        "--days",
        "14",
    ]));
    let start = md.find("## Occasions\n").unwrap();
    let rest = &md[start..];
    insta::assert_snapshot!(&rest[..rest[3..].find("\n## ").map_or(rest.len(), |i| i + 3)]);
    let json: serde_json::Value = serde_json::from_str(&stdout_of(followup().args([
        "agenda",
        "fixtures/occasions",
        "--config",
        "fixtures/occasions/followup.toml",
        "--today",
        "2027-02-25",
        "--format",
        "json",
    ])))
    .unwrap();
    assert_eq!(
        json["other_occasions"],
        serde_json::json!([{
            "date": "2027-02-28",
            "what": "Northwind's founding day",
            "who": null,
            "years": 11,
            "customer": "northwind",
            "customer_name": "Northwind Traders",
            "path": "fixtures/occasions/northwind/_customer.md",
            "link": "fixtures/occasions/northwind/_customer.md"
        }])
    );
}

#[test]
fn stages_prospects_are_touched_former_customers_left_alone() {
    let check = crate::stdout_of(followup().args([
        "check",
        "fixtures/occasions",
        "--config",
        "fixtures/occasions/followup.toml",
        "--today",
        "2026-11-23",
        "--format",
        "json",
    ]));
    assert!(
        check.contains("no touch with this prospect (Fabrikam) for 45 days (last 2026-10-09)"),
        "{check}"
    );
    assert!(
        !check.contains("Contoso"),
        "a former customer is not stale: {check}"
    );
    let out = stdout_of(followup().args([
        "customers",
        "fixtures/occasions",
        "--today",
        "2026-11-23",
        "--format",
        "json",
    ]));
    let rows: serde_json::Value = serde_json::from_str(&out).unwrap();
    let stage = |c: &str| {
        let r = rows
            .as_array()
            .unwrap()
            .iter()
            .find(|r| r["customer"] == c)
            .unwrap();
        (
            r["stage"].as_str().unwrap().to_owned(),
            r["lapsed"].as_bool().unwrap(),
        )
    };
    assert_eq!(stage("fabrikam"), ("prospect".to_owned(), true));
    assert_eq!(stage("contoso"), ("former".to_owned(), false));
    assert_eq!(stage("northwind"), ("customer".to_owned(), false));
}

#[test]
fn bad_profile_reports_bad_stages_and_occasions() {
    let dir = notes_dir(&[(
        "notes/acme/_customer.md",
        b"---\ntype: customer\nstage: lead\nwon: soon\nfacts:\n  odd: map\ncontacts:\n  - name: Kim\n    notes:\n      a: b\noccasions:\n  - what: Wedding\n    date: 2027-02-30\n  - what: Party\n    date: --05-01\n    yearly: false\n---\n",
    )]);
    let out = crate::stdout_of(followup().current_dir(dir.path()).args([
        "check",
        "notes",
        "--today",
        "2026-11-23",
        "--format",
        "json",
    ]));
    for want in [
        "`stage: lead` is not a stage",
        "`won: soon` is not a date",
        "`facts:` is not a list of short texts",
        "contact 1: Kim: `notes:` is not a list of short texts",
        "occasion 1: Wedding: `date: 2027-02-30` is not a date",
        "occasion 2: Party: a one-off occasion (`yearly: false`) needs the year",
    ] {
        assert!(out.contains(want), "{want}: {out}");
    }
}

#[test]
fn check_ins_after_the_sale_until_a_later_call() {
    let check_ins = |today: &str| -> Vec<String> {
        stdout_of(followup().args([
            "agenda",
            "fixtures/occasions",
            "--config",
            "fixtures/occasions/followup.toml",
            "--today",
            today,
        ]))
        .lines()
        .filter(|l| l.starts_with("- check in with "))
        .map(|l| l.split(" · ").next().unwrap().to_owned())
        .collect()
    };
    let line = |days: u32, date: &str| {
        format!("- check in with **Northwind Traders**: is the sale wearing well? ({days} days after the sale, {date})")
    };
    // Won 2026-10-01; the one call since is on 2026-11-10.
    let cases: [(&str, Vec<String>); 4] = [
        ("2026-10-05", vec![line(7, "Thu 2026-10-08")]),
        (
            "2026-10-25",
            vec![line(7, "Thu 2026-10-08"), line(30, "Sat 2026-10-31")],
        ),
        // The call on 2026-11-10 is on or after both days: both done.
        ("2026-11-16", vec![]),
        ("2027-01-05", vec![line(90, "Wed 2026-12-30")]),
    ];
    for (today, want) in cases {
        assert_eq!(check_ins(today), want, "week from {today}");
    }
}

#[test]
fn personal_facts_on_occasion_lines_and_in_json() {
    let md = stdout_of(followup().args([
        "agenda",
        "fixtures/occasions",
        "--config",
        "fixtures/occasions/followup.toml",
        "--today",
        "2026-11-23",
    ]));
    assert!(
        md.contains("- Fri 2026-11-27: **Dana Ruiz** (Head of Purchasing, Northwind Traders): birthday (Dana: sails, two kids) · "),
        "{md}"
    );
    let out = stdout_of(followup().args([
        "customers",
        "fixtures/occasions",
        "--today",
        "2026-11-23",
        "--format",
        "json",
    ]));
    let rows: serde_json::Value = serde_json::from_str(&out).unwrap();
    let northwind = rows
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["customer"] == "northwind")
        .unwrap();
    assert_eq!(
        northwind["facts"],
        serde_json::json!([
            "Member of the regional wholesalers' association",
            "Orders in March and September"
        ])
    );
    assert_eq!(
        northwind["contacts"],
        serde_json::json!([{
            "name": "Dana Ruiz",
            "role": "Head of Purchasing",
            "birthday": "--11-27",
            "anniversary": null,
            "notes": ["sails", "two kids"]
        }])
    );
    assert_eq!(
        rows.as_array()
            .unwrap()
            .iter()
            .find(|r| r["customer"] == "fabrikam")
            .unwrap()["contacts"],
        serde_json::json!([]),
        "no contacts: an empty list"
    );
}

#[test]
fn agenda_json_lists_the_check_ins_after_the_sale() {
    let json = |today: &str| -> serde_json::Value {
        serde_json::from_str(&stdout_of(followup().args([
            "agenda",
            "fixtures/occasions",
            "--config",
            "fixtures/occasions/followup.toml",
            "--today",
            today,
            "--format",
            "json",
        ])))
        .unwrap()
    };
    let v = json("2026-10-25");
    assert_eq!(
        v["check_ins"],
        serde_json::json!([
            {
                "customer": "northwind",
                "name": "Northwind Traders",
                "date": "2026-10-08",
                "days_after_sale": 7,
                "path": "fixtures/occasions/northwind/_customer.md",
                "link": "fixtures/occasions/northwind/_customer.md"
            },
            {
                "customer": "northwind",
                "name": "Northwind Traders",
                "date": "2026-10-31",
                "days_after_sale": 30,
                "path": "fixtures/occasions/northwind/_customer.md",
                "link": "fixtures/occasions/northwind/_customer.md"
            }
        ])
    );
    // The call of 2026-11-10 did both.
    assert_eq!(json("2026-11-16")["check_ins"], serde_json::json!([]));
}

#[test]
fn the_default_cadence_can_differ_per_stage() {
    let dir = notes_dir(&[
        (
            "followup.toml",
            b"[customers]\ncadence = { prospect = \"30d\", customer = \"14d\", former = \"90d\" }\n",
        ),
        ("notes/acme/2026-11-15-call.md", b"# Call\n"),
        (
            "notes/fabrikam/_customer.md",
            b"---\ntype: customer\nstage: prospect\n---\n",
        ),
        ("notes/fabrikam/2026-10-01-intro.md", b"# Intro\n"),
        (
            "notes/contoso/_customer.md",
            b"---\ntype: customer\nstage: former\n---\n",
        ),
        ("notes/contoso/2026-06-01-last.md", b"# Last order\n"),
        (
            "notes/initech/_customer.md",
            b"---\ntype: customer\nstage: prospect\ncadence: 1w\n---\n",
        ),
        ("notes/initech/2026-11-20-call.md", b"# Call\n"),
    ]);
    let out = stdout_of(followup().current_dir(dir.path()).args([
        "customers",
        "notes",
        "--today",
        "2026-11-23",
        "--format",
        "json",
    ]));
    let rows: serde_json::Value = serde_json::from_str(&out).unwrap();
    let cadence = |c: &str| {
        let r = rows
            .as_array()
            .unwrap()
            .iter()
            .find(|r| r["customer"] == c)
            .unwrap();
        (r["cadence_days"].as_u64(), r["lapsed"].as_bool().unwrap())
    };
    assert_eq!(cadence("acme"), (Some(14), false));
    assert_eq!(cadence("fabrikam"), (Some(30), true));
    assert_eq!(cadence("contoso"), (Some(90), true));
    // The profile's own cadence wins over its stage's.
    assert_eq!(cadence("initech"), (Some(7), false));
    let check = String::from_utf8(
        followup()
            .current_dir(dir.path())
            .args([
                "check",
                "notes",
                "--today",
                "2026-11-23",
                "--format",
                "concise",
            ])
            .output()
            .unwrap()
            .stdout,
    )
    .unwrap();
    assert!(
        check.contains("no touch with this prospect (fabrikam) for 53 days (last 2026-10-01); the cadence is every 30 days"),
        "{check}"
    );
}

#[test]
fn table_and_agenda_show_the_stage() {
    let table =
        stdout_of(followup().args(["customers", "fixtures/occasions", "--today", "2026-11-23"]));
    insta::assert_snapshot!(table);
    let md = stdout_of(followup().args([
        "agenda",
        "fixtures/occasions",
        "--config",
        "fixtures/occasions/followup.toml",
        "--today",
        "2026-11-23",
    ]));
    assert!(
        md.contains("- **Fabrikam** (prospect): last contact Fri 2026-10-09 (45 days ago)"),
        "{md}"
    );
    assert!(
        !md.contains("Contoso"),
        "a former customer is not to contact: {md}"
    );
}
