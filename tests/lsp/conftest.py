"""pytest-lsp fixtures: `followup lsp` started as a subprocess over stdio, in a copy of
tests/lsp/workspace, on a fixed day (initializationOptions `today`)."""

import asyncio
import os
import pathlib
import shutil
import sys

import pytest
import pytest_lsp
from lsprotocol import types
from pytest_lsp import ClientServerConfig, LanguageClient, client_capabilities

HERE = pathlib.Path(__file__).parent
BIN = os.environ.get("FOLLOWUP_BIN", str(HERE.parent.parent / "target" / "debug" / "followup"))
TODAY = "2026-11-23"


@pytest.fixture(scope="session")
def workspace(tmp_path_factory):
    root = tmp_path_factory.mktemp("notes")
    shutil.copytree(HERE / "workspace", root, dirs_exist_ok=True)
    (root / ".git").mkdir()
    return root


@pytest_lsp.fixture(config=ClientServerConfig(server_command=[BIN, "lsp", "--stdio"]))
async def client(lsp_client: LanguageClient, workspace):
    params = types.InitializeParams(
        capabilities=client_capabilities("visual-studio-code"),
        root_uri=workspace.as_uri(),
        workspace_folders=[types.WorkspaceFolder(uri=workspace.as_uri(), name="notes")],
        initialization_options={"today": TODAY},
    )
    # The server registers its file watchers; say yes.
    lsp_client.feature(types.CLIENT_REGISTER_CAPABILITY)(lambda *args: None)
    await lsp_client.initialize_session(params)
    yield
    await lsp_client.shutdown_session()


async def until(check, timeout=15.0):
    """Wait until `check()` returns something truthy; return it."""
    loop = asyncio.get_running_loop()
    end = loop.time() + timeout
    while True:
        value = check()
        if value:
            return value
        if loop.time() > end:
            raise AssertionError(f"timed out waiting for {check}")
        await asyncio.sleep(0.02)
