from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from campaign.backup import BackupError, backup


class Command(BaseCommand):
    help = "备份数据库和台账文件到指定目录（含 SHA-256 清单）。"

    def add_arguments(self, parser):
        parser.add_argument("target", nargs="?", default="var/backups", help="备份存放目录（默认 var/backups）")

    def handle(self, *args, target, **options):
        try:
            folder = backup(Path(target))
        except BackupError as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write(self.style.SUCCESS(f"备份完成：{folder}"))
