//! A second profile for one customer, reported under `bad-profile`: only the first
//! profile (by path) is read, so the second one's cadence, owner and contacts are not.

use crate::customers::CustomerRow;
use crate::rules::{Finding, Rule};

/// One finding per profile after the first of a customer: the profile's path and the
/// finding (on its first line).
pub(super) fn check(row: &CustomerRow) -> Vec<(String, Finding)> {
    let Some(first) = &row.profile else {
        return Vec::new();
    };
    row.extra_profiles
        .iter()
        .map(|path| {
            (
                path.clone(),
                Finding {
                    rule: Rule::BadProfile,
                    message: format!(
                        "a second profile for {}: only the first, {first}, is read",
                        row.name
                    ),
                    span: 0..0,
                    label: "not read".to_owned(),
                    also: None,
                    help: "keep one profile per customer: merge this one into the first, or \
                           give it its own `customer:` if it is another customer"
                        .to_owned(),
                },
            )
        })
        .collect()
}
