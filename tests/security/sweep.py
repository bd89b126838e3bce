"""The request engine of the URL sweep: one in-process request at a time, each inside a savepoint
that is rolled back (the world stays the same for every persona), with what it wrote measured.

"What it wrote" is read from PostgreSQL's per-transaction counters (pg_stat_xact_user_tables:
rows inserted, updated and deleted per table), so a forbidden request that changed even one field
of one row is caught, not only one that changed a row count. Files are compared under MEDIA_ROOT.
"""

from __future__ import annotations

import time
import uuid
from dataclasses import dataclass, field
from http.cookies import SimpleCookie
from itertools import product

from django.conf import settings
from django.db import transaction
from django.urls import reverse

from . import params
from .probe import media_files, response_text, write_counters
from .urlmap import CHOICES, PREFER, PUBLIC, RELATIONS, ROUTES, TOKEN, TYPES, Route

DENIED = {403, 404, 405}
# Who fuzzes a page's parameters: the first of these whom the page serves.
FUZZ_PERSONAS = ("office", "inspector", "archivist_a", "liaison_a", "head_a", "leader", "assessor")
NO_SUCH_ID = 2_147_483_000

# Junk a careless view might choke on: impossible dates and numbers, lists where one value is
# expected, markup, a foreign redirect target, huge text. (NUL characters are refused by
# campaign.views.middleware before any view runs: see test_hardening.py.)
GARBAGE = {
    "note": "<script>alert(1)</script>", "name": "名称'\"", "title": "x" * 5000, "q": "'\"<>%_\\",
    "ids": ["1", "x", "-5", "99999999999999999999"], "unit": "abc", "indicators": ["x", "0", "-1"],
    "page": "-1", "next": "https://evil.example/", "date": "2026-13-45", "due_date": "not-a-date",
    "start_date": "0000-00-00", "status": "bogus", "token": "nope", "kind": "zzz", "year": "99999999999",
    "site": "1e9", "assignee": "-1", "answers": "{", "file": "notafile", "latitude": "NaN", "longitude": "inf",
    "points": "1e400", "framework": "🙂", "target": "empty", "size": "huge", "fmt": "exe",
    "line": "99999999999999999999", "lat": "91", "lon": "-181", "visit_note": "<b>x</b>", "action": "approve",
    "scope": "../../", "period": "9999-99", "replaces": "../../etc/passwd", "reason": "x", "back": "//evil.example",
    "category": "不存在的类别", "new_unit": "0", "review_date": "2026-02-30", "proposed_date": "1900-01-01",
}
# Form fields and query parameters that name objects, and the type they name ("ids" depends on the app).
FOREIGN_FIELDS = {
    "unit": "unit", "lead_unit": "unit", "new_unit": "unit", "street": "unit", "district": "unit",
    "districts": "unit", "units": "unit", "assisting_units": "unit", "responsible_units": "unit",
    "site": "site", "sites": "site", "task": "task", "tasks": "task", "round": "round", "visit": "visit",
    "evidence": "evidence", "photos": "evidence",
    "ids": {"archives": "evidence", "tasks": "task", "reports": "task", "inspections": "finding"},
}
# Routes that write whatever the form says (the user's own inbox, a snapshot refresh, axes' login log).
WRITES_ANYWAY = {"campaign:inbox_read_all", "login", "logout", "reports:dashboard_refresh"}
QUERY = {"q": "'<%_\\", "page": "999999", "unit": "x", "state": "bogus", "date_from": "2026-02-30",
         "date_to": "x", "sort": "-password", "light": "purple", "year": "-1", "show": "errors", "ids": "1,x,,"}


@dataclass
class Outcome:
    persona: str
    method: str
    url: str
    status: int
    error: str = ""
    wrote: dict = field(default_factory=dict)
    new_files: list = field(default_factory=list)
    location: str = ""
    leaked: list = field(default_factory=list)

    def __str__(self):
        text = f"{self.persona:<12} {self.method:<4} {self.url} → {self.status}"
        if self.location:
            text += f" → {self.location}"
        if self.error:
            text += f"  {self.error}"
        if self.wrote:
            text += f"  写入了 {self.wrote}"
        if self.new_files:
            text += f"  留下文件 {self.new_files[:3]}"
        if self.leaked:
            text += f"  页面含有无权查看的内容 {self.leaked}"
        return text


class Sweeper:
    """Requests as personas; remembers every outcome for the report."""

    def __init__(self, world, clients: dict, users: dict):
        self.world, self.clients, self.users = world, clients, users
        self.cookies = {name: c.cookies[settings.SESSION_COOKIE_NAME].value
                        for name, c in clients.items() if settings.SESSION_COOKIE_NAME in c.cookies}
        self.count = 0
        self.seconds = 0.0
        self.statuses: dict[int, int] = {}
        self.phase = "other"
        self.phases: dict[str, list] = {}  # phase → [requests, seconds]
        self.routes: dict[str, float] = {}  # route name → seconds
        self._memo: dict = {}  # the objects picked per persona and type (the world never changes)

    # --- one request -------------------------------------------------------------------------

    def request(self, persona: str, method: str, url: str, data=None, *, watch: bool = False, **headers) -> Outcome:
        """One request in a rolled-back savepoint. ``watch``: also record the rows it wrote and
        the files it left (for requests that must change nothing)."""
        client = self.clients[persona]
        started = time.perf_counter()
        files_before = media_files(self.world.media_root) if watch else set()
        outcome = Outcome(persona, method.upper(), url, 0)
        with transaction.atomic():
            before = write_counters() if watch else {}
            try:
                call = client.get if method == "get" else client.post
                response = call(url, data or {}, headers=headers or None)
                outcome.status = response.status_code
                outcome.location = response.get("Location", "") if outcome.status in (301, 302, 303) else ""
                if response.streaming:
                    # Consuming the stream closes the file (the client wraps close() so that it does
                    # not also close the database connection, which calling it directly would).
                    body = b"".join(response.streaming_content)
                else:
                    body = response.content
                text = response_text(body)
                outcome.leaked = [mark for mark in self.hidden(persona) if mark in text]
            except Exception as exc:  # the test client re-raises what the view raised: that is a 500
                outcome.status, outcome.error = 500, f"{type(exc).__name__}: {str(exc)[:300]}"
            if watch and not outcome.error:
                after = write_counters()
                outcome.wrote = {t: n - before.get(t, 0) for t, n in after.items() if n != before.get(t, 0)}
            transaction.set_rollback(True)
        if watch:
            outcome.new_files = sorted(media_files(self.world.media_root) - files_before)
        self._reset_cookies(persona)
        spent = time.perf_counter() - started
        self.count += 1
        self.seconds += spent
        tally = self.phases.setdefault(self.phase, [0, 0.0])
        tally[0] += 1
        tally[1] += spent
        self.statuses[outcome.status] = self.statuses.get(outcome.status, 0) + 1
        return outcome

    def hidden(self, persona: str) -> list[str]:
        """The marker texts of the objects this persona may not reach (world.markers)."""
        key = ("hidden", persona)
        if key not in self._memo:
            user = self.users.get(persona)
            self._memo[key] = [
                text for text, carriers in self.world.markers
                if user is None or not any(TYPES[kind].visible(user).filter(pk=obj.pk).exists()
                                           for kind, obj in carriers)
            ]
        return self._memo[key]

    def _reset_cookies(self, persona: str) -> None:
        """Every request starts from the persona's signed-in session (no leftover messages, and a
        rolled-back logout does not sign the persona out)."""
        jar = SimpleCookie()
        if persona in self.cookies:
            jar[settings.SESSION_COOKIE_NAME] = self.cookies[persona]
        self.clients[persona].cookies = jar

    # --- arguments ---------------------------------------------------------------------------

    def own_kwargs(self, route: Route, persona: str) -> list[dict]:
        """Argument sets naming objects the persona may reach (any object when it may reach none),
        one set per accepted value of each choice argument."""
        user = self.users.get(persona)
        mapping = ROUTES.get(route.name, {})
        bound, objects, choices = {}, {}, {}
        for kwarg, kind in mapping.items():
            if kwarg in route.defaults:
                continue
            if kind in CHOICES:
                choices[kwarg] = CHOICES[kind]
            elif kind == TOKEN:
                bound[kwarg] = self.world.tokens.get(persona) or str(uuid.uuid4())
            else:
                obj = self._own_object(kind, user, objects)
                objects[kind] = obj
                bound[kwarg] = obj.pk
        sets = []
        for values in product(*choices.values()):
            sets.append({**bound, **dict(zip(choices, values, strict=True))})
        return sets

    def _own_object(self, kind: str, user, objects: dict):
        parent = None
        if kind in RELATIONS and RELATIONS[kind][0] in objects:
            parent = objects[RELATIONS[kind][0]]
        key = ("own", kind, getattr(user, "pk", None), getattr(parent, "pk", None))
        if key not in self._memo:
            otype = TYPES[kind]
            everything = otype.model.objects.all()
            visible = otype.visible(user) if user is not None else everything.none()
            if parent is not None:
                narrow = RELATIONS[kind][1]
                visible, everything = narrow(visible, parent), narrow(everything, parent)
            order = PREFER.get(kind, ("pk",))
            self._memo[key] = visible.order_by(*order).first() or everything.order_by(*order).first()
        return self._memo[key]

    def foreign_kwargs(self, route: Route, persona: str) -> list[tuple[str, dict]]:
        """For each scoped argument: the own set with that argument replaced by an object the
        persona may not reach (another unit's first, see world.preferred)."""
        mapping = ROUTES.get(route.name, {})
        base = self.own_kwargs(route, persona)[0]
        sets = []
        for kwarg, kind in mapping.items():
            if kind == TOKEN:
                other = next((t for p, t in self.world.tokens.items() if p != persona), None)
                if other:
                    sets.append((kwarg, {**base, kwarg: other}))
                continue
            if kind not in TYPES or not TYPES[kind].scoped:
                continue
            pk = self._foreign_pk(kind, persona)
            if pk is not None:
                sets.append((kwarg, {**base, kwarg: pk}))
        return sets

    def _foreign_pk(self, kind: str, persona: str):
        key = ("foreign", kind, persona)
        if key not in self._memo:
            otype = TYPES[kind]
            foreign = otype.model.objects.exclude(pk__in=otype.visible(self.users[persona]).values("pk"))
            preferred = [o.pk for o in self.world.preferred.get(kind, []) if foreign.filter(pk=o.pk).exists()]
            self._memo[key] = preferred[0] if preferred else foreign.order_by("pk").values_list("pk", flat=True).first()
        return self._memo[key]

    def missing_kwargs(self, route: Route) -> list[dict]:
        """Ids that exist nowhere and values no page accepts."""
        mapping = ROUTES.get(route.name, {})
        if not mapping:
            return []
        base = self.own_kwargs(route, "office")[0]
        sets = []
        for kwarg, kind in mapping.items():
            if kwarg in route.defaults:
                continue
            if kind in CHOICES:
                sets.append({**base, kwarg: "nonsense"})
            elif kind == TOKEN:
                sets.append({**base, kwarg: str(uuid.uuid4())})
            else:
                sets.append({**base, kwarg: NO_SUCH_ID})
        return sets

    def foreign_fields(self, route: Route, persona: str) -> dict:
        """Form fields and query parameters naming objects the persona may not reach."""
        values = {}
        for name, kind in FOREIGN_FIELDS.items():
            if isinstance(kind, dict):
                kind = kind.get(route.namespace)
            pk = self._foreign_pk(kind, persona) if kind and persona in self.users else None
            if pk is not None:
                values[name] = pk
        return values

    @staticmethod
    def url(route: Route, kwargs: dict) -> str:
        name = route.name
        return reverse(name, kwargs={k: v for k, v in kwargs.items() if k not in route.defaults})

    # --- the checks of one route -------------------------------------------------------------

    def check_route(self, route: Route, personas: list[str]) -> list[str]:
        started = time.perf_counter()
        problems = []
        self.phase = "anonymous"
        problems += self._check_anonymous(route)
        for persona in personas:
            self.phase = "own"
            problems += self._check_own(route, persona)
            self.phase = "foreign"
            problems += self._check_foreign(route, persona)
        self.phase = "missing"
        for kwargs in self.missing_kwargs(route):
            out = self.request("office", "get", self.url(route, kwargs))
            if out.status >= 500:
                problems.append(f"不存在的编号/取值导致 500：{out}")
        self.phase = "other"
        self.routes[route.name] = time.perf_counter() - started
        return problems

    def check_params(self, route: Route) -> list[str]:
        """Every parameter the page reads (recorded, see params.py), GET and POST, with hostile
        values: never a 5xx. Tried as the first persona the page serves."""
        started = time.perf_counter()
        self.phase = "params"
        problems = []
        for method in ("get", "post"):
            found = self._fuzz_target(route, method)
            if found is None:
                continue
            persona, url, names = found
            for values in params.all_at_once(names):
                with params.recording() as recorder:
                    out = self.request(persona, method, url, values)
                outcomes = [(values, out)]
                value = next(iter(values.values()))
                if not (out.status == 200 and set(names) <= set(recorder.names)):  # refused something early
                    outcomes += [(alone, self.request(persona, method, url, alone))
                                 for alone in params.each_alone(names, value)]
                problems += [f"参数 {sorted(sent)} = {_short(sent)} 导致服务器错误：{out}"
                             for sent, out in outcomes if out.status >= 500]
        self.routes[f"{route.name} (params)"] = time.perf_counter() - started
        self.phase = "other"
        return problems

    def _fuzz_target(self, route: Route, method: str):
        """(persona, url, names the view read) for the first persona the page serves, or None."""
        for persona in FUZZ_PERSONAS:
            url = self.url(route, self.own_kwargs(route, persona)[0])
            with params.recording() as recorder:
                out = self.request(persona, method, url, {})
            if out.status in (403, 404, 405) or (out.status == 302 and "/accounts/login/" in out.location):
                continue
            return (persona, url, recorder.names) if recorder.names else None
        return None

    def _check_anonymous(self, route: Route) -> list[str]:
        if route.name in PUBLIC:
            return []
        problems = []
        url = self.url(route, self.own_kwargs(route, "office")[0])
        login = reverse("login")
        for method in ("get", "post"):
            out = self.request("anonymous", method, url, GARBAGE if method == "post" else None, watch=True)
            redirected = out.status == 302 and out.location.startswith(login)
            if not (redirected or out.status in (404, 405)) or out.wrote or out.new_files or out.leaked:
                problems.append(f"未登录可访问（应跳转登录页）：{out}")
        return problems

    def _check_own(self, route: Route, persona: str) -> list[str]:
        """Ids the persona may reach: GET, then (unless the role is refused outright) POST with
        junk and other units' ids in the usual form fields. Pages without arguments are also read
        filtered by other units' ids, and a POST to them must write nothing unless the route
        always writes (WRITES_ANYWAY). Office (who reaches every page) also tries junk query
        strings and htmx requests. No answer may show what the persona may not reach."""
        problems = []
        foreign = self.foreign_fields(route, persona)
        listing = not ROUTES.get(route.name)
        for n, kwargs in enumerate(self.own_kwargs(route, persona)):
            url = self.url(route, kwargs)
            first = self.request(persona, "get", url)
            outcomes = [first]
            if first.status == 403 or n > 0:
                problems += self._own_problems(outcomes)
                continue
            # A page without arguments gets a form naming only other units' objects (junk would fail
            # validation before the scope is ever tested; office, who has no foreign ids, sends junk).
            watch = listing and bool(foreign) and route.name not in WRITES_ANYWAY
            body = {**foreign} if listing and foreign else {**GARBAGE, **foreign}
            post = self.request(persona, "post", url, {**body, "file": _upload()}, watch=watch)
            outcomes.append(post)
            if watch and (post.wrote or post.new_files):
                problems.append(f"用其他单位的编号提交表单却写入了数据：{post}")
            if listing and foreign and first.status == 200:
                outcomes.append(self.request(persona, "get", url, foreign))
            if persona == "office":
                outcomes.append(self.request(persona, "get", url, QUERY, **{"HX-Request": "true"}))
                outcomes.append(self.request(persona, "post", url, {}, **{"HX-Request": "true"}))
            problems += self._own_problems(outcomes)
        return problems

    @staticmethod
    def _own_problems(outcomes) -> list[str]:
        problems = [f"服务器错误：{out}" for out in outcomes if out.status >= 500]
        return problems + [f"泄露：{out}" for out in outcomes if out.leaked]

    def _check_foreign(self, route: Route, persona: str) -> list[str]:
        problems = []
        for kwarg, kwargs in self.foreign_kwargs(route, persona):
            url = self.url(route, kwargs)
            for method in ("get", "post"):
                out = self.request(persona, method, url, GARBAGE if method == "post" else None, watch=True)
                if out.status not in DENIED or out.wrote or out.new_files or out.leaked:
                    problems.append(f"越权（{kwarg} 属于其他单位/范围，应 404/403 且不写入）：{out}")
        return problems


def _short(values: dict) -> str:
    value = next(iter(values.values()), "")
    return repr(value)[:40]


def _upload():
    """A real little photo, for the forms that take a file (a fresh object per request)."""
    from .world import photo

    return photo("现场.jpg", (123, 45, 67))
