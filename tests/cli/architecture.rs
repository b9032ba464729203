//! The module graph stays acyclic: a top-level module (a file or folder under `src/`)
//! may use only modules below it in the pipeline, never one that uses it back. Cycles
//! inside one folder are its own business; across folders they make every change touch
//! everything, which is what this test prevents.

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

/// Every `crate::NAME` a file names, outside comments.
fn crate_refs(code: &str) -> BTreeSet<String> {
    let mut out = BTreeSet::new();
    for line in code.lines() {
        let line = line.split("//").next().unwrap_or("");
        let mut rest = line;
        while let Some(i) = rest.find("crate::") {
            let after = &rest[i + "crate::".len()..];
            let name: String = after
                .chars()
                .take_while(|c| c.is_ascii_alphanumeric() || *c == '_')
                .collect();
            if !name.is_empty() {
                out.insert(name);
            }
            rest = after;
        }
    }
    out
}

/// Top-level module -> the top-level modules it uses.
fn graph(src: &Path) -> BTreeMap<String, BTreeSet<String>> {
    let mut g: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
    let mut stack = vec![src.to_path_buf()];
    while let Some(dir) = stack.pop() {
        for entry in std::fs::read_dir(&dir).expect("read src") {
            let path = entry.expect("entry").path();
            if path.is_dir() {
                stack.push(path);
                continue;
            }
            if path.extension().map_or(true, |e| e != "rs") {
                continue;
            }
            let rel = path.strip_prefix(src).expect("under src");
            let first = rel.components().next().expect("a component");
            let module = Path::new(first.as_os_str())
                .file_stem()
                .expect("stem")
                .to_string_lossy()
                .into_owned();
            if module == "lib" || module == "main" {
                continue;
            }
            let code = std::fs::read_to_string(&path).expect("read");
            let uses = g.entry(module.clone()).or_default();
            uses.extend(crate_refs(&code).into_iter().filter(|m| *m != module));
        }
    }
    g
}

/// A cycle in `g`, as the modules around it, if there is one.
fn find_cycle(g: &BTreeMap<String, BTreeSet<String>>) -> Option<Vec<String>> {
    fn visit(
        node: &str,
        g: &BTreeMap<String, BTreeSet<String>>,
        path: &mut Vec<String>,
        done: &mut BTreeSet<String>,
    ) -> Option<Vec<String>> {
        if let Some(i) = path.iter().position(|p| p == node) {
            let mut cycle = path[i..].to_vec();
            cycle.push(node.to_owned());
            return Some(cycle);
        }
        if done.contains(node) {
            return None;
        }
        path.push(node.to_owned());
        for next in g.get(node).into_iter().flatten() {
            if let Some(c) = visit(next, g, path, done) {
                return Some(c);
            }
        }
        path.pop();
        done.insert(node.to_owned());
        None
    }
    let mut done = BTreeSet::new();
    g.keys()
        .find_map(|n| visit(n, g, &mut Vec::new(), &mut done))
}

#[test]
fn top_level_modules_form_no_cycle() {
    let g = graph(&crate::root().join("src"));
    assert!(g.len() >= 5, "found the modules: {g:?}");
    if let Some(cycle) = find_cycle(&g) {
        panic!("module cycle: {}", cycle.join(" -> "));
    }
}

#[test]
fn the_cycle_finder_finds_a_cycle() {
    let mut g = BTreeMap::new();
    g.insert("a".to_owned(), BTreeSet::from(["b".to_owned()]));
    g.insert("b".to_owned(), BTreeSet::from(["c".to_owned()]));
    g.insert("c".to_owned(), BTreeSet::from(["a".to_owned()]));
    assert_eq!(find_cycle(&g).expect("a cycle"), ["a", "b", "c", "a"]);
    g.get_mut("c").unwrap().clear();
    assert_eq!(find_cycle(&g), None);
    assert_eq!(
        crate_refs(
            "use crate::notes::model::Note; // crate::app\nlet x = crate::text::plural(1, \"a\");"
        ),
        BTreeSet::from(["notes".to_owned(), "text".to_owned()])
    );
}

#[test]
fn lib_docs_list_every_top_level_module() {
    let lib = std::fs::read_to_string(crate::root().join("src/lib.rs")).expect("lib.rs");
    for module in graph(&crate::root().join("src")).keys() {
        assert!(
            lib.contains(&format!("pub mod {module};")) && lib.contains(&format!("[`{module}`]")),
            "src/lib.rs declares and describes `{module}`"
        );
    }
}
