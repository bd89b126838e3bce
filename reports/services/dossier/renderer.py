"""HTML → PDF in separate processes, for building dossiers in parts.

WeasyPrint is single-threaded and keeps a whole document in memory while laying it out, so a
large dossier is cut into parts (a few dozen pages each) and the parts go to a small pool of
long-lived child processes (``python -m reports.services.dossier.renderer``). That uses every core, keeps
each process's memory bounded by the size of a part rather than the size of the dossier, and
pays WeasyPrint's start-up (~0.6 s) once per child, not once per part.

This module must not import Django: the children run it without settings.
"""

from __future__ import annotations

import json
import os
import queue
import resource
import subprocess
import sys
import threading
import traceback
from dataclasses import dataclass, field
from pathlib import Path


@dataclass
class PartJob:
    """One HTML file to turn into one PDF file."""

    html: str
    pdf: str
    variant: str | None = "pdf/a-2b"
    result: dict = field(default_factory=dict)


class RenderError(RuntimeError):
    pass


def render_one(html: str, pdf: str, variant: str | None) -> dict:
    """Render in this process; returns the page count, the anchors found on each page (so the
    caller can tell where each section starts) and this process's peak RSS."""
    from weasyprint import HTML

    document = HTML(filename=html, base_url=str(Path(html).parent)).render()
    anchors = [sorted(page.anchors) for page in document.pages]
    tmp = f"{pdf}.tmp"
    document.write_pdf(tmp, pdf_variant=variant, uncompressed_pdf=False)
    os.replace(tmp, pdf)
    return {"pages": len(document.pages), "anchors": anchors, "maxrss_kb": _maxrss_kb()}


def _maxrss_kb() -> int:
    """Peak RSS of this process. VmHWM, not ru_maxrss: ru_maxrss survives exec and so reports the
    parent's size at fork time when that was larger."""
    try:
        with open("/proc/self/status") as fh:
            for line in fh:
                if line.startswith("VmHWM:"):
                    return int(line.split()[1])
    except OSError:
        pass
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss


def child_main() -> None:
    """Loop of a child process: one JSON job per line on stdin, one JSON answer per line."""
    for line in sys.stdin:
        job = json.loads(line)
        try:
            answer = {"ok": True, **render_one(job["html"], job["pdf"], job.get("variant"))}
        except Exception:  # the parent turns this into a failed run with the traceback logged
            answer = {"ok": False, "error": traceback.format_exc()}
        sys.stdout.write(json.dumps(answer) + "\n")
        sys.stdout.flush()


class RendererPool:
    """A few child renderers fed from one queue. Use as a context manager; ``run(jobs)`` returns
    when every job is done and raises RenderError on the first failure."""

    # A child whose peak passed this after a job is replaced by a fresh one before the next job:
    # WeasyPrint's memory only grows over a process's life, and a fresh child (~0.5 s to start)
    # keeps the build's peak to that of its largest single part.
    RECYCLE_KB = 200 * 1024

    def __init__(self, processes: int, cwd: str):
        self.processes = max(1, processes)
        self.cwd = cwd
        self.children: list[subprocess.Popen] = []
        self.child_kb: list[int] = []  # each child's peak so far
        self.peak_child_kb = 0

    def __enter__(self):
        self.children = [self._spawn() for _ in range(self.processes)]
        self.child_kb = [0] * self.processes
        return self

    def _spawn(self) -> subprocess.Popen:
        env = {**os.environ, "PYTHONUNBUFFERED": "1"}
        return subprocess.Popen(
            [sys.executable, "-m", "reports.services.dossier.renderer"], cwd=self.cwd, env=env,
            stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True, bufsize=1,
        )

    @staticmethod
    def _stop(child: subprocess.Popen) -> None:
        if child.stdin:
            child.stdin.close()
        try:
            child.wait(timeout=30)
        except subprocess.TimeoutExpired:
            child.kill()
            child.wait()

    def __exit__(self, *exc):
        for child in self.children:
            self._stop(child)
        self.children.clear()
        return False

    def run(self, jobs: list[PartJob], on_done=None) -> list[PartJob]:
        """Render every job; ``on_done(job)`` is called in the calling thread (it may use the
        database) as each part finishes."""
        todo: queue.Queue[PartJob] = queue.Queue()
        for job in jobs:
            todo.put(job)
        done: queue.Queue[tuple[PartJob | None, str]] = queue.Queue()
        stop = threading.Event()

        def drive(slot: int):
            while not stop.is_set():
                child = self.children[slot]
                try:
                    job = todo.get_nowait()
                except queue.Empty:
                    return
                if self.child_kb[slot] > self.RECYCLE_KB:
                    self._stop(child)
                    child = self.children[slot] = self._spawn()
                    self.child_kb[slot] = 0
                try:
                    child.stdin.write(json.dumps({"html": job.html, "pdf": job.pdf, "variant": job.variant}) + "\n")
                    line = child.stdout.readline()
                except OSError:
                    line = ""
                if not line:
                    done.put((None, "排版进程意外退出"))
                    return
                answer = json.loads(line)
                if not answer["ok"]:
                    done.put((None, answer["error"]))
                    return
                job.result = answer
                self.child_kb[slot] = answer["maxrss_kb"]
                done.put((job, ""))

        threads = [threading.Thread(target=drive, args=(n,), daemon=True) for n in range(len(self.children))]
        for t in threads:
            t.start()
        try:
            for _ in jobs:
                job, error = done.get()
                if job is None:
                    raise RenderError(error)
                self.peak_child_kb = max(self.peak_child_kb, job.result["maxrss_kb"])
                if on_done:
                    on_done(job)
        finally:
            stop.set()
            for t in threads:
                t.join()
        return jobs


if __name__ == "__main__":
    child_main()
