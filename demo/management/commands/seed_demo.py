"""Build the demo city. Lives in the top app because it seeds every layer below it.

Each app contributes one step ``seed(ctx)`` in its ``demo`` module; STEPS runs them in
dependency order. Every step is idempotent: it looks for its own rows before creating them.
"""

import time
from types import SimpleNamespace

from django.core.management.base import BaseCommand, CommandError

from campaign.models import OrgUnit
from demo import archives as archives_demo
from demo import campaign as campaign_demo
from demo import inspections as inspections_demo
from demo import reports as metrics_demo
from demo import tasks as tasks_demo
from demo.campaign import reference as demo_reference

STEPS = [
    ("单位与人员", lambda ctx: campaign_demo.seed_org(scale=ctx.scale)),
    ("测评体系、点位与责任分工", demo_reference.seed),
    ("台账资料", archives_demo.seed),
    ("整改任务与督办文书", tasks_demo.seed),
    ("检查表与检查轮次", inspections_demo.seed),
    ("统计快照与定期简报", metrics_demo.seed),  # keep last (it reads every layer)
]


class Command(BaseCommand):
    help = "生成演示城市（单位、人员、角色、测评体系、点位、任务等），可重复运行；--scale N 按倍数放大。"

    def add_arguments(self, parser):
        parser.add_argument("--scale", type=int, default=1, help="规模倍数（默认 1）")
        parser.add_argument("--if-empty", action="store_true", help="仅当数据库中还没有单位时才生成")
        parser.add_argument("--accounts", action="store_true", help="只打印演示账号")

    def handle(self, *args, scale, if_empty, accounts, **options):
        if accounts:
            self.print_accounts()
            return
        if scale < 1:
            raise CommandError("--scale 必须是正整数。")
        if if_empty and OrgUnit.objects.exists():
            self.stdout.write("数据库已有数据，跳过演示数据生成。")
            return
        self.stdout.write(f"正在生成演示城市（规模 ×{scale}）…")
        ctx = SimpleNamespace(scale=scale, stdout=self.stdout)
        for label, step in STEPS:
            started = time.monotonic()
            step(ctx)
            self.stdout.write(f"  ✓ {label}（{time.monotonic() - started:.1f} 秒）")
        self.stdout.write(self.style.SUCCESS("演示数据已就绪。"))
        self.print_accounts()

    def print_accounts(self):
        self.stdout.write("演示账号（密码相同）：")
        for username, who, password in campaign_demo.account_rows():
            self.stdout.write(f"  {username:<10} {password:<10} {who}")
