//! Text helpers every layer shares: making text safe to print, plurals, and
//! "did you mean" suggestions. A leaf: it uses nothing else in the crate.

use std::borrow::Cow;

/// Make note text safe to print to a terminal or CI log: control characters (ESC, CR,
/// BEL, ...) and bidirectional overrides become visible stand-ins instead of acting.
pub fn terminal_safe(s: &str) -> Cow<'_, str> {
    if !has_unsafe(s) {
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

/// A path (or any name) made safe to print, the one neutraliser for every path shown:
/// [`terminal_safe`], and never starting with `::` (under GitHub Actions a log line that
/// starts with `::` is a workflow command, and a path often starts a line), so a file
/// named `::error::x.md` is shown as `./::error::x.md`.
pub fn shown_path(path: &str) -> Cow<'_, str> {
    let safe = terminal_safe(path);
    if safe.starts_with("::") {
        Cow::Owned(format!("./{safe}"))
    } else {
        safe
    }
}

/// A file name's bytes as text, reversibly: valid UTF-8 as it is, a byte that is not
/// UTF-8 as `\xNN`, and a backslash that would read as such an escape (one before `xNN`
/// or before another backslash) doubled. So `caf\xE9.md` (a Latin-1 byte) and a file
/// literally named `caf\\xE9.md` never look the same, and [`display_to_bytes`] gives
/// the bytes back.
pub fn display_bytes(bytes: &[u8]) -> Cow<'_, str> {
    let needs_escape = |s: &str| s.contains('\\');
    match std::str::from_utf8(bytes) {
        Ok(s) if !needs_escape(s) => return Cow::Borrowed(s),
        _ => {}
    }
    let mut out = String::with_capacity(bytes.len() + 8);
    for chunk in bytes.utf8_chunks() {
        let valid = chunk.valid();
        for (i, c) in valid.char_indices() {
            out.push(c);
            if c == '\\' && escape_follows(&valid.as_bytes()[i + 1..], chunk.invalid()) {
                out.push('\\');
            }
        }
        for b in chunk.invalid() {
            out.push_str(&format!("\\x{b:02X}"));
        }
    }
    Cow::Owned(out)
}

/// Whether a backslash followed by `rest` (then, when `rest` is empty, by an invalid
/// byte) would read as an escape: `\xNN`, `\\`, or a backslash before a bad byte.
fn escape_follows(rest: &[u8], invalid_next: &[u8]) -> bool {
    match rest {
        [] => !invalid_next.is_empty(),
        [b'\\', ..] => true,
        [b'x', h, l, ..] => h.is_ascii_hexdigit() && l.is_ascii_hexdigit(),
        _ => false,
    }
}

/// The bytes [`display_bytes`] showed: `\xNN` is the byte, `\\` one backslash, any
/// other backslash itself.
pub fn display_to_bytes(shown: &str) -> Cow<'_, [u8]> {
    if !shown.contains('\\') {
        return Cow::Borrowed(shown.as_bytes());
    }
    let b = shown.as_bytes();
    let mut out = Vec::with_capacity(b.len());
    let mut i = 0;
    while i < b.len() {
        match &b[i..] {
            [b'\\', b'\\', ..] => {
                out.push(b'\\');
                i += 2;
            }
            [b'\\', b'x', h, l, ..] if h.is_ascii_hexdigit() && l.is_ascii_hexdigit() => {
                let hex = std::str::from_utf8(&b[i + 2..i + 4]).unwrap_or("00");
                out.push(u8::from_str_radix(hex, 16).unwrap_or(0));
                i += 4;
            }
            _ => {
                out.push(b[i]);
                i += 1;
            }
        }
    }
    Cow::Owned(out)
}

/// Percent-encode every byte but ASCII letters, digits, `-._~` and `/`: a URI path or a
/// markdown link target that nothing can end, break or hide (control characters and
/// bidirectional overrides are encoded, never dropped).
pub fn percent_encode(bytes: &[u8]) -> String {
    let mut out = String::with_capacity(bytes.len());
    for &b in bytes {
        if b.is_ascii_alphanumeric() || b"-._~/".contains(&b) {
            out.push(b as char);
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

/// JSON text from serde_json with the characters it leaves raw but a terminal would act
/// on (DEL, C1 controls such as CSI, bidirectional overrides) escaped as `\uXXXX` too.
/// They can only occur inside JSON strings, where the escape means the same character.
pub fn json_safe(json: String) -> String {
    // Pretty JSON's line ends stay: checked for the rest only, or every such text would
    // take the slow way below.
    if !has_unsafe_except(&json, |c| c == b'\n') {
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

/// Whether `s` holds a character that [`is_unsafe`], decided on the bytes: much faster
/// than decoding every character, and exact.
fn has_unsafe(s: &str) -> bool {
    has_unsafe_except(s, |_| false)
}

/// Whether `s` holds a character that [`is_unsafe`] other than a line end (`\n`) or a
/// tab: what a note's lines, shown as they are, must not hold. Decided on the bytes too.
pub fn has_unsafe_in_lines(s: &str) -> bool {
    has_unsafe_except(s, |c| (c == b'\n') | (c == b'\t'))
}

/// [`has_unsafe`] for the unsafe characters but the C0 controls `fine` lets through. In
/// UTF-8 every unsafe character is a C0 control or DEL (one byte), a C1 control (`C2 80`..
/// `C2 9F`) or a bidi control (`E2 80 AA`..`E2 80 AE`, `E2 81 A6`..`E2 81 A9`).
fn has_unsafe_except(s: &str, fine: impl Fn(u8) -> bool) -> bool {
    let b = s.as_bytes();
    let unsafe_at = |i: usize| match b[i] {
        c @ 0..=0x1f => !fine(c),
        0x7f => true,
        0xC2 => b.get(i + 1).is_some_and(|&n| n < 0xA0),
        0xE2 => matches!(
            (b.get(i + 1), b.get(i + 2)),
            (Some(0x80), Some(0xAA..=0xAE)) | (Some(0x81), Some(0xA6..=0xA9))
        ),
        _ => false,
    };
    // Chunk by chunk, a first pass without early exit, which the compiler turns into
    // SIMD: most text has none of these bytes at all, and the rest (`…`, `—`, `✅`
    // start with E2) only in a few chunks, which get the exact look.
    const CHUNK: usize = 64;
    b.chunks(CHUNK).enumerate().any(|(n, chunk)| {
        chunk.iter().fold(false, |acc, &c| {
            acc | ((c < 0x20) & !fine(c)) | (c == 0x7f) | (c == 0xC2) | (c == 0xE2)
        }) && (n * CHUNK..n * CHUNK + chunk.len()).any(unsafe_at)
    })
}

/// A character that acts on a terminal: a control character or a bidirectional override.
pub fn is_unsafe(c: char) -> bool {
    c.is_control() || is_bidi(c)
}

/// A bidirectional embedding, override or isolate: it can make text read backwards.
pub fn is_bidi(c: char) -> bool {
    matches!(c, '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}')
}

/// Text made of [`Piece`]s, appended to one `String` that is allocated once: cheaper
/// than `format!`, whose machinery (a call per argument through `Display`, and for a date
/// chrono's formatting) costs more than the rest of `check`'s rules, which write a few
/// texts for most findings. `text!(a, b, c)` is a new `String`; `text!(into out; a, b)`
/// appends to the `String` `out` (a `&mut String`).
macro_rules! text {
    (into $out:expr; $($piece:expr),+ $(,)?) => {
        $crate::text::push_pieces($out, &[$(&$piece),+])
    };
    ($($piece:expr),+ $(,)?) => {{
        let mut out = String::new();
        $crate::text::text!(into &mut out; $($piece),+);
        out
    }};
}
pub(crate) use text;

/// `1 day`, `3 days`.
pub fn plural(n: i64, unit: &str) -> String {
    text!(Plural(n, unit))
}

/// `1 day`, `3 days`: [`plural`] as a [`Piece`].
pub struct Plural<'a>(pub i64, pub &'a str);

impl Piece for Plural<'_> {
    fn max_len(&self) -> usize {
        self.0.max_len() + 2 + self.1.len()
    }
    fn push_to(&self, out: &mut String) {
        text!(into out; self.0, " ", self.1, (self.0 != 1).then_some("s"));
    }
}

/// Append `pieces` to `out`, with room made for them all first (what `text!` does).
pub fn push_pieces(out: &mut String, pieces: &[&dyn Piece]) {
    out.reserve(pieces.iter().map(|p| p.max_len()).sum());
    for piece in pieces {
        piece.push_to(out);
    }
}

/// A piece of text that the crate's `text!` macro appends.
pub trait Piece {
    /// The most bytes it appends (so that the text is allocated once).
    fn max_len(&self) -> usize;
    /// Append it to `out`.
    fn push_to(&self, out: &mut String);
}

/// Text, as it is.
macro_rules! str_pieces {
    ($($t:ty),+) => {$(
        impl Piece for $t {
            fn max_len(&self) -> usize {
                self.len()
            }
            fn push_to(&self, out: &mut String) {
                out.push_str(self);
            }
        }
    )+};
}
str_pieces!(str, String, Cow<'_, str>);

impl Piece for char {
    fn max_len(&self) -> usize {
        self.len_utf8()
    }
    fn push_to(&self, out: &mut String) {
        out.push(*self);
    }
}

/// Numbers in decimal, as `Display` writes them.
macro_rules! decimal_pieces {
    ($($t:ty),+) => {$(
        impl Piece for $t {
            fn max_len(&self) -> usize {
                // The digits of the largest, and a sign.
                <$t>::MAX.ilog10() as usize + 2
            }
            fn push_to(&self, out: &mut String) {
                out.push_str(itoa::Buffer::new().format(*self));
            }
        }
    )+};
}
decimal_pieces!(i64, u32, usize);

impl<T: Piece + ?Sized> Piece for &T {
    fn max_len(&self) -> usize {
        (**self).max_len()
    }
    fn push_to(&self, out: &mut String) {
        (**self).push_to(out);
    }
}

/// Nothing when there is none.
impl<T: Piece> Piece for Option<T> {
    fn max_len(&self) -> usize {
        self.as_ref().map_or(0, Piece::max_len)
    }
    fn push_to(&self, out: &mut String) {
        if let Some(piece) = self {
            piece.push_to(out);
        }
    }
}

/// One piece, then the other.
impl<A: Piece, B: Piece> Piece for (A, B) {
    fn max_len(&self) -> usize {
        self.0.max_len() + self.1.max_len()
    }
    fn push_to(&self, out: &mut String) {
        self.0.push_to(out);
        self.1.push_to(out);
    }
}

/// The candidates a misspelt name most likely meant, ignoring case: those within one edit
/// (two for names over four letters) and closest, where swapping two neighbouring letters
/// is one edit. More than one when several are equally close.
pub fn closest<'a>(name: &str, candidates: impl IntoIterator<Item = &'a str>) -> Vec<&'a str> {
    let name = name.to_lowercase();
    let len = name.chars().count();
    let limit = if len > 4 { 2 } else { 1 };
    let close: Vec<(usize, &'a str)> = candidates
        .into_iter()
        // Lengths further apart than the limit can't be within it: skip the distance.
        .filter(|known| known.len().abs_diff(len) <= limit)
        .map(|known| (strsim::osa_distance(&name, known), known))
        .filter(|&(d, _)| d <= limit)
        .collect();
    let best = close.iter().map(|&(d, _)| d).min();
    close
        .into_iter()
        .filter(|&(d, _)| Some(d) == best)
        .map(|(_, known)| known)
        .collect()
}

#[cfg(test)]
mod tests {
    use super::terminal_safe;
    use proptest::prelude::*;

    proptest! {
        /// The display of a name gives its bytes back, so two names never show alike.
        #[test]
        fn display_is_reversible(bytes in proptest::collection::vec(
            prop_oneof![Just(b'\\'), Just(b'x'), Just(b'E'), Just(b'9'), Just(0xE9u8), any::<u8>()],
            0..12,
        )) {
            let shown = super::display_bytes(&bytes);
            let back = super::display_to_bytes(&shown).into_owned();
            prop_assert_eq!(back, bytes);
        }
    }

    #[test]
    fn pieces_write_what_display_writes_within_their_length() {
        use super::{Piece, Plural};
        assert_eq!(super::plural(1, "day"), "1 day");
        assert_eq!(super::plural(0, "day"), "0 days");
        assert_eq!(super::plural(-1, "day"), "-1 days");
        for n in [i64::MIN, -10, 0, 9, 10, i64::MAX] {
            assert_eq!(text!(n), n.to_string());
            assert!(text!(n).len() <= n.max_len());
            assert!(text!(Plural(n, "week")).len() <= Plural(n, "week").max_len());
        }
        assert_eq!(text!(usize::MAX), usize::MAX.to_string());
        assert_eq!(text!(u32::MAX), u32::MAX.to_string());
        let (none, some): (Option<&str>, _) = (None, Some(("a", 'é')));
        let mut out = String::from("x");
        text!(into &mut out; none, some, ":", 7usize, String::from("s"));
        assert_eq!(out, "xaé:7s");
    }

    #[test]
    fn colliding_names_show_differently() {
        assert_eq!(super::display_bytes(b"caf\xE9.md"), "caf\\xE9.md");
        assert_eq!(super::display_bytes(b"caf\\xE9.md"), "caf\\\\xE9.md");
        assert_eq!(super::display_bytes(b"a\\b.md"), "a\\b.md");
        assert_eq!(super::shown_path("::error::x.md"), "./::error::x.md");
        assert_eq!(super::shown_path("a\x1b.md"), "a␛.md");
        assert_eq!(
            super::percent_encode("caf\u{202E}\x07 é.md".as_bytes()),
            "caf%E2%80%AE%07%20%C3%A9.md"
        );
    }

    #[test]
    fn control_characters_are_neutralised() {
        assert_eq!(terminal_safe("plain é"), "plain é");
        assert_eq!(terminal_safe("a\x1b[31mred\r\n"), "a␛[31mred␍␊");
        assert_eq!(terminal_safe("x\u{202E}y\u{9b}"), "x\u{FFFD}y\u{FFFD}");
    }

    #[test]
    fn the_byte_check_agrees_with_the_character_check() {
        for c in (0..=0x10FFFF).filter_map(char::from_u32) {
            let s = format!("a{c}b");
            assert_eq!(super::has_unsafe(&s), super::is_unsafe(c), "{c:?}");
            assert_eq!(
                super::has_unsafe_in_lines(&s),
                super::is_unsafe(c) && c != '\n' && c != '\t',
                "{c:?}"
            );
        }
        // The bytes are looked at in chunks: a character across two is still found.
        for pad in 0..140 {
            for c in ['\u{202E}', '\u{9b}', '\x1b'] {
                let s = format!("{}{c}{}", "…".repeat(pad / 3) + &"a".repeat(pad % 3), "✅");
                assert!(super::has_unsafe(&s), "{s:?}");
                assert!(super::has_unsafe_in_lines(&s), "{s:?}");
            }
            let fine = format!("{}\n\t…✅", "a".repeat(pad));
            assert!(!super::has_unsafe_in_lines(&fine), "{fine:?}");
        }
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
