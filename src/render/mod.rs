//! Renderers: turn notes and findings into text for people and machines.

pub mod agenda;
pub mod check;
pub mod human;
pub mod list;
pub mod sarif;

use std::borrow::Cow;

/// Make note text safe to print to a terminal or CI log: control characters (ESC, CR,
/// BEL, ...) and bidirectional overrides become visible stand-ins instead of acting.
pub fn terminal_safe(s: &str) -> Cow<'_, str> {
    if !s.chars().any(is_unsafe) {
        return Cow::Borrowed(s);
    }
    Cow::Owned(
        s.chars()
            .map(|c| match c {
                // C0 controls have "control pictures" (ESC -> ␛) at U+2400.
                '\0'..='\x1f' => char::from_u32(0x2400 + c as u32).unwrap_or('\u{FFFD}'),
                '\x7f' => '\u{2421}',
                c if is_unsafe(c) => '\u{FFFD}',
                c => c,
            })
            .collect(),
    )
}

/// JSON text from serde_json with the characters it leaves raw but a terminal would act
/// on (DEL, C1 controls such as CSI, bidirectional overrides) escaped as `\uXXXX` too.
/// They can only occur inside JSON strings, where the escape means the same character.
pub fn json_safe(json: String) -> String {
    if !json.chars().any(is_unsafe) {
        return json;
    }
    let mut out = String::with_capacity(json.len() + 16);
    for c in json.chars() {
        if is_unsafe(c) && c != '\n' {
            out.push_str(&format!("\\u{:04x}", c as u32));
        } else {
            out.push(c);
        }
    }
    out
}

/// A character that acts on a terminal: a control character or a bidirectional override.
pub fn is_unsafe(c: char) -> bool {
    c.is_control() || is_bidi(c)
}

/// A bidirectional embedding, override or isolate: it can make text read backwards.
pub fn is_bidi(c: char) -> bool {
    matches!(c, '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}')
}

#[cfg(test)]
mod tests {
    use super::terminal_safe;

    #[test]
    fn control_characters_are_neutralised() {
        assert_eq!(terminal_safe("plain é"), "plain é");
        assert_eq!(terminal_safe("a\x1b[31mred\r\n"), "a␛[31mred␍␊");
        assert_eq!(terminal_safe("x\u{202E}y\u{9b}"), "x\u{FFFD}y\u{FFFD}");
    }

    #[test]
    fn json_escapes_what_serde_leaves_raw() {
        let json = serde_json::to_string(&["a\u{202E}b\u{9b}c\x7f\x1b"]).unwrap();
        let safe = super::json_safe(json + "\n");
        assert_eq!(safe, "[\"a\\u202eb\\u009bc\\u007f\\u001b\"]\n");
        let back: Vec<String> = serde_json::from_str(&safe).unwrap();
        assert_eq!(back, ["a\u{202E}b\u{9b}c\x7f\x1b"]);
    }
}
