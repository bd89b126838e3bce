import time
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from campaign.services.backup import BackupError, restore


class Command(BaseCommand):
    help = ("从 backup 生成的目录恢复数据库和台账文件：先核对签名、SHA-256 和媒体包，再在一个事务中恢复数据库并核对"
            "行数，最后放入文件。任何一项不符都不改动现有数据。")

    def add_arguments(self, parser):
        parser.add_argument("folder", help="backup 命令生成的 cwt-backup-… 目录")
        parser.add_argument("--yes", action="store_true", help="确认覆盖当前数据库中的数据")

    def handle(self, *args, folder, yes, **options):
        if not yes:
            raise CommandError("恢复会覆盖当前数据库和台账文件；确认无误后加 --yes 再运行。")
        started = time.monotonic()
        try:
            manifest = restore(Path(folder))
        except BackupError as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write(self.style.SUCCESS(
            f"恢复完成并已核对：{len(manifest['tables'])} 张表、{len(manifest['media'])} 个文件与备份一致"
            f"（数据截至 {manifest['snapshot_at']}，用时 {time.monotonic() - started:.1f} 秒）。"))
