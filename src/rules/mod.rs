//! The linter's rules: what `followup check` reports about each note.
//!
//! Every rule has a stable kebab-case name, a default level and a section in
//! `docs/rules.md`, which `followup rule NAME` prints (one text, so the two never drift).
//! Rules look at one parsed note at a time: [`check_note`] runs them all.
//!
//! - [`registry`]: the one table of rules ([`Rule`], [`Level`], names, levels, docs).
//! - [`settings`]: a level (or off) per rule, and the rules' options.
//! - [`diagnostic`]: what rules report ([`Finding`], [`Diagnostic`]).
//! - `engine`: runs the checks over a note or a scan's customers.
//! - the checks: `syntax` (tags and front matter), `timing` (dates against today),
//!   `contact` (customer cadence), `stray_date`, `lazy_continuation` and
//!   `ambiguous_date` (how notes are really written), `obsidian` (Obsidian Tasks'
//!   statuses and recurrence), [`moves`] (`often-moved`), `occasion_soon` (a card to
//!   write now, on a profile), and [`suppress`] (suppression comments).
//!
//! Adding a rule: one line in the [`registry`] table, a section in `docs/rules.md`, and
//! its check in one of the check modules.

mod ambiguous_date;
mod contact;
pub mod diagnostic;
mod duplicate_profile;
mod engine;
mod lazy_continuation;
pub mod moves;
pub mod obsidian;
mod occasion_soon;
pub mod registry;
pub mod settings;
mod stray_date;
pub mod suppress;
mod syntax;
mod timing;

pub use diagnostic::{Diagnostic, Finding};
pub use engine::{check_customers, check_dependencies, check_note, Context};
pub use registry::{closest_name, Level, Rule, RuleInfo, RULES};
pub use settings::RuleSettings;
pub use syntax::sure_suggestion;
