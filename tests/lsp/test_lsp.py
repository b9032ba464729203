"""End to end: a real LSP client (pytest-lsp) drives `followup lsp`."""

import asyncio

import pytest
from lsprotocol import types

from conftest import TODAY, until

NOTE = "acme-corp/2026-11-16-pricing-call.md"


def codes(diagnostics):
    return [(d.range.start.line, d.code) for d in diagnostics or []]


def offset(text, pos):
    """The index in `text` of an LSP position (UTF-16 columns)."""
    lines = text.splitlines(keepends=True)
    start = sum(len(l) for l in lines[: pos.line])
    line = lines[pos.line] if pos.line < len(lines) else ""
    units = 0
    for i, ch in enumerate(line):
        if units >= pos.character:
            return start + i
        units += 2 if ord(ch) > 0xFFFF else 1
    return start + len(line.rstrip("\r\n"))


def apply(text, edits):
    for e in sorted(edits, key=lambda e: (e.range.start.line, e.range.start.character), reverse=True):
        a, b = offset(text, e.range.start), offset(text, e.range.end)
        text = text[:a] + e.new_text + text[b:]
    return text


async def open_note(client, workspace, rel, text=None, version=1):
    path = workspace / rel
    if text is None:
        text = path.read_text(encoding="utf-8")
    uri = path.as_uri()
    client.text_document_did_open(
        types.DidOpenTextDocumentParams(
            text_document=types.TextDocumentItem(uri=uri, language_id="markdown", version=version, text=text)
        )
    )
    await until(lambda: uri in client.diagnostics)
    return uri, text


async def actions_at(client, uri, line, only=None):
    result = await client.text_document_code_action_async(
        types.CodeActionParams(
            text_document=types.TextDocumentIdentifier(uri=uri),
            range=types.Range(start=types.Position(line=line, character=0), end=types.Position(line=line, character=0)),
            context=types.CodeActionContext(diagnostics=[], only=only),
        )
    )
    return {a.title: a for a in result or []}


def edited(action, uri, text):
    return apply(text, action.edit.changes[uri])


@pytest.mark.asyncio
async def test_diagnostics_on_open_and_on_change(client, workspace):
    uri, text = await open_note(client, workspace, NOTE)
    got = codes(client.diagnostics[uri])
    assert got == [(5, "overdue"), (6, "overdue"), (8, "unknown-tag"), (9, "due-soon")], got
    d = client.diagnostics[uri][0]
    assert d.severity == types.DiagnosticSeverity.Error
    assert d.source == "followup"
    assert d.code_description.href.endswith("docs/rules.md#overdue")
    assert d.message.startswith("overdue by 3 days (due 2026-11-20)")
    # UTF-16: 😀 is two units, 東京 one each, before `@deu(...)` on line 8.
    tag = client.diagnostics[uri][2]
    assert (tag.range.start.character, tag.range.end.character) == (32, 36)
    # An incremental change: `fri` becomes a date next week; the overdue finding goes.
    client.text_document_did_change(
        types.DidChangeTextDocumentParams(
            text_document=types.VersionedTextDocumentIdentifier(uri=uri, version=2),
            content_changes=[
                types.TextDocumentContentChangePartial(
                    range=types.Range(start=types.Position(line=5, character=42), end=types.Position(line=5, character=45)),
                    text="2026-11-30",
                )
            ],
        )
    )
    await until(lambda: codes(client.diagnostics[uri]) == [(6, "overdue"), (8, "unknown-tag"), (9, "due-soon")])
    # A suppression comment is honoured.
    client.text_document_did_change(
        types.DidChangeTextDocumentParams(
            text_document=types.VersionedTextDocumentIdentifier(uri=uri, version=3),
            content_changes=[
                types.TextDocumentContentChangePartial(
                    range=types.Range(start=types.Position(line=6, character=0), end=types.Position(line=6, character=0)),
                    text="<!-- followup-disable-next-line overdue -->\n",
                )
            ],
        )
    )
    await until(lambda: codes(client.diagnostics[uri]) == [(9, "unknown-tag"), (10, "due-soon")])
    client.text_document_did_save(types.DidSaveTextDocumentParams(text_document=types.TextDocumentIdentifier(uri=uri)))
    client.text_document_did_close(types.DidCloseTextDocumentParams(text_document=types.TextDocumentIdentifier(uri=uri)))
    await until(lambda: len(client.diagnostics[uri]) == 0)


@pytest.mark.asyncio
async def test_customer_findings_from_the_workspace_scan_with_progress(client, workspace):
    soylent = (workspace / "soylent/_customer.md").as_uri()
    await until(lambda: client.diagnostics.get(soylent))
    assert codes(client.diagnostics[soylent]) == [(3, "no-contact")]
    reports = await until(lambda: [r for t, rs in client.progress_reports.items() if str(t).startswith("followup/scan") for r in rs])
    await until(lambda: any(isinstance(r, types.WorkDoneProgressEnd) for r in reports))
    assert isinstance(reports[0], types.WorkDoneProgressBegin)


EXPECTED = {
    "Mark done: Book the demo room for the ops team": (
        6,
        "- [x] Book the demo room for the ops team due:tomorrow @done(2026-11-23)\n",
    ),
    "Cancel: Send Dana the volume pricing sheet": (
        5,
        "* Send Dana the volume pricing sheet @due(fri) @cancelled(2026-11-23)\n",
    ),
    "Write `fri` out as 2026-11-20": (5, "* Send Dana the volume pricing sheet @due(2026-11-20)\n"),
    "Write `tomorrow` out as 2026-11-17": (6, "- [ ] Book the demo room for the ops team due:2026-11-17\n"),
    "Correct `deu` to `due`": (8, "* Ask 😀 東京 legal about the MSA @due(2026-11-27)\n"),
    "Suppress `overdue` here until 2026-11-30": (
        5,
        "<!-- followup-disable-next-line overdue until=2026-11-30 -->\n"
        "* Send Dana the volume pricing sheet @due(fri)\n",
    ),
}


@pytest.mark.asyncio
@pytest.mark.parametrize("title", sorted(EXPECTED))
async def test_each_code_action_byte_for_byte(client, workspace, title):
    uri, text = await open_note(client, workspace, NOTE)
    line, replacement = EXPECTED[title]
    actions = await actions_at(client, uri, line)
    assert title in actions, sorted(actions)
    after = edited(actions[title], uri, text)
    lines = text.splitlines(keepends=True)
    expected = "".join(lines[:line]) + replacement + "".join(lines[line + 1 :])
    assert after.encode("utf-8") == expected.encode("utf-8")
    # The result is what the server then reads: apply it and look again.
    client.text_document_did_change(
        types.DidChangeTextDocumentParams(
            text_document=types.VersionedTextDocumentIdentifier(uri=uri, version=2),
            content_changes=[types.TextDocumentContentChangeWholeDocument(text=after)],
        )
    )
    # Requests are answered in order: the symbols are of the edited text.
    symbols = await client.text_document_document_symbol_async(
        types.DocumentSymbolParams(text_document=types.TextDocumentIdentifier(uri=uri))
    )
    assert len(symbols) == 5
    statuses = [s.detail.split(" ")[0] for s in symbols]
    if title.startswith("Mark done"):
        assert statuses[1] == "done"
    elif title.startswith("Cancel"):
        assert statuses[0] == "cancelled"


@pytest.mark.asyncio
async def test_fix_all_source_action(client, workspace):
    uri, text = await open_note(client, workspace, NOTE)
    actions = await actions_at(client, uri, 0, only=["source.fixAll"])
    assert list(actions) == ["Fix all followup findings that can be fixed"]
    after = edited(next(iter(actions.values())), uri, text)
    assert after == (
        text.replace("@due(fri)", "@due(2026-11-20)")
        .replace("due:tomorrow", "due:2026-11-17")
        .replace("@deu(", "@due(")
    )


@pytest.mark.asyncio
async def test_hover_on_a_commitment(client, workspace):
    uri, _ = await open_note(client, workspace, NOTE)
    # The customer's row comes from the scan: wait for it.
    await until(lambda: client.diagnostics.get((workspace / "soylent/_customer.md").as_uri()))
    hover = await client.text_document_hover_async(
        types.HoverParams(text_document=types.TextDocumentIdentifier(uri=uri), position=types.Position(line=5, character=40))
    )
    value = hover.contents.value
    assert "**open** · Send Dana the volume pricing sheet" in value
    assert "due `fri` → Fri 2026-11-20, from the note's date 2026-11-16 (3 days ago)" in value
    assert "**Acme Corp**: last contact Fri 2026-11-20 (3 days ago), every 7 days; 6 open, 2 overdue" in value
    assert hover.range.start == types.Position(line=5, character=0)
    assert hover.range.end == types.Position(line=5, character=46)
    nothing = await client.text_document_hover_async(
        types.HoverParams(text_document=types.TextDocumentIdentifier(uri=uri), position=types.Position(line=3, character=2))
    )
    assert nothing is None


@pytest.mark.asyncio
async def test_inlay_hints_after_relative_dates(client, workspace):
    uri, _ = await open_note(client, workspace, NOTE)
    hints = await client.text_document_inlay_hint_async(
        types.InlayHintParams(
            text_document=types.TextDocumentIdentifier(uri=uri),
            range=types.Range(start=types.Position(line=0, character=0), end=types.Position(line=99, character=0)),
        )
    )
    got = [((h.position.line, h.position.character), h.label) for h in hints]
    assert got == [((5, 46), "= Fri 2026-11-20"), ((6, 54), "= Tue 2026-11-17")]


@pytest.mark.asyncio
@pytest.mark.parametrize(
    "line, expected",
    [
        ("* Call Dana back @due(", ["2026-11-23", "2026-11-24", "2026-11-25"]),
        ("* Call Dana back due:", ["2026-11-23", "2026-11-24"]),
        ("- [ ] Call Dana back 📅 ", ["2026-11-23", "2026-11-24"]),
        ("* 東京 Call Dana back @", ["due", "scheduled", "done", "cancelled", "waiting"]),
    ],
)
async def test_completion(client, workspace, line, expected):
    text = "# Call 2026-11-20\n\n" + line + "\n"
    uri, _ = await open_note(client, workspace, "acme-corp/new.md", text)
    units = sum(2 if ord(c) > 0xFFFF else 1 for c in line)
    result = await client.text_document_completion_async(
        types.CompletionParams(text_document=types.TextDocumentIdentifier(uri=uri), position=types.Position(line=2, character=units))
    )
    items = result.items if hasattr(result, "items") else result
    labels = [i.label for i in items]
    assert labels[: len(expected)] == expected, labels
    if expected[0] == "2026-11-23":
        details = {i.label: i.detail for i in items}
        assert details["2026-11-24"] == "tomorrow (Tue)"
        assert "end of week (Fri)" in details.values()
        assert items[0].text_edit.range.start.character == units


@pytest.mark.asyncio
async def test_completion_of_customer_names_in_front_matter(client, workspace):
    await until(lambda: client.diagnostics.get((workspace / "soylent/_customer.md").as_uri()))
    text = "---\ncustomer: \n---\n# Call\n"
    uri, _ = await open_note(client, workspace, "front.md", text)
    result = await client.text_document_completion_async(
        types.CompletionParams(text_document=types.TextDocumentIdentifier(uri=uri), position=types.Position(line=1, character=10))
    )
    items = result.items if hasattr(result, "items") else result
    assert [i.label for i in items] == ["Acme Corp", "Soylent"]


@pytest.mark.asyncio
async def test_document_and_workspace_symbols(client, workspace):
    uri, _ = await open_note(client, workspace, NOTE)
    symbols = await client.text_document_document_symbol_async(
        types.DocumentSymbolParams(text_document=types.TextDocumentIdentifier(uri=uri))
    )
    got = [(s.name, s.detail) for s in symbols]
    ranges = [(s.range.start.line, s.range.start.character, s.range.end.line, s.range.end.character) for s in symbols]
    assert ranges == [(5, 0, 5, 46), (6, 0, 6, 54), (7, 0, 7, 71), (8, 0, 8, 48), (9, 0, 9, 43)]
    assert symbols[1].selection_range.end == types.Position(line=6, character=5)
    assert got == [
        ("Send Dana the volume pricing sheet", "open · due 2026-11-20"),
        ("Book the demo room for the ops team", "open · due 2026-11-17"),
        ("Send the meeting recap to Dana", "done · due 2026-11-17"),
        ("Ask 😀 東京 legal about the MSA @deu(2026-11-27)", "open"),
        ("Draft the statement of work", "open · due 2026-11-24"),
    ]
    async def search(q):
        return await client.workspace_symbol_async(types.WorkspaceSymbolParams(query=q))
    found = None
    for _ in range(300):
        found = await search("qbr")
        if found:
            break
        await asyncio.sleep(0.05)
    assert [s.name for s in found] == [
        "Prepare the QBR deck for Dana (due 2026-11-26)",
        "Send the QBR agenda to Priya",
    ]
    assert found[0].location.uri == (workspace / "acme-corp/2026-11-20-qbr-prep.md").as_uri()
    assert found[0].location.range.start.line == 2
    assert [s.name for s in await search("recap")] == [], "done ones are not listed"


@pytest.mark.asyncio
async def test_shutdown_and_exit(client, workspace):
    await client.shutdown_session()
    assert client._server.returncode == 0
    client.capabilities = None  # the fixture's own shutdown has nothing left to do


@pytest.mark.asyncio
async def test_mark_done_keeps_crlf_line_endings(client, workspace):
    text = "# Call 2026-11-16\r\n\r\n- [ ] Send 😀 the deck @due(fri)\r\n* Other @due(2026-12-30)\r\n"
    uri, _ = await open_note(client, workspace, "acme-corp/crlf.md", text)
    actions = await actions_at(client, uri, 2)
    after = edited(actions["Mark done: Send 😀 the deck"], uri, text)
    assert after == "# Call 2026-11-16\r\n\r\n- [x] Send 😀 the deck @due(fri) @done(2026-11-23)\r\n* Other @due(2026-12-30)\r\n"
    fix = edited(actions["Write `fri` out as 2026-11-20"], uri, text)
    assert fix == text.replace("@due(fri)", "@due(2026-11-20)")
    suppress = edited(actions["Suppress `overdue` here until 2026-11-30"], uri, text)
    assert suppress == text.replace("- [ ]", "<!-- followup-disable-next-line overdue until=2026-11-30 -->\r\n- [ ]")
