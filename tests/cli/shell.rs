//! `completions`, `man` and `--version`.

use crate::{followup, tool_available};

fn stdout(args: &[&str]) -> String {
    let out = followup().args(args).output().expect("runs");
    assert_eq!(out.status.code(), Some(0), "{args:?}");
    String::from_utf8(out.stdout).expect("UTF-8")
}

#[test]
fn bash_completion_loads_in_bash_and_completes_subcommands() {
    let script = stdout(&["completions", "bash"]);
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("followup.bash");
    std::fs::write(&path, script).unwrap();
    // Load it, then ask it what `followup ch<TAB>` and `followup check --fo<TAB>` complete to.
    let probe = format!(
        "source {}; complete -p followup; \
         COMP_WORDS=(followup ch); COMP_CWORD=1; COMP_LINE='followup ch'; COMP_POINT=11; \
         _followup followup ch followup; echo \"sub: ${{COMPREPLY[*]}}\"; \
         COMP_WORDS=(followup check --fo); COMP_CWORD=2; \
         _followup followup --fo check; echo \"opt: ${{COMPREPLY[*]}}\"",
        path.display()
    );
    let out = std::process::Command::new("bash")
        .args(["--norc", "-c", &probe])
        .output()
        .expect("bash runs");
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(text.contains("-F _followup followup"), "{text}");
    assert!(text.contains("sub: check"), "{text}");
    assert!(
        text.contains("--format") && text.contains("--follow"),
        "{text}"
    );
}

#[test]
fn every_shell_gets_a_script() {
    for shell in ["bash", "zsh", "fish", "powershell", "elvish"] {
        let script = stdout(&["completions", shell]);
        assert!(script.contains("agenda"), "{shell}");
    }
}

#[test]
fn man_pages_render_without_warnings() {
    // Without groff the pages are still checked to be roff; only the rendering is skipped.
    let groff = tool_available("groff");
    // Every page: `followup(1)` and one per subcommand.
    let mut pages = vec![vec!["man".to_owned()]];
    {
        use clap::CommandFactory;
        for sub in followup::app::cli::Cli::command().get_subcommands() {
            pages.push(vec!["man".to_owned(), sub.get_name().to_owned()]);
        }
    }
    assert!(pages.len() > 10, "{pages:?}");
    for args in pages {
        let args: Vec<&str> = args.iter().map(String::as_str).collect();
        let page = stdout(&args);
        assert!(
            page.starts_with(".ie \\n(.g .ds Aq"),
            "roff: {}",
            &page[..40]
        );
        if !groff {
            continue;
        }
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("followup.1");
        std::fs::write(&path, &page).unwrap();
        let out = std::process::Command::new("groff")
            .args(["-man", "-Tutf8", "-ww", "-P-cbou"])
            .arg(&path)
            .output()
            .expect("groff runs");
        let rendered = String::from_utf8_lossy(&out.stdout);
        assert!(out.status.success());
        assert!(
            out.stderr.is_empty(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
        assert!(rendered.contains("SYNOPSIS"), "{rendered}");
        if args == ["man", "done"] {
            assert!(rendered.contains("❌"), "{rendered}");
        }
    }
    let rendered_check = stdout(&["man", "check"]);
    assert!(rendered_check.contains("fail\\-on"));
    let bad = followup().args(["man", "nope"]).output().unwrap();
    assert_eq!(bad.status.code(), Some(2));
}

#[test]
fn version_names_the_release() {
    let v = stdout(&["--version"]);
    assert!(
        v.starts_with(&format!("followup {}", env!("CARGO_PKG_VERSION"))),
        "{v}"
    );
}
