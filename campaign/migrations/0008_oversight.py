import django.db.models.deletion
import django.utils.timezone
from django.conf import settings
from django.db import migrations, models
from django.utils import timezone


def memberships_to_oversight(apps, schema_editor):
    """Before this model a leader's 任职 in a unit stood for their 分管 of it: keep what was meant."""
    Membership = apps.get_model("campaign", "Membership")
    Oversight = apps.get_model("campaign", "Oversight")
    today = timezone.localdate()
    Oversight.objects.bulk_create([
        Oversight(leader_id=m.user_id, unit_id=m.unit_id, start=today, note="由原领导任职转入")
        for m in Membership.objects.filter(role="leader")
    ], ignore_conflicts=True)


class Migration(migrations.Migration):

    dependencies = [
        ('campaign', '0007_outbox_job_runs_and_slots'),
    ]

    operations = [
        migrations.CreateModel(
            name='Oversight',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('start', models.DateField(default=django.utils.timezone.localdate, verbose_name='起始日期')),
                ('end', models.DateField(blank=True, help_text='留空表示长期有效', null=True, verbose_name='截止日期')),
                ('note', models.CharField(blank=True, max_length=200, verbose_name='备注')),
                ('leader', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='oversights', to=settings.AUTH_USER_MODEL, verbose_name='分管领导')),
                ('unit', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='oversights', to='campaign.orgunit', verbose_name='分管单位')),
            ],
            options={
                'verbose_name': '分管关系',
                'verbose_name_plural': '分管关系',
                'ordering': ['leader__username', 'unit__path', '-start'],
                'indexes': [models.Index(fields=['leader', 'start'], name='campaign_ov_leader__8112bb_idx')],
                'constraints': [models.UniqueConstraint(fields=('leader', 'unit', 'start'), name='oversight_unique_start'), models.CheckConstraint(condition=models.Q(('end__isnull', True), ('end__gte', models.F('start')), _connector='OR'), name='oversight_end_after_start')],
            },
        ),
        migrations.RunPython(memberships_to_oversight, migrations.RunPython.noop),
    ]
