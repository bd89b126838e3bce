"""The city-scale targets and the table ``scripts/bench.sh`` prints: figure | measured | target | met?

A figure that was not measured (a step skipped or failed) is listed as such, never left out.
"""

from __future__ import annotations

from dataclasses import dataclass

LATENCY_P95_MS = 50
LIST_RPS = 150
CHASE_S = 5
MONTHLY_S = 30
DOSSIER_MS_PER_PHOTO = 40
DOSSIER_SPEEDUP = 3
DOSSIER_RSS_MB = 500
DOSSIER_BYTES_RATIO = 1 / 3
RENDITION_MS = 60
IMPORT_PREVIEW_S = 5
IMPORT_CONFIRM_S = 10
IMPORT_RSS_MB = 300
SITES_IMPORT_S = 20

VIEW_LABELS = {"tasks.default": "任务列表·默认", "tasks.state_light": "任务列表·状态+亮灯",
               "tasks.unit": "任务列表·单位", "tasks.search": "任务列表·搜索", "dashboard": "领导驾驶舱"}


@dataclass
class Row:
    figure: str
    measured: str
    target: str
    met: bool | None  # None: no target (context figure) or not measured

    @property
    def verdict(self) -> str:
        return {True: "是", False: "否", None: "—"}[self.met]

    def as_dict(self) -> dict:
        return {"figure": self.figure, "measured": self.measured, "target": self.target, "met": self.met}


def rows(results: dict) -> list[Row]:
    out: list[Row] = []
    out += _latency_rows(results.get("latency"))
    out += _load_rows(results.get("load"))
    out += _job_rows(results.get("jobs"))
    out += _dossier_rows(results.get("dossier"))
    out += _import_rows(results.get("imports"))
    return out


def _missing(label: str, step: dict | None, target: str) -> Row:
    reason = (step or {}).get("error", "未运行")
    return Row(label, f"未测得（{reason}）", target, None if step is None else False)


def _latency_rows(latency: dict | None) -> list[Row]:
    if not latency or "error" in latency:
        return [_missing("列表/驾驶舱服务器时间 p95", latency, f"≤ {LATENCY_P95_MS} ms")]
    out = []
    for view, label in VIEW_LABELS.items():
        for persona, f in latency.get(view, {}).items():
            name = f"{label} · {persona}"
            if f["status"] == 403:
                out.append(Row(f"{name} p95", "403（该角色按设计无权访问）", f"≤ {LATENCY_P95_MS} ms", None))
                continue
            ok = f["status"] == 200 and f["p95_ms"] <= LATENCY_P95_MS
            cpu = f"；本进程 CPU {f['cpu_p50_ms']} ms" if "cpu_p50_ms" in f else ""
            out.append(Row(f"{name} p95 (p50)", f"{f['p95_ms']} ms ({f['p50_ms']} ms{cpu})", f"≤ {LATENCY_P95_MS} ms", ok))
            out.append(Row(f"{name} SQL 条数/请求", str(f["queries"]), "恒定", f["queries_constant"]))
    constancy = latency.get("query_constancy")
    if constancy:
        counts = ", ".join(f"{k} {v}" for k, v in constancy["counts"].items())
        out.append(Row("任务列表 SQL 条数（创文办、联络员、区创文办；每页 20/50/100 条、第 2 页）", counts, "恒定",
                       constancy["constant"]))
    return out


def _load_rows(load: dict | None) -> list[Row]:
    if not load or "error" in load:
        return [_missing("任务列表吞吐（32 并发）", load, f"≥ {LIST_RPS} 请求/秒，0 错误")]
    t, n = load["tasks"], load["naive"]
    return [
        Row("任务列表吞吐（gunicorn, wrk -c 32）", f"{t['rps']} 请求/秒", f"≥ {LIST_RPS} 请求/秒", t["rps"] >= LIST_RPS),
        Row("任务列表错误数（非 200 + 套接字错误）", f"{t['errors']} / {t['requests']}", "0", t["errors"] == 0),
        Row("朴素基线吞吐（精确 COUNT(*)，无登录）", f"{n['rps']} 请求/秒（错误 {n['errors']}）", "—", None),
        Row("任务列表 / 朴素基线", f"{load['ratio']}×", "—", None),
        *([Row("最简单的登录后页面（个人资料）吞吐", f"{load['profile']['rps']} 请求/秒（错误 {load['profile']['errors']}）",
               "—", None)] if "profile" in load else []),
        Row("持久数据库连接（CONN_MAX_AGE；压测中新建连接数）",
            f"CONN_MAX_AGE={load['conn_max_age']}；{t['db_sessions_opened']} 个（{t['requests']} 个请求）",
            "持久连接", bool(load["conn_max_age"]) and t["db_sessions_opened"] <= 4 * load["workers"]),
    ]


def _job_rows(jobs: dict | None) -> list[Row]:
    jobs = jobs or {}
    out = []
    chase = jobs.get("chase")
    if chase and "error" not in chase:
        out.append(Row(f"督办阶梯（{chase['open_tasks']} 件在办，发出 {chase['notices_made']} 份）",
                       f"{chase['seconds']} 秒（日常重跑 {chase['daily_rerun_s']} 秒）", f"≤ {CHASE_S} 秒",
                       chase["seconds"] <= CHASE_S))
    else:
        out.append(_missing("督办阶梯（10 万件在办）", chase, f"≤ {CHASE_S} 秒"))
    monthly = jobs.get("monthly")
    if monthly and "seconds" in monthly:
        ok = monthly.get("status") == "succeeded" and monthly["pdf_bytes"] > 0 and monthly["docx_bytes"] > 0
        out.append(Row("全市月报（PDF + Word）", f"{monthly['seconds']} 秒（{monthly['status']}）", f"≤ {MONTHLY_S} 秒",
                       ok and monthly["seconds"] <= MONTHLY_S))
    else:
        out.append(_missing("全市月报（PDF + Word）", monthly, f"≤ {MONTHLY_S} 秒"))
    return out


def _dossier_rows(dossier: dict | None) -> list[Row]:
    if not dossier or "error" in dossier:
        return [_missing("卷宗（500 张照片 + 20 份 PDF）", dossier, f"≤ {DOSSIER_MS_PER_PHOTO * 500 // 1000} 秒")]
    big = dossier["runs"][dossier["largest"]]
    small = dossier["runs"][dossier["smallest"]]
    n = big["photos"]
    out = [
        Row(f"卷宗 {n} 张照片 + {big['pdfs']} 份 PDF 总耗时", f"{big['dossier_s']} 秒（{big['dossier_ms_per_photo']} 毫秒/张）",
            f"≤ {DOSSIER_MS_PER_PHOTO * n / 1000:g} 秒（{DOSSIER_MS_PER_PHOTO} 毫秒/张）",
            big["dossier_ms_per_photo"] <= DOSSIER_MS_PER_PHOTO),
    ]
    if "naive_s" in big:
        out.append(Row("对比朴素 WeasyPrint 单文档渲染", f"快 {big['speedup_vs_naive']}×（朴素 {big['naive_s']} 秒，"
                       f"{big['naive_peak_rss_mb']} MB）", f"≥ {DOSSIER_SPEEDUP}×", big["speedup_vs_naive"] >= DOSSIER_SPEEDUP))
    out.append(Row("对比 img2pdf（下限）", f"{big['img2pdf_s']} 秒（卷宗耗时为其 {big['slowdown_vs_img2pdf']} 倍）", "—", None))
    for f in (small, big):
        out.append(Row(f"卷宗峰值内存（{f['photos']} 张；构建进程 + {f['render_processes']} 个渲染进程）",
                       f"{f['dossier_peak_rss_sum_mb']} MB（构建 {f['dossier_peak_rss_mb']} MB，渲染 {f['renderer_peak_rss_mb']} MB/个）",
                       f"≤ {DOSSIER_RSS_MB} MB", f["dossier_peak_rss_sum_mb"] <= DOSSIER_RSS_MB))
    out.append(Row("照片页字节 / 原图字节", f"{big['dossier_bytes_per_photo_page_ratio']}"
                   f"（{big['dossier_bytes_per_photo_page']} / {big['original_bytes_per_photo']}）", "≤ 1/3",
                   big["dossier_bytes_per_photo_page_ratio"] <= DOSSIER_BYTES_RATIO))
    worst = max(f["rendition_ms_per_photo"] for f in (small, big))
    out.append(Row("打印版（1200 万像素，每张）", f"{worst} 毫秒（{small['photos']} 张 {small['rendition_ms_per_photo']}，"
                   f"{n} 张 {big['rendition_ms_per_photo']}）", f"≤ {RENDITION_MS} 毫秒", worst <= RENDITION_MS))
    return out


def _import_rows(imports: dict | None) -> list[Row]:
    imports = imports or {}
    out = []
    framework = imports.get("framework")
    if framework and "error" not in framework:
        n = framework["rows"]
        out += [
            Row(f"目标任务分解表 {n} 行：上传、读取并预览", f"{framework['upload_preview_s']} 秒"
                f"（上传 {framework.get('upload_s')}，预览 {framework.get('preview_s')}；"
                f"工作进程 CPU {framework.get('upload_preview_cpu_s')} 秒）", f"≤ {IMPORT_PREVIEW_S} 秒",
                framework["upload_preview_s"] <= IMPORT_PREVIEW_S),
            Row(f"目标任务分解表 {n} 行：确认导入", f"{framework['confirm_s']} 秒"
                f"（工作进程 CPU {framework.get('confirm_cpu_s')} 秒）", f"≤ {IMPORT_CONFIRM_S} 秒",
                framework["confirm_s"] <= IMPORT_CONFIRM_S),
            Row("导入工作进程峰值内存（ru_maxrss）", f"{framework['peak_rss_mb']} MB", f"≤ {IMPORT_RSS_MB} MB",
                framework["peak_rss_mb"] <= IMPORT_RSS_MB),
        ]
    else:
        out.append(_missing("目标任务分解表 2000 行导入", framework, f"预览 ≤ {IMPORT_PREVIEW_S} 秒，确认 ≤ {IMPORT_CONFIRM_S} 秒"))
    sites = imports.get("sites")
    if sites and "error" not in sites:
        out.append(Row(f"点位清单 {sites['rows']} 行：上传、预览并确认",
                       f"{sites['total_s']} 秒（上传 {sites.get('upload_s')}，预览 {sites.get('preview_s')}，"
                       f"确认 {sites['confirm_s']}；工作进程 CPU "
                       f"{round(sites.get('upload_preview_cpu_s', 0) + sites.get('confirm_cpu_s', 0), 2)} 秒；"
                       f"峰值内存 {sites['peak_rss_mb']} MB）", f"≤ {SITES_IMPORT_S} 秒", sites["total_s"] <= SITES_IMPORT_S))
    else:
        out.append(_missing("点位清单 20000 行导入", sites, f"≤ {SITES_IMPORT_S} 秒"))
    return out


def render(table: list[Row]) -> str:
    lines = ["| 指标 | 实测 | 目标 | 达标 |", "|---|---|---|---|"]
    lines += [f"| {r.figure} | {r.measured} | {r.target} | {r.verdict} |" for r in table]
    met = sum(1 for r in table if r.met is True)
    missed = sum(1 for r in table if r.met is False)
    lines.append(f"\n达标 {met} 项，未达标 {missed} 项，无目标或按设计不适用 {sum(1 for r in table if r.met is None)} 项。")
    return "\n".join(lines)
