//! Any bytes as one note: decode, parse (front matter, tags, dates), render as `list`
//! JSON and table. The checks are the test suite's own (`tests/cli/pipeline.rs`), so a
//! crash found here is replayed there once its input is in `tests/fuzz_regressions/`.
#![no_main]

#[path = "../../tests/cli/pipeline.rs"]
mod pipeline;

libfuzzer_sys::fuzz_target!(|data: &[u8]| pipeline::check_note(data));
