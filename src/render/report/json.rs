//! The report and the brief as JSON: the same numbers as the pages.

use serde::Serialize;

use crate::report::brief::Brief;
use crate::report::Report;
use crate::text::json_safe;

/// The marker a JSON report starts with (its first key).
pub const REPORT_MARKER: &str = "{\n  \"generated_by\": \"followup report\"";

/// The marker a JSON brief starts with.
pub const BRIEF_MARKER: &str = "{\n  \"generated_by\": \"followup brief\"";

#[derive(Serialize)]
struct Doc<'a, T> {
    generated_by: &'static str,
    version: u32,
    #[serde(flatten)]
    body: &'a T,
}

fn doc<T: Serialize>(generated_by: &'static str, body: &T) -> String {
    let doc = Doc {
        generated_by,
        version: 1,
        body,
    };
    // Plain data with string keys: serialising it cannot fail.
    let json = serde_json::to_string_pretty(&doc).expect("serialisable");
    json_safe(json + "\n")
}

/// The report's numbers.
pub fn report(r: &Report) -> String {
    doc("followup report", r)
}

/// The brief's content.
pub fn brief(b: &Brief) -> String {
    doc("followup brief", b)
}
