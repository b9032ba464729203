//! A small tree of notes with arbitrary file names and text through every command and
//! format, in process. The checks are the test suite's own (`tests/cli/tree.rs`, where
//! proptest runs them on stable Rust). The input is split into entries at `\0\0`, each
//! entry into a name and a note at its first `\0`.
#![no_main]

#[path = "../../tests/cli/tree.rs"]
mod tree;

libfuzzer_sys::fuzz_target!(|data: &[u8]| {
    let entries: Vec<(Vec<u8>, Vec<u8>)> = data
        .split(|&b| b == 0)
        .collect::<Vec<_>>()
        .chunks(2)
        .take(8)
        .map(|pair| (pair[0].to_vec(), pair.get(1).map_or_else(Vec::new, |t| t.to_vec())))
        .collect();
    if !entries.is_empty() {
        tree::check_tree(&entries);
    }
});
