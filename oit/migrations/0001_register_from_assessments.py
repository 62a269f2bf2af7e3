"""The OIT register's models, moved here from assessments with their tables and rows as they were
(state only: each model keeps its table by db_table). Content types follow the models, so
permissions and the admin's log keep pointing at them, and a link check queued before the
upgrade runs under the task's new name."""


import django.db.models.deletion
import simple_history.models
from django.conf import settings
from django.db import migrations, models


MODELS = ("registeritem", "historicalregisteritem", "linkcheck")
OLD_TASK = "assessments.tasks.check_register"
NEW_TASK = "oit.tasks.check_register"


def _relabel(apps, old: str, new: str) -> None:
    ContentType = apps.get_model("contenttypes", "ContentType")
    for model in MODELS:
        if not ContentType.objects.filter(app_label=new, model=model).exists():
            ContentType.objects.filter(app_label=old, model=model).update(app_label=new)


def content_types_follow(apps, schema_editor):
    _relabel(apps, "assessments", "oit")


def content_types_return(apps, schema_editor):
    _relabel(apps, "oit", "assessments")


def _rename_tasks(apps, old: str, new: str) -> None:
    DBTaskResult = apps.get_model("django_tasks_database", "DBTaskResult")
    DBTaskResult.objects.filter(task_path=old).update(task_path=new)


def queued_checks_follow(apps, schema_editor):
    _rename_tasks(apps, OLD_TASK, NEW_TASK)


def queued_checks_return(apps, schema_editor):
    _rename_tasks(apps, NEW_TASK, OLD_TASK)


class Migration(migrations.Migration):

    initial = True

    dependencies = [
        ('assessments', '0013_register_moves_to_oit'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
        ('contenttypes', '0002_remove_content_type_name'),
        ('django_tasks_database', '__latest__'),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.CreateModel(
                    name='HistoricalRegisterItem',
                    fields=[
                        ('id', models.BigIntegerField(auto_created=True, blank=True, db_index=True, verbose_name='ID')),
                        ('urls', models.TextField(blank=True, verbose_name='ลิงก์ที่จะส่ง (บรรทัดละหนึ่งลิงก์)')),
                        ('responsible', models.CharField(blank=True, max_length=255, verbose_name='ผู้รับผิดชอบ')),
                        ('status', models.CharField(choices=[('missing', 'ยังไม่มี'), ('present', 'มีแล้ว'), ('checked', 'ตรวจแล้ว')], default='missing', max_length=16, verbose_name='สถานะ')),
                        ('note', models.CharField(blank=True, max_length=500, verbose_name='หมายเหตุ')),
                        ('version', models.PositiveIntegerField(default=1, editable=False)),
                        ('updated_at', models.DateTimeField(blank=True, editable=False)),
                        ('history_id', models.AutoField(primary_key=True, serialize=False)),
                        ('history_date', models.DateTimeField(db_index=True)),
                        ('history_change_reason', models.CharField(max_length=100, null=True)),
                        ('history_type', models.CharField(choices=[('+', 'Created'), ('~', 'Changed'), ('-', 'Deleted')], max_length=1)),
                        ('fiscal_year', models.ForeignKey(blank=True, db_constraint=False, null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to='assessments.fiscalyear')),
                        ('history_user', models.ForeignKey(null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL)),
                        ('organisation', models.ForeignKey(blank=True, db_constraint=False, null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to='assessments.organisation')),
                        ('question', models.ForeignKey(blank=True, db_constraint=False, null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to='assessments.question', verbose_name='รายการ')),
                        ('updated_by', models.ForeignKey(blank=True, db_constraint=False, null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to=settings.AUTH_USER_MODEL)),
                    ],
                    options={
                        'verbose_name': 'historical รายการในทะเบียน OIT',
                        'verbose_name_plural': 'historical ทะเบียน OIT',
                        'db_table': 'assessments_historicalregisteritem',
                        'ordering': ('-history_date', '-history_id'),
                        'get_latest_by': ('history_date', 'history_id'),
                    },
                    bases=(simple_history.models.HistoricalChanges, models.Model),
                ),
                migrations.CreateModel(
                    name='RegisterItem',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('urls', models.TextField(blank=True, verbose_name='ลิงก์ที่จะส่ง (บรรทัดละหนึ่งลิงก์)')),
                        ('responsible', models.CharField(blank=True, max_length=255, verbose_name='ผู้รับผิดชอบ')),
                        ('status', models.CharField(choices=[('missing', 'ยังไม่มี'), ('present', 'มีแล้ว'), ('checked', 'ตรวจแล้ว')], default='missing', max_length=16, verbose_name='สถานะ')),
                        ('note', models.CharField(blank=True, max_length=500, verbose_name='หมายเหตุ')),
                        ('carried_warning', models.CharField(blank=True, max_length=500, verbose_name='คำเตือนจากการคัดลอกปีก่อน')),
                        ('version', models.PositiveIntegerField(default=1, editable=False)),
                        ('updated_at', models.DateTimeField(auto_now=True)),
                        ('fiscal_year', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='+', to='assessments.fiscalyear')),
                        ('organisation', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='register_items', to='assessments.organisation')),
                        ('question', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='+', to='assessments.question', verbose_name='รายการ')),
                        ('updated_by', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL)),
                    ],
                    options={
                        'verbose_name': 'รายการในทะเบียน OIT',
                        'verbose_name_plural': 'ทะเบียน OIT',
                        'db_table': 'assessments_registeritem',
                    },
                ),
                migrations.CreateModel(
                    name='LinkCheck',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('url', models.URLField(max_length=2000)),
                        ('latest', models.BooleanField(default=True)),
                        ('checked_at', models.DateTimeField()),
                        ('verdict', models.CharField(choices=[('ok', '✔ ใช้ได้'), ('warn', '⚠ ควรตรวจ'), ('fail', '✖ ใช้ไม่ได้')], max_length=8, verbose_name='ผลการตรวจ')),
                        ('code', models.CharField(max_length=16)),
                        ('reason', models.CharField(max_length=255, verbose_name='เหตุผล')),
                        ('http_status', models.PositiveSmallIntegerField(blank=True, null=True)),
                        ('final_url', models.URLField(blank=True, max_length=2000)),
                        ('content_type', models.CharField(blank=True, max_length=100)),
                        ('size', models.BigIntegerField(blank=True, null=True)),
                        ('last_modified', models.CharField(blank=True, max_length=64)),
                        ('title', models.CharField(blank=True, max_length=255)),
                        ('years', models.CharField(blank=True, max_length=64, verbose_name='ปีที่พบ')),
                        ('elapsed_ms', models.PositiveIntegerField(default=0)),
                        ('item', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='checks', to='oit.registeritem')),
                    ],
                    options={
                        'verbose_name': 'ผลการตรวจลิงก์',
                        'verbose_name_plural': 'ผลการตรวจลิงก์',
                        'db_table': 'assessments_linkcheck',
                    },
                ),
                migrations.AddIndex(
                    model_name='registeritem',
                    index=models.Index(fields=['organisation', 'fiscal_year'], name='register_org_year'),
                ),
                migrations.AddConstraint(
                    model_name='registeritem',
                    constraint=models.UniqueConstraint(fields=('organisation', 'question'), name='register_unique_item'),
                ),
                migrations.AddIndex(
                    model_name='linkcheck',
                    index=models.Index(fields=['item', 'latest'], name='linkcheck_item_latest'),
                ),
            ],
            database_operations=[],
        ),
        migrations.RunPython(content_types_follow, content_types_return),
        migrations.RunPython(queued_checks_follow, queued_checks_return),
    ]
