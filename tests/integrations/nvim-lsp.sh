#!/usr/bin/env bash
# A second LSP client: headless Neovim (its built-in client, set up as docs/editors.md
# says) opens a note of tests/lsp/workspace and prints `vim.diagnostic.get()`; the
# diagnostics must be the ones followup reports. Needs nvim >= 0.7 (Debian 12's `neovim`).
set -euo pipefail
project="$(cd "$(dirname "$0")/../.." && pwd)"
bin="${FOLLOWUP_BIN:-$project/target/debug/followup}"
[ -x "$bin" ] || (cd "$project" && cargo build --locked --quiet)
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
cp -r "$project/tests/lsp/workspace" "$work/notes"
mkdir "$work/notes/.git"

cat > "$work/init.lua" <<LUA
vim.api.nvim_create_autocmd('FileType', {
  pattern = 'markdown',
  callback = function(args)
    local config = {
      name = 'followup',
      cmd = { '$bin', 'lsp' },
      root_dir = '$work/notes',
      init_options = { today = '2026-11-23' },
    }
    if vim.lsp.start then -- Neovim 0.8 and later
      vim.lsp.start(config)
    else -- Debian 12 ships 0.7
      vim.lsp.buf_attach_client(args.buf, vim.lsp.start_client(config))
    end
  end,
})
LUA

cat > "$work/print.lua" <<'LUA'
local ok = vim.wait(15000, function() return #vim.diagnostic.get(0) >= 4 end, 50)
local lines = {}
if not ok then table.insert(lines, 'timed out waiting for diagnostics') end
local ds = vim.diagnostic.get(0)
table.sort(ds, function(a, b) return a.lnum < b.lnum or (a.lnum == b.lnum and a.col < b.col) end)
for _, d in ipairs(ds) do
  local first = vim.split(d.message, '\n')[1]
  local code = d.code or (d.user_data and d.user_data.lsp and d.user_data.lsp.code)
  table.insert(lines, string.format('%d:%d %s %s %s', d.lnum + 1, d.col, vim.diagnostic.severity[d.severity], code, first))
end
vim.fn.writefile(lines, vim.env.OUT)
vim.cmd('qall!')
LUA

export OUT="$work/out.txt"
# HOME elsewhere: no user configuration or plugins get in the way.
HOME="$work" XDG_CONFIG_HOME="$work/config" XDG_DATA_HOME="$work/data" XDG_STATE_HOME="$work/state" \
  timeout 60 nvim --headless -n -u "$work/init.lua" \
  "$work/notes/acme-corp/2026-11-16-pricing-call.md" -c "luafile $work/print.lua"

# Neovim's columns are bytes: 38 on line 9 is 32 UTF-16 units (😀 and 東京 before the
# tag) converted back by the client, so the server's UTF-16 positions are right.
cat > "$work/expected.txt" <<'TXT'
6:37 ERROR overdue overdue by 3 days (due 2026-11-20): Send Dana the volume pricing sheet
7:42 ERROR overdue overdue by 6 days (due 2026-11-17): Book the demo room for the ops team
9:38 WARN unknown-tag unknown tag `@deu`: did you mean `@due`?
10:30 INFO due-soon due in 1 day (Tue 2026-11-24): Draft the statement of work
TXT
if diff -u "$work/expected.txt" "$OUT"; then
  echo "nvim-lsp: Neovim shows followup's diagnostics"
else
  echo "nvim-lsp: Neovim's diagnostics differ from the expected ones" >&2
  exit 1
fi
