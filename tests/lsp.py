"""A small client for the real yaml-language-server (npm), over stdio with LSP JSON-RPC.

It opens one document at a time and returns what an editor would show: the diagnostics the
server publishes, and the completions it offers at a position.
"""
from __future__ import annotations

import json
import queue
import subprocess
import threading
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SERVER = ROOT / "node_modules" / "yaml-language-server" / "bin" / "yaml-language-server"
TIMEOUT = 60  # seconds for one answer; the server answers in well under a second


class LanguageServer:
    def __init__(self, workspace: Path):
        if not SERVER.exists():
            raise RuntimeError("yaml-language-server is not installed; run: npm ci --ignore-scripts")
        self.proc = subprocess.Popen(["node", str(SERVER), "--stdio"], stdin=subprocess.PIPE,
                                     stdout=subprocess.PIPE, stderr=subprocess.DEVNULL)
        self.inbox: queue.Queue = queue.Queue()
        self.next_id = 0
        self.version = 0
        threading.Thread(target=self._read, daemon=True).start()
        self.request("initialize", {"processId": None, "rootUri": workspace.as_uri(), "capabilities": {
            "textDocument": {"completion": {"completionItem": {"documentationFormat": ["markdown", "plaintext"]}}},
            "workspace": {"configuration": True}}})
        self.notify("initialized", {})
        self.notify("workspace/didChangeConfiguration", {"settings": {"yaml": self.settings()}})

    @staticmethod
    def settings() -> dict:
        return {"validate": True, "completion": True, "hover": True, "schemaStore": {"enable": False}}

    # ------------------------------------------------------------------ JSON-RPC over stdio
    def _read(self) -> None:
        out = self.proc.stdout
        while True:
            length = 0
            while (line := out.readline()) not in (b"\r\n", b""):
                if line.lower().startswith(b"content-length:"):
                    length = int(line.split(b":")[1])
            if not line:
                return
            self.inbox.put(json.loads(out.read(length)))

    def _send(self, message: dict) -> None:
        body = json.dumps({"jsonrpc": "2.0", **message}).encode()
        self.proc.stdin.write(b"Content-Length: %d\r\n\r\n" % len(body) + body)
        self.proc.stdin.flush()

    def notify(self, method: str, params: dict) -> None:
        self._send({"method": method, "params": params})

    def request(self, method: str, params: dict):
        self.next_id += 1
        self._send({"id": self.next_id, "method": method, "params": params})
        return self._wait(lambda m: m.get("id") == self.next_id and "method" not in m)["result"]

    def _wait(self, wanted):
        while True:
            message = self.inbox.get(timeout=TIMEOUT)
            if "method" in message and "id" in message:  # the server asks for its settings
                count = len(message.get("params", {}).get("items", [None]))
                self._send({"id": message["id"], "result": [self.settings()] * count})
            elif wanted(message):
                return message

    # ------------------------------------------------------------------ what an editor shows
    def diagnostics(self, path: Path, text: str) -> list[dict]:
        """Open (or change) the document and return the diagnostics published for this version."""
        uri = path.as_uri()
        self.version += 1
        if self.version == 1 or getattr(self, "_open", None) != uri:
            if getattr(self, "_open", None):
                self.notify("textDocument/didClose", {"textDocument": {"uri": self._open}})
            self.notify("textDocument/didOpen", {"textDocument": {
                "uri": uri, "languageId": "yaml", "version": self.version, "text": text}})
            self._open = uri
        else:
            self.notify("textDocument/didChange", {"textDocument": {"uri": uri, "version": self.version},
                                                   "contentChanges": [{"text": text}]})
        return self._wait(lambda m: m.get("method") == "textDocument/publishDiagnostics"
                          and m["params"]["uri"] == uri
                          and m["params"].get("version", self.version) == self.version)["params"]["diagnostics"]

    def completions(self, path: Path, line: int, character: int) -> list[dict]:
        """Completions at a 0-based position of the document last opened with diagnostics()."""
        result = self.request("textDocument/completion", {
            "textDocument": {"uri": path.as_uri()}, "position": {"line": line, "character": character}})
        return result["items"] if isinstance(result, dict) else (result or [])

    def hover(self, path: Path, line: int, character: int) -> str:
        """The hover text at a 0-based position of the document last opened with diagnostics()."""
        result = self.request("textDocument/hover", {
            "textDocument": {"uri": path.as_uri()}, "position": {"line": line, "character": character}})
        return (result or {}).get("contents", {}).get("value", "")

    def close(self) -> None:
        try:
            self.request("shutdown", None)
            self.notify("exit", None)
            self.proc.wait(timeout=10)
        except Exception:
            self.proc.kill()
