import json
import time
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from campaign.services.backup import MANIFEST, BackupError, backup


class Command(BaseCommand):
    help = "备份数据库和台账文件到指定目录：同一时间点的数据库转储、所引用的文件和签名的 SHA-256 清单。"

    def add_arguments(self, parser):
        parser.add_argument("target", nargs="?", default="var/backups", help="备份存放目录（默认 var/backups）")

    def handle(self, *args, target, **options):
        started = time.monotonic()
        try:
            folder = backup(Path(target))
        except BackupError as exc:
            raise CommandError(str(exc)) from exc
        manifest = json.loads((folder / MANIFEST).read_text(encoding="utf-8"))
        self.stdout.write(self.style.SUCCESS(
            f"备份完成：{folder}（数据截至 {manifest['snapshot_at']}，{len(manifest['tables'])} 张表、"
            f"{len(manifest['media'])} 个文件，用时 {time.monotonic() - started:.1f} 秒）"))
        if manifest["missing"]:
            self.stderr.write(self.style.WARNING(
                f"注意：数据库记录引用的 {len(manifest['missing'])} 个文件在磁盘上不存在，未能备份（清单 missing 项）："
                f"{', '.join(manifest['missing'][:10])}"))
