//! Checkbox statuses, as Obsidian Tasks has them: every symbol between the brackets of a
//! task item (`- [/]`, `- [>]`, `- [!]`) has a name, a type and a next symbol. The type
//! decides what the item is to followup: TODO and IN_PROGRESS are open commitments, DONE
//! and CANCELLED are closed, NON_TASK is not a commitment at all.
//!
//! The defaults are Obsidian Tasks' core statuses and the Minimal theme's (its
//! `src/Config/Themes/MinimalThemeCollection.ts`, obsidian-tasks-group/obsidian-tasks,
//! MIT licensed), plus `X`, which Obsidian reads as done. A symbol not in the registry
//! is TODO, as in Obsidian Tasks. `[statuses]` in `followup.toml` adds or retypes
//! symbols ([`StatusRegistry::from_table`]).

use std::sync::LazyLock;

use serde::Serialize;

/// What a status means.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, serde::Deserialize,
)]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
pub enum StatusType {
    /// Still to do.
    Todo,
    /// Started, still open.
    InProgress,
    /// Kept.
    Done,
    /// Called off.
    Cancelled,
    /// Not a task: a checkbox used as a bullet style (a quote, a location).
    NonTask,
}

impl StatusType {
    /// All types, in Obsidian Tasks' order.
    pub const ALL: [StatusType; 5] = [
        StatusType::Todo,
        StatusType::InProgress,
        StatusType::Done,
        StatusType::Cancelled,
        StatusType::NonTask,
    ];

    /// The name Obsidian Tasks gives it (`IN_PROGRESS`).
    pub fn as_str(self) -> &'static str {
        match self {
            StatusType::Todo => "TODO",
            StatusType::InProgress => "IN_PROGRESS",
            StatusType::Done => "DONE",
            StatusType::Cancelled => "CANCELLED",
            StatusType::NonTask => "NON_TASK",
        }
    }

    /// Read a type as written in the configuration: `in-progress`, `IN_PROGRESS` and
    /// `in_progress` all name one type.
    pub fn parse(name: &str) -> Option<StatusType> {
        let norm = name.trim().to_ascii_uppercase().replace('-', "_");
        StatusType::ALL.into_iter().find(|t| t.as_str() == norm)
    }

    /// Open: TODO or IN_PROGRESS.
    pub fn is_open(self) -> bool {
        matches!(self, StatusType::Todo | StatusType::InProgress)
    }
}

/// One status: a symbol with its name, type and next symbol.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StatusDef {
    /// The character between the brackets.
    pub symbol: char,
    /// Its name (`In Progress`).
    pub name: String,
    /// What it means.
    pub kind: StatusType,
    /// The symbol Obsidian Tasks moves it to when toggled.
    pub next: char,
}

/// The statuses known, by symbol.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StatusRegistry {
    statuses: Vec<StatusDef>,
}

/// (symbol, name, next symbol, type): Obsidian Tasks' core statuses, then the Minimal
/// theme's (`MinimalThemeCollection.ts`), in their order.
const DEFAULTS: &[(char, &str, char, StatusType)] = &[
    (' ', "Todo", 'x', StatusType::Todo),
    ('x', "Done", ' ', StatusType::Done),
    ('X', "Done", ' ', StatusType::Done),
    ('/', "In Progress", 'x', StatusType::InProgress),
    ('-', "Cancelled", ' ', StatusType::Cancelled),
    ('>', "forwarded", 'x', StatusType::Todo),
    ('<', "scheduling", 'x', StatusType::Todo),
    ('?', "question", 'x', StatusType::Todo),
    ('!', "important", 'x', StatusType::Todo),
    ('*', "star", 'x', StatusType::Todo),
    ('"', "quote", 'x', StatusType::Todo),
    ('l', "location", 'x', StatusType::Todo),
    ('b', "bookmark", 'x', StatusType::Todo),
    ('i', "information", 'x', StatusType::Todo),
    ('S', "savings", 'x', StatusType::Todo),
    ('I', "idea", 'x', StatusType::Todo),
    ('p', "pros", 'x', StatusType::Todo),
    ('c', "cons", 'x', StatusType::Todo),
    ('f', "fire", 'x', StatusType::Todo),
    ('k', "key", 'x', StatusType::Todo),
    ('w', "win", 'x', StatusType::Todo),
    ('u', "up", 'x', StatusType::Todo),
    ('d', "down", 'x', StatusType::Todo),
];

static DEFAULT: LazyLock<StatusRegistry> = LazyLock::new(|| StatusRegistry {
    statuses: DEFAULTS
        .iter()
        .map(|&(symbol, name, next, kind)| StatusDef {
            symbol,
            name: name.to_owned(),
            kind,
            next,
        })
        .collect(),
});

impl StatusRegistry {
    /// The default registry.
    pub fn defaults() -> &'static StatusRegistry {
        &DEFAULT
    }

    /// The status of a symbol, if it is registered.
    pub fn get(&self, symbol: char) -> Option<&StatusDef> {
        self.statuses.iter().find(|s| s.symbol == symbol)
    }

    /// The type of a symbol: TODO when it is not registered, as in Obsidian Tasks.
    pub fn kind(&self, symbol: char) -> StatusType {
        self.get(symbol).map_or(StatusType::Todo, |s| s.kind)
    }

    /// The name of a symbol (`Unknown` when it is not registered).
    pub fn name(&self, symbol: char) -> &str {
        self.get(symbol).map_or("Unknown", |s| s.name.as_str())
    }

    /// All statuses, in order.
    pub fn iter(&self) -> impl Iterator<Item = &StatusDef> {
        self.statuses.iter()
    }

    /// Add a status, or replace the one with its symbol.
    pub fn set(&mut self, def: StatusDef) {
        match self.statuses.iter_mut().find(|s| s.symbol == def.symbol) {
            Some(s) => *s = def,
            None => self.statuses.push(def),
        }
    }

    /// The defaults with `[statuses]` applied. Each key is one symbol; its value is a
    /// type (`"in-progress"`) or a table `{ type = "done", name = "Shipped", next = " " }`.
    pub fn from_table(table: &toml::Table) -> Result<StatusRegistry, String> {
        let mut reg = DEFAULT.clone();
        for (key, value) in table {
            let mut chars = key.chars();
            let (Some(symbol), None) = (chars.next(), chars.next()) else {
                return Err(format!(
                    "[statuses] `{key}`: a status is one character (the one between the brackets)"
                ));
            };
            if matches!(symbol, '\n' | '\r' | ']' | '[') {
                return Err(format!("[statuses] `{key}` cannot be a status symbol"));
            }
            let old = reg.get(symbol).cloned();
            let bad_type = |t: &str| {
                format!(
                    "[statuses] `{key}`: `{t}` is not a status type (one of todo, in-progress, done, cancelled, non-task)"
                )
            };
            let (kind, name, next) = match value {
                toml::Value::String(t) => (StatusType::parse(t).ok_or_else(|| bad_type(t))?, None, None),
                toml::Value::Table(t) => {
                    let mut kind = None;
                    let mut name = None;
                    let mut next = None;
                    for (k, v) in t {
                        let s = v.as_str().ok_or_else(|| {
                            format!("[statuses] `{key}`: `{k}` must be a string")
                        })?;
                        match k.as_str() {
                            "type" => kind = Some(StatusType::parse(s).ok_or_else(|| bad_type(s))?),
                            "name" => name = Some(s.to_owned()),
                            "next" => {
                                let mut c = s.chars();
                                match (c.next(), c.next()) {
                                    (Some(n), None) => next = Some(n),
                                    _ => {
                                        return Err(format!(
                                            "[statuses] `{key}`: `next` is one character"
                                        ))
                                    }
                                }
                            }
                            other => {
                                return Err(format!(
                                    "[statuses] `{key}`: unknown key `{other}` (type, name, next)"
                                ))
                            }
                        }
                    }
                    let kind = kind
                        .or(old.as_ref().map(|o| o.kind))
                        .ok_or_else(|| format!("[statuses] `{key}`: give its `type`"))?;
                    (kind, name, next)
                }
                _ => {
                    return Err(format!(
                        "[statuses] `{key}`: give a type (\"done\") or a table {{ type = ..., name = ... }}"
                    ))
                }
            };
            let default_next = match kind {
                StatusType::Done | StatusType::Cancelled => ' ',
                StatusType::NonTask => symbol,
                _ => 'x',
            };
            reg.set(StatusDef {
                symbol,
                name: name
                    .or(old.as_ref().map(|o| o.name.clone()))
                    .unwrap_or_else(|| kind.as_str().to_owned()),
                kind,
                next: next
                    .or(old.as_ref().filter(|o| o.kind == kind).map(|o| o.next))
                    .unwrap_or(default_next),
            });
        }
        Ok(reg)
    }

    /// The registry for the rest of the run: settings are `Copy`, so they hold it by a
    /// `'static` reference. A configuration is read once per command, so this leaks
    /// one small table per command at most.
    pub fn leak(self) -> &'static StatusRegistry {
        if self == *DEFAULT {
            return &DEFAULT;
        }
        Box::leak(Box::new(self))
    }

    /// The `[statuses]` lines that give this registry from the defaults, for `followup
    /// config` (empty when it is the default).
    pub fn to_toml(&self) -> String {
        let mut out = String::new();
        for s in &self.statuses {
            if DEFAULT.get(s.symbol) != Some(s) {
                let key = toml::Value::String(s.symbol.to_string());
                out.push_str(&format!(
                    "{key} = {{ type = \"{}\", name = {}, next = {} }}\n",
                    s.kind.as_str().to_ascii_lowercase().replace('_', "-"),
                    toml::Value::String(s.name.clone()),
                    toml::Value::String(s.next.to_string()),
                ));
            }
        }
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn defaults_follow_obsidian_tasks() {
        let r = StatusRegistry::defaults();
        assert_eq!(r.kind(' '), StatusType::Todo);
        assert_eq!(r.kind('x'), StatusType::Done);
        assert_eq!(r.kind('X'), StatusType::Done);
        assert_eq!(r.kind('/'), StatusType::InProgress);
        assert_eq!(r.kind('-'), StatusType::Cancelled);
        assert_eq!(r.kind('>'), StatusType::Todo);
        assert_eq!(r.name('>'), "forwarded");
        // Unknown symbols are TODO, as in Obsidian Tasks.
        assert_eq!(r.kind('Q'), StatusType::Todo);
        assert_eq!(r.name('Q'), "Unknown");
        assert_eq!(r.get('/').unwrap().next, 'x');
    }

    #[test]
    fn the_table_adds_and_retypes() {
        let t: toml::Table = toml::from_str(
            "i = \"non-task\"\nd = { type = \"in-progress\", name = \"Doing\" }\n\"!\" = { name = \"Urgent\" }\n",
        )
        .unwrap();
        let r = StatusRegistry::from_table(&t).unwrap();
        assert_eq!(r.kind('i'), StatusType::NonTask);
        assert_eq!(r.get('i').unwrap().next, 'i');
        assert_eq!(r.kind('d'), StatusType::InProgress);
        assert_eq!(r.name('d'), "Doing");
        assert_eq!((r.kind('!'), r.name('!')), (StatusType::Todo, "Urgent"));
        let again: toml::Table = toml::from_str(&r.to_toml()).unwrap();
        assert_eq!(StatusRegistry::from_table(&again).unwrap(), r);
    }

    #[test]
    fn bad_tables_are_errors() {
        for bad in [
            "ab = \"done\"",
            "a = \"finished\"",
            "a = 3",
            "a = { colour = \"red\" }",
            "Z = { name = \"x\" }",
            "a = { type = \"done\", next = \"xy\" }",
        ] {
            let t: toml::Table = toml::from_str(bad).unwrap();
            assert!(StatusRegistry::from_table(&t).is_err(), "{bad}");
        }
    }
}
